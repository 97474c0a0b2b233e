"""What the reception pages read: the purchase orders waiting for their delivery, the recent
receptions, a reception's lines, and its differences with the order (quantities and
amounts excl. VAT, each line's amounts rounded to the cent once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from cabas.catalog.models import Product
from cabas.core.money import ZERO, round_money
from cabas.core.tables import Amount

from .models import PurchaseOrder, Reception, ReceptionLine, Supplier


def orders_to_receive(*, organisation) -> QuerySet[PurchaseOrder]:
    """Sent or partly received purchase orders, the soonest expected first, each with the
    pk of its reception being checked (``draft_reception_id``) if any."""
    return (
        PurchaseOrder.objects.filter(organisation=organisation, status__in=PurchaseOrder.OPEN)
        .select_related("supplier")
        .annotate(
            line_count=Count("lines", distinct=True),
            draft_reception_id=_draft_id(),
        )
        .order_by(F("expected_on").asc(nulls_last=True), "number")
    )


def _draft_id() -> Subquery:
    return Subquery(
        Reception.objects.filter(
            purchase_order=OuterRef("pk"), status=Reception.Status.DRAFT
        ).values("pk")[:1]
    )


def recent_receptions(*, organisation, limit: int = 30) -> list[Reception]:
    """The organisation's receptions, the newest first, with their line and counted counts."""
    return list(
        Reception.objects.filter(organisation=organisation)
        .select_related("supplier", "purchase_order", "validated_by")
        .annotate(
            line_count=Count("lines"),
            counted_count=Count("lines", filter=Q(lines__received_quantity__isnull=False)),
        )[:limit]
    )


def suppliers_for_reception(*, organisation) -> QuerySet[Supplier]:
    return Supplier.objects.filter(organisation=organisation, is_active=True).order_by("name")


def receivable_products(*, reception: Reception) -> QuerySet[Product]:
    """The products a delivery may bring beyond its order: the organisation's shop-stock
    products that its supplier sells, or that no supplier sells yet (a new product: its price
    then makes it one of the supplier's items). Another supplier's product is not this
    delivery's."""
    return (
        Product.objects.filter(
            organisation_id=reception.organisation_id, stock_mode=Product.StockMode.SHOP
        )
        .filter(
            Q(supplier_items__supplier_id=reception.supplier_id) | Q(supplier_items__isnull=True)
        )
        .distinct()
        .order_by("name", "pk")
    )


def reception_lines(*, reception: Reception) -> list[ReceptionLine]:
    """A reception's lines, by product name (the order's and the added ones together)."""
    return list(
        reception.lines.select_related("product", "counted_by").order_by("product__name", "pk")
    )


@dataclass
class DifferenceRow:
    line: ReceptionLine
    not_ordered: bool
    quantity_difference: Decimal  # received − ordered (negative: missing)
    price_changed: bool
    ordered_amount: Decimal
    received_amount: Decimal
    damaged_amount: Decimal

    @property
    def amount_difference(self) -> Decimal:
        return self.received_amount - self.ordered_amount


@dataclass
class Differences:
    rows: list[DifferenceRow] = field(default_factory=list)

    @property
    def ordered_total(self) -> Decimal:
        return sum((row.ordered_amount for row in self.rows), ZERO)

    @property
    def received_total(self) -> Decimal:
        return sum((row.received_amount for row in self.rows), ZERO)

    @property
    def damaged_total(self) -> Decimal:
        return sum((row.damaged_amount for row in self.rows), ZERO)

    @property
    def difference_total(self) -> Decimal:
        return self.received_total - self.ordered_total


def difference_of(line: ReceptionLine) -> DifferenceRow | None:
    """The line's difference with the order, or None when it arrived as ordered."""
    received = line.received_quantity or Decimal("0")
    ordered_price = line.ordered_unit_price
    not_ordered = line.order_line_id is None and line.ordered_quantity == 0
    price_changed = ordered_price is not None and line.unit_price != ordered_price
    if not (
        not_ordered or received != line.ordered_quantity or line.damaged_quantity or price_changed
    ):
        return None
    return DifferenceRow(
        line=line,
        not_ordered=not_ordered,
        quantity_difference=received - line.ordered_quantity,
        price_changed=price_changed,
        ordered_amount=round_money(line.ordered_quantity * (ordered_price or line.unit_price)),
        received_amount=round_money(received * line.unit_price),
        damaged_amount=round_money(line.damaged_quantity * line.unit_price),
    )


def differences(*, reception: Reception) -> Differences:
    """The lines where what arrived differs from the order: another quantity, damaged
    goods, another price, or a product not on the order. One query."""
    lines = reception.lines.select_related("product").order_by("product__name", "pk")
    return Differences([row for line in lines if (row := difference_of(line)) is not None])


def differences_table(report: Differences) -> tuple[list[str], list[list]]:
    """The differences as a CSV/XLSX table (``core.tables``)."""
    header = [
        _("Product"), _("Ordered"), _("Received"), _("Damaged"), _("Difference"),
        _("Ordered price excl. VAT"), _("Delivered price excl. VAT"),
        _("Ordered amount excl. VAT"), _("Received amount excl. VAT"),
        _("Damaged amount excl. VAT"), _("Note"),
    ]  # fmt: skip
    not_ordered = _("not ordered")
    rows = [
        [
            row.line.product.name + (f" ({not_ordered})" if row.not_ordered else ""),
            row.line.ordered_quantity,
            row.line.received_quantity,
            row.line.damaged_quantity,
            row.quantity_difference,
            row.line.ordered_unit_price if row.line.ordered_unit_price is not None else "",
            row.line.unit_price,
            Amount(row.ordered_amount),
            Amount(row.received_amount),
            Amount(row.damaged_amount),
            row.line.note,
        ]
        for row in report.rows
    ]
    rows.append(
        [_("Total"), "", "", "", "", "", "", Amount(report.ordered_total),
         Amount(report.received_total), Amount(report.damaged_total), ""]
    )  # fmt: skip
    return header, rows
