from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cabas.core import quantities
from cabas.core.models import TimeStampedModel
from cabas.core.money import format_percent

from . import categories, units


class Producer(TimeStampedModel):
    """Who supplies products: a farm, a craftsperson, or a wholesaler for a coop.

    A producer can supply several organisations; each link (ProducerLink) has its own status.
    """

    name = models.CharField(_("name"), max_length=150)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    description = models.TextField(_("description"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    photo = models.ImageField(_("photo"), upload_to="producers/", blank=True)
    is_organic = models.BooleanField(_("organic (AB)"), default=False)
    labels = models.CharField(
        _("other labels"), max_length=255, blank=True, help_text=_("e.g. Nature & Progrès")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("producer")
        verbose_name_plural = _("producers")

    def __str__(self) -> str:
        return self.name


class ProducerLinkQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def supplying_on(self, day):
        """Links whose producer may appear in a sale on ``day`` (active, or temporary not ended)."""
        return self.filter(
            Q(status=ProducerLink.Status.ACTIVE)
            | Q(status=ProducerLink.Status.TEMPORARY, end_date__gte=day)
        )


class ProducerLink(TimeStampedModel):
    """A producer supplying one organisation: active, temporary until an end date, or left."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        TEMPORARY = "temporary", _("temporary")
        LEFT = "left", pgettext_lazy("producer", "left")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="producer_links"
    )
    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="links")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("For a temporary producer.")
    )

    objects = ProducerLinkQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "producer__name"]
        verbose_name = _("producer of an organisation")
        verbose_name_plural = _("producers of organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "producer"], name="producerlink_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="temporary") | Q(end_date__isnull=False),
                name="producerlink_temporary_has_end_date",
                violation_error_message=_("A temporary producer needs an end date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.producer} @ {self.organisation}"


class Product(TimeStampedModel):
    """Something sold in one organisation by one producer. Prices include VAT."""

    class UnitKind(models.TextChoices):
        PIECE = "piece", _("per piece")
        WEIGHT = "weight", _("by weight (kg)")
        VOLUME = "volume", _("by the litre, loose (L)")

    class ContentUnit(models.TextChoices):
        GRAM = "g", "g"
        KILOGRAM = "kg", "kg"
        MILLILITRE = "ml", "ml"
        CENTILITRE = "cl", "cl"
        LITRE = "l", "L"

    class StockMode(models.TextChoices):
        UNLIMITED = "unlimited", _("unlimited")
        PER_SALE = "per_sale", _("limited per sale")
        SHOP = "shop", _("shop stock")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="products"
    )
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("category"), max_length=40, choices=categories.choices, default="other"
    )
    unit_kind = models.CharField(
        _("sold"), max_length=10, choices=UnitKind.choices, default=UnitKind.PIECE
    )
    unit_label = models.CharField(
        _("unit"),
        max_length=40,
        blank=True,
        help_text=_('What one piece is called, e.g. "botte", "douzaine", "bocal".'),
    )
    # The net content of a piece ("75 cl", "500 g"), or of each item of a pack ("6 × 33 cl"):
    # the reference price per kg or per litre is computed from it (catalog.units).
    content_quantity = models.DecimalField(
        _("content"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"), _("Enter a content above zero."))],
        help_text=_("Net quantity of one piece, e.g. 75 for a 75 cl bottle."),
    )
    content_unit = models.CharField(
        _("content unit"), max_length=2, choices=ContentUnit.choices, blank=True
    )
    content_count = models.PositiveSmallIntegerField(
        _("items per pack"),
        default=1,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For a pack: 6 for a pack of 6 × 33 cl; otherwise 1."),
    )
    price = models.DecimalField(
        _("price incl. VAT"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Per piece, per kg for products sold by weight, per litre for products sold loose "
            "by the litre."
        ),
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), max_digits=4, decimal_places=2, default=Decimal("5.50")
    )
    variable_weight = models.BooleanField(
        _("variable weight"),
        default=False,
        help_text=_("Sold per piece, priced per kg: the final price is set when weighed."),
    )
    price_per_kg = models.DecimalField(
        _("price per kg incl. VAT"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    estimated_weight_kg = models.DecimalField(
        _("estimated weight per piece (kg)"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    min_quantity = models.DecimalField(
        _("minimum quantity"), max_digits=8, decimal_places=3, default=Decimal("1")
    )
    quantity_step = models.DecimalField(
        _("quantity step"), max_digits=8, decimal_places=3, default=Decimal("1")
    )
    is_organic = models.BooleanField(_("organic"), default=False)
    is_local = models.BooleanField(_("local"), default=False)
    image = models.ImageField(_("photo"), upload_to="products/", blank=True)
    # Made once from the photo when it is uploaded (catalog.photos), stored beside it: the
    # shop shows it for every product without making it on display.
    thumbnail = models.ImageField(upload_to="products/", blank=True, editable=False)
    # Name, description and producer without accents, case nor plural (core.search), kept by
    # the services that write products; the shop's search reads it.
    search_text = models.TextField(blank=True, default="", editable=False)
    reference = models.CharField(_("reference (SKU)"), max_length=64, blank=True)
    # Where the product comes from on another platform (a DFC SuppliedProduct's ``@id``): an
    # import matches a product by it first, so a catalog read again updates its products.
    external_id = models.CharField(
        _("identifier on another platform"), max_length=500, blank=True, editable=False
    )
    stock_mode = models.CharField(
        _("stock"), max_length=20, choices=StockMode.choices, default=StockMode.UNLIMITED
    )
    default_quantity_per_sale = models.DecimalField(
        _("quantity available per sale"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    stock_quantity = models.DecimalField(
        _("shop stock"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    # Under it the supply team's stock list puts the product first, flagged.
    stock_minimum = models.DecimalField(
        _("stock minimum"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Below this shop stock the product is flagged to restock; empty: none."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            # A reference is the producer's own (two farms may both sell "MIEL-500").
            models.UniqueConstraint(
                fields=["organisation", "producer", "reference"],
                condition=~Q(reference=""),
                name="product_reference_unique_per_producer",
                violation_error_message=_("Another product of this producer has this reference."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "producer", "external_id"],
                condition=~Q(external_id=""),
                name="product_external_id_unique_per_producer",
            ),
            # The forms check these first with their own message; a French sentence all the
            # same, should one reach a person (never the constraint's name).
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="product_price_not_negative",
                violation_error_message=_("The price cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(quantity_step__gt=0),
                name="product_quantity_step_positive",
                violation_error_message=_("The quantity step must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(content_quantity__isnull=True, content_unit="")
                | Q(content_quantity__gt=0, content_count__gte=1) & ~Q(content_unit=""),
                name="product_content_complete",
                violation_error_message=_(
                    "Give the content with its unit (e.g. 75 cl), both above zero, or neither."
                ),
            ),
            models.CheckConstraint(
                condition=Q(stock_quantity__isnull=True) | Q(stock_quantity__gte=0),
                name="product_stock_not_negative",
                violation_error_message=_("The stock cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(stock_minimum__isnull=True) | Q(stock_minimum__gte=0),
                name="product_stock_minimum_not_negative",
                violation_error_message=_("The stock minimum cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "is_active", "category"])]

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self):
        """What one unit of the product is (``cabas.core.quantities.Unit``)."""
        return units.product_unit(self)

    @property
    def content_text(self) -> str:
        """Its content as people read it: "75 cl", "6 × 33 cl" ("" without one)."""
        return quantities.content_text(self.unit)

    @property
    def unit_text(self) -> str:
        """What one unit is: "75 cl", "bocal 400 g", "botte", "kg"."""
        return quantities.unit_text(self.unit)

    @property
    def reference_price(self):
        """Its price per kg or per litre (``catalog.units.reference_price``), or None."""
        return units.reference_price(self.price, self.unit, price_per_kg=self.price_per_kg)

    @property
    def price_text(self) -> str:
        """Its price with its reference price: "12,50 € (16,67 €/L)", "3,50 €/kg"."""
        return units.price_text(self.price, self.unit, price_per_kg=self.price_per_kg)

    @property
    def offer_text(self) -> str:
        """Its content and price as the shop shows them: "75 cl · 12,50 € (16,67 €/L)"."""
        return units.offer_text(self.price, self.unit, price_per_kg=self.price_per_kg)


DEFAULT_VAT_RATES = (Decimal("5.50"), Decimal("10.00"), Decimal("20.00"))


class VatRate(TimeStampedModel):
    """A VAT rate an organisation's products may use (France: 5.5 %, 10 %, 20 % by default)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="vat_rates"
    )
    rate = models.DecimalField(_("VAT rate (%)"), max_digits=4, decimal_places=2)

    class Meta:
        ordering = ["organisation", "rate"]
        verbose_name = _("VAT rate")
        verbose_name_plural = _("VAT rates")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "rate"], name="vatrate_unique"),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lt=100), name="vatrate_between_0_and_100"
            ),
        ]

    def __str__(self) -> str:
        return format_percent(self.rate)


