"""What the supply team orders (purchase orders and their lines) and what arrives
(receptions and their lines, against an order or without one), and the supplier price lists
they upload."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cabas.core.models import TimeStampedModel

from .fields import quantity_field, unit_price_field


class PurchaseOrder(TimeStampedModel):
    """An order to one supplier. A draft is edited freely; sending it (by e-mail through the
    task worker, or printed) freezes it; receptions make it partly received then received."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", pgettext_lazy("purchase order", "sent")
        PARTLY_RECEIVED = "partly_received", _("partly received")
        RECEIVED = "received", _("received")
        CANCELLED = "cancelled", _("cancelled")

    class FileFormat(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", _("Excel (XLSX)")

    OPEN = (Status.SENT, Status.PARTLY_RECEIVED)

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="purchase_orders"
    )
    supplier = models.ForeignKey(
        "supply.Supplier", on_delete=models.PROTECT, related_name="purchase_orders"
    )
    # Numbered per organisation (BC-0001, BC-0002…), as the supplier's invoice will quote it.
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    expected_on = models.DateField(_("expected delivery"), null=True, blank=True)
    note = models.TextField(_("note to the supplier"), blank=True)
    file_format = models.CharField(
        _("sent as"), max_length=10, choices=FileFormat.choices, default=FileFormat.PDF
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(
        pgettext_lazy("purchase order", "sent at"), null=True, blank=True
    )
    sent_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_to = models.EmailField(_("sent to"), blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="purchaseorder_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"BC-{self.number:04d}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class PurchaseOrderLine(TimeStampedModel):
    """One product ordered: its quantity in the product's units (pieces, kg, L), a multiple
    of the package size when the supplier sells by packages, at a unit price excl. VAT. The
    product's name, reference and unit are copied: the order stays the document it was."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(_("product"), max_length=200)
    reference = models.CharField(_("supplier's reference"), max_length=64, blank=True)
    unit_text = models.CharField(_("unit"), max_length=60, blank=True)
    quantity = quantity_field(_("quantity ordered"), validators=[MinValueValidator(Decimal("0"))])
    package_size = quantity_field(_("package size"), default=Decimal("1"))
    unit_price = unit_price_field(_("unit price excl. VAT"))
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=4, decimal_places=2)
    # What the validated receptions brought in (in stock, damaged apart).
    received_quantity = quantity_field(_("quantity received"), default=Decimal("0"))

    class Meta:
        ordering = ["product_name", "pk"]
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        constraints = [
            models.UniqueConstraint(
                fields=["purchase_order", "product"], name="purchaseorderline_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="purchaseorderline_quantity_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="purchaseorderline_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(package_size__gt=0), name="purchaseorderline_package_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} × {self.quantity}"


class Reception(TimeStampedModel):
    """A delivery checked in, against a purchase order or without one: lines are counted on
    a phone, then validated once, which puts the goods into the shop stock."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("being checked")
        # "validée" in French (a reception), not the inventory's "validé".
        VALIDATED = "validated", pgettext_lazy("reception", "validated")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="receptions"
    )
    supplier = models.ForeignKey(
        "supply.Supplier", on_delete=models.PROTECT, related_name="receptions"
    )
    purchase_order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receptions",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    delivery_note = models.CharField(_("delivery note number"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    started_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    validated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(
        pgettext_lazy("reception", "validated at"), null=True, blank=True
    )
    differences_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reception")
        verbose_name_plural = _("receptions")
        constraints = [
            # One delivery of an order checked at a time (two phones join the same one).
            models.UniqueConstraint(
                fields=["purchase_order"],
                condition=Q(status="draft"),
                name="reception_one_draft_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.created_at:%Y-%m-%d}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class ReceptionLine(TimeStampedModel):
    """One product of a delivery: what was ordered (0 for a product not on the order), what
    arrived in good condition (it goes into the stock; None until counted), what arrived
    damaged (kept out of the stock), and the price on the delivery note."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    reception = models.ForeignKey(Reception, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    order_line = models.ForeignKey(
        PurchaseOrderLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ordered_quantity = quantity_field(_("ordered"), default=Decimal("0"))
    received_quantity = quantity_field(
        _("received"), null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    damaged_quantity = quantity_field(
        _("damaged"), default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    ordered_unit_price = unit_price_field(_("ordered price excl. VAT"), null=True, blank=True)
    unit_price = unit_price_field(_("price excl. VAT"))
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=4, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    counted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("reception line")
        verbose_name_plural = _("reception lines")
        constraints = [
            models.UniqueConstraint(fields=["reception", "product"], name="receptionline_unique"),
            models.CheckConstraint(
                condition=Q(received_quantity__isnull=True) | Q(received_quantity__gte=0),
                name="receptionline_received_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(damaged_quantity__gte=0), name="receptionline_damaged_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.received_quantity}"

    @property
    def missingquantity_field(self) -> Decimal:
        """Ordered but neither received nor damaged (never negative)."""
        arrived = (self.received_quantity or 0) + self.damaged_quantity
        return max(Decimal("0"), self.ordered_quantity - arrived)


class SupplierPriceImport(TimeStampedModel):
    """One supplier price list (CSV/XLSX: reference, name, price, package size), checked
    line by line into a preview, then applied all or nothing, as the product import."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("being checked")
        INVALID = "invalid", _("has errors")
        READY = "ready", _("ready to import")
        IMPORTING = "importing", _("being imported")
        DONE = "done", _("imported")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="supplier_price_imports"
    )
    supplier = models.ForeignKey(
        "supply.Supplier", on_delete=models.CASCADE, related_name="price_imports"
    )
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKING)
    file_format = models.CharField(max_length=20, blank=True)
    total_lines = models.PositiveIntegerField(default=0)
    to_update = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("supplier price list")
        verbose_name_plural = _("supplier price lists")

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)
