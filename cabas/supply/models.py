"""Who a coop buys from and at what price: suppliers, what each sells (supplier items), the
coefficients that turn a purchase price into a selling price, the proposed price changes,
and the supply team's settings. Purchase orders and receptions: ``models_buying``.

Purchase prices are per unit the product is sold in (a piece, a kg, a litre) and exclude
VAT; they have four decimals because wholesalers price a unit of a carton (8,35 € the 12 →
0,6958 €); amounts (lines, totals) are rounded to the cent once.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cabas.catalog import categories
from cabas.core.models import TimeStampedModel
from cabas.core.money import format_money

from .fields import quantity_field, unit_price_field

ISO_WEEKDAYS = (1, 2, 3, 4, 5, 6, 7)  # Monday = 1, as date.isoweekday()


class SupplySettings(TimeStampedModel):
    """How one organisation buys: its pricing rule, its suggestions' periods, where and
    when it takes deliveries, and the day of the supply team's weekly e-mail."""

    organisation = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="supply_settings"
    )
    default_coefficient = models.DecimalField(
        _("default coefficient"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text=_(
            "Selling price excl. VAT = purchase price excl. VAT × coefficient. Empty: prices "
            "are only proposed for products or categories with a coefficient."
        ),
    )
    rounding_step = models.DecimalField(
        _("round selling prices to"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.05"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Proposed prices incl. VAT are rounded to the nearest multiple of this."),
    )
    sales_period_days = models.PositiveSmallIntegerField(
        _("sales measured over (days)"),
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    target_cover_days = models.PositiveSmallIntegerField(
        _("target cover (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Suggested orders bring each product's stock to this many days of sales."),
    )
    delivery_address = models.TextField(_("delivery address"), blank=True)
    delivery_hours = models.CharField(
        _("delivery hours"), max_length=200, blank=True, help_text=_("e.g. Tue–Fri 8:00–11:00")
    )
    alert_weekday = models.PositiveSmallIntegerField(
        _("weekly e-mail on"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
        help_text=_("Day of the week (1 = Monday) of the supply team's e-mail."),
    )
    # The last week (its Monday) whose weekly e-mail was recorded: sent once per week.
    alert_last_week = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("supply settings")
        verbose_name_plural = _("supply settings")

    def __str__(self) -> str:
        return f"{self.organisation}"


class Supplier(TimeStampedModel):
    """Someone the shop buys from: one of the organisation's producers (a local farm) or a
    wholesaler. Its order e-mail receives the purchase orders."""

    class Kind(models.TextChoices):
        PRODUCER = "producer", _("producer")
        WHOLESALER = "wholesaler", _("wholesaler")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="suppliers"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRODUCER)
    # A farm already among the organisation's producers: its details come from there.
    producer = models.ForeignKey(
        "catalog.Producer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supplier_records",
        verbose_name=_("producer"),
    )
    name = models.CharField(_("name"), max_length=150)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    order_email = models.EmailField(
        _("order e-mail"), blank=True, help_text=_("Purchase orders are sent to this address.")
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    delivery_days = models.JSONField(
        _("delivery days"), default=list, blank=True, help_text=_("ISO weekdays, Monday = 1.")
    )
    minimum_order_amount = models.DecimalField(
        _("minimum order excl. VAT"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    franco_amount = models.DecimalField(
        _("free delivery from (excl. VAT)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Franco: the order amount from which delivery is free."),
    )
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"), default=2, validators=[MaxValueValidator(90)]
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="supplier_name_unique",
                violation_error_message=_("Another supplier already has this name."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "producer"],
                condition=Q(producer__isnull=False),
                name="supplier_producer_unique",
                violation_error_message=_("This producer is already a supplier."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SupplierItem(TimeStampedModel):
    """A product as one supplier sells it: its reference, purchase price excl. VAT per unit
    of the product, package size (sold by 6) and minimum quantity. One supplier of a
    product is its main one: its price is the product's cost, its suggestions list it."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="supplier_items"
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="supplier_items"
    )
    reference = models.CharField(_("supplier's reference"), max_length=64, blank=True)
    purchase_price = unit_price_field(_("purchase price excl. VAT"))
    package_size = quantity_field(
        _("package size"),
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text=_("Sold by: 6 for a carton of 6; orders are rounded up to it."),
    )
    minimum_quantity = quantity_field(
        _("minimum quantity"), default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    is_main = models.BooleanField(_("main supplier"), default=False)

    class Meta:
        ordering = ["supplier__name", "product__name"]
        verbose_name = _("supplier item")
        verbose_name_plural = _("supplier items")
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "product"],
                name="supplieritem_unique",
                violation_error_message=_("This supplier already sells this product."),
            ),
            models.UniqueConstraint(
                fields=["product"], condition=Q(is_main=True), name="supplieritem_one_main"
            ),
            models.CheckConstraint(
                condition=Q(purchase_price__gte=0), name="supplieritem_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(package_size__gt=0), name="supplieritem_package_positive"
            ),
            models.CheckConstraint(
                condition=Q(minimum_quantity__gte=0), name="supplieritem_minimum_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "supplier"])]

    def __str__(self) -> str:
        return f"{self.product} ({self.supplier})"


class PriceCoefficient(TimeStampedModel):
    """Selling price excl. VAT = purchase price excl. VAT × coefficient, for one product or
    one category (a family covers its subcategories); the most precise one applies:
    product, then subcategory, then family, then the settings' default."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="price_coefficients"
    )
    category = models.CharField(
        _("category"), max_length=40, choices=categories.choices, blank=True
    )
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="price_coefficients",
    )
    coefficient = models.DecimalField(
        _("coefficient"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )

    class Meta:
        ordering = ["category", "product__name"]
        verbose_name = _("price coefficient")
        verbose_name_plural = _("price coefficients")
        constraints = [
            models.CheckConstraint(
                condition=(Q(product__isnull=True) & ~Q(category=""))
                | (Q(product__isnull=False) & Q(category="")),
                name="pricecoefficient_product_or_category",
            ),
            models.UniqueConstraint(
                fields=["organisation", "category"],
                condition=~Q(category=""),
                name="pricecoefficient_category_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "product"],
                condition=Q(product__isnull=False),
                name="pricecoefficient_product_unique",
            ),
            models.CheckConstraint(
                condition=Q(coefficient__gt=0), name="pricecoefficient_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product or self.category} × {self.coefficient}"


class PriceProposal(TimeStampedModel):
    """A selling price computed from a new purchase price, waiting for the supply team to
    accept it (the product's price changes) or dismiss it. One pending per product: a newer
    purchase price replaces it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("to decide")
        ACCEPTED = "accepted", _("accepted")
        DISMISSED = "dismissed", _("dismissed")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="price_proposals"
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="price_proposals"
    )
    supplier_item = models.ForeignKey(
        SupplierItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    purchase_price = unit_price_field(_("purchase price excl. VAT"))
    coefficient = models.DecimalField(_("coefficient"), max_digits=6, decimal_places=3)
    current_price = models.DecimalField(
        _("current price incl. VAT"), max_digits=10, decimal_places=2
    )
    proposed_price = models.DecimalField(
        _("proposed price incl. VAT"), max_digits=10, decimal_places=2
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["product__name"]
        verbose_name = _("proposed price change")
        verbose_name_plural = _("proposed price changes")
        constraints = [
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(status="pending"),
                name="priceproposal_one_pending",
            ),
        ]

    def __str__(self) -> str:
        current = format_money(self.current_price, places=4)
        return f"{self.product}: {current} → {format_money(self.proposed_price, places=4)}"


from .models_buying import (  # noqa: E402, F401
    PurchaseOrder,
    PurchaseOrderLine,
    Reception,
    ReceptionLine,
    SupplierPriceImport,
)