class StockMovement(TimeStampedModel):
    """One change of a product's shop stock, with its reason: the stock is the sum of its
    movements (the ledger), and ``Product.stock_quantity`` the running total kept beside it
    by the same transaction (``services``: ``shop_stock_take``, ``stock_adjust``,
    ``stock_set``, the product import). ``quantity_after`` is the stock once this movement
    was applied; the "opening" movement of a product carries what it held when the ledger
    began (stock counted before it, orders before it)."""

    class Reason(models.TextChoices):
        OPENING = "opening", _("opening balance")
        RECEPTION = "reception", _("reception")
        ORDER_PLACED = "order_placed", _("drive order placed")
        ORDER_CHANGED = "order_changed", _("drive order changed")
        ORDER_CANCELLED = "order_cancelled", _("drive order cancelled")
        ORDER_CORRECTED = "order_corrected", _("order corrected")
        LOSS = "loss", _("loss")
        BREAKAGE = "breakage", _("breakage")
        EXPIRED = "expired", pgettext_lazy("stock movement", "expired")
        GIFT = "gift", _("gift")
        CORRECTION = "correction", _("correction")
        INVENTORY = "inventory", _("inventory")
        IMPORT = "import", _("product import")

    # The reasons a person gives by hand on the stock page.
    BY_HAND = (
        Reason.RECEPTION,
        Reason.LOSS,
        Reason.BREAKAGE,
        Reason.EXPIRED,
        Reason.GIFT,
        Reason.CORRECTION,
    )

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="stock_movements"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="stock_movements")
    delta = models.DecimalField(_("change"), max_digits=10, decimal_places=3)
    quantity_after = models.DecimalField(_("stock after"), max_digits=10, decimal_places=3)
    reason = models.CharField(
        _("reason"), max_length=20, choices=Reason.choices, default=Reason.CORRECTION
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # The drive order behind an order movement (orders live above the catalog: no key).
    order_id = models.PositiveBigIntegerField(_("order"), null=True, blank=True)
    made_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        indexes = [
            models.Index(fields=["product", "created_at"], name="stockmovement_product_date"),
            models.Index(fields=["organisation", "created_at"], name="stockmovement_org_date"),
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.delta:+} ({self.reason})"


class ProductImport(TimeStampedModel):
    """One uploaded product file, checked line by line, then applied all or nothing."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("being checked")
        INVALID = "invalid", _("has errors")
        READY = "ready", _("ready to import")
        IMPORTING = "importing", _("being imported")
        DONE = "done", _("imported")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="product_imports"
    )
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    producer = models.ForeignKey(
        Producer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For lines that do not name a producer; a producer imports only its own."),
    )
    only_own_producer = models.BooleanField(default=False)
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKING)
    file_format = models.CharField(max_length=20, blank=True)
    total_lines = models.PositiveIntegerField(default=0)
    processed_lines = models.PositiveIntegerField(default=0)
    to_create = models.PositiveIntegerField(default=0)
    to_update = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    # The first errors and notes (``imports.LINES_KEPT``), and how many there are in all.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    notes = models.JSONField(default=list, blank=True)
    note_count = models.PositiveIntegerField(default=0)
    # Sentences about the whole file ("12 produits sans catégorie de TVA : 5,5 % appliqué.").
    summary = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)
    # The products the file names, once applied: what can be added to the open sales.
    product_ids = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("product import")
        verbose_name_plural = _("product imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def progress_percent(self) -> int:
        return int(100 * self.processed_lines / self.total_lines) if self.total_lines else 0

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)


from .models_inventory import InventoryCount, InventorySession  # noqa: E402, F401
