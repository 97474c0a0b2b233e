"""Inventory sessions: a shelf, a category or the whole shop counted on phones, then
validated by a coordinator (``cabas.catalog.inventories``).

Several people count at once: each product has ONE count per session, the last one
recorded wins (a re-count corrects it), with who counted it and when; counts stay editable
until the session is validated. At validation the shop stock of each counted product becomes
its counted quantity (the difference is an "inventory" movement of the ledger); products not
counted are untouched. The stock and the unit value at that moment are kept on each count,
so the report of differences stays as it was.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cabas.core.models import TimeStampedModel

from . import categories


class InventorySession(TimeStampedModel):
    class State(models.TextChoices):
        OPEN = "open", _("counting")
        VALIDATED = "validated", _("validated")
        CANCELLED = "cancelled", pgettext_lazy("inventory", "cancelled")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="inventory_sessions"
    )
    name = models.CharField(_("name"), max_length=120)
    # A category code (a family covers its subcategories); empty: every shop-stock product.
    category = models.CharField(
        _("category"), max_length=40, choices=categories.choices, blank=True
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    show_expected = models.BooleanField(
        _("show the expected quantity"),
        default=False,
        help_text=_("Counters see the stock the shop expects; hidden, they count blind."),
    )
    started_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    validated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("inventory")
        verbose_name_plural = _("inventories")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="validated") | Q(validated_at__isnull=False),
                name="inventorysession_validated_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def category_label(self) -> str:
        return categories.label_of(self.category) if self.category else ""


class InventoryCount(TimeStampedModel):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="inventory_counts"
    )
    session = models.ForeignKey(InventorySession, on_delete=models.CASCADE, related_name="counts")
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="inventory_counts"
    )
    quantity = models.DecimalField(_("counted quantity"), max_digits=10, decimal_places=3)
    counted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    counted_at = models.DateTimeField(_("counted at"))
    # Written at validation: the stored stock just before, and the price excl. VAT of a unit.
    stock_at_validation = models.DecimalField(
        _("stock at validation"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    unit_value = models.DecimalField(
        _("unit value excl. VAT"), max_digits=12, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["session", "product__name", "pk"]
        verbose_name = _("inventory count")
        verbose_name_plural = _("inventory counts")
        constraints = [
            models.UniqueConstraint(fields=["session", "product"], name="inventorycount_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="inventorycount_quantity_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.quantity}"

    @property
    def difference(self) -> Decimal | None:
        if self.stock_at_validation is None:
            return None
        return self.quantity - self.stock_at_validation
