"""Reading purchase orders: their totals as an invoice computes them, the warnings the
supplier's conditions give, the list page's orders and one order with its lines."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from cabas.core.money import ZERO, round_money

from .models import PurchaseOrder, PurchaseOrderLine, Supplier

LIST_LIMIT = 200


def line_amount(line: PurchaseOrderLine) -> Decimal:
    """A line's amount excl. VAT: quantity × unit price, rounded to the cent once."""
    return round_money(Decimal(line.quantity) * Decimal(line.unit_price))


@dataclass(frozen=True)
class VatTotal:
    rate: Decimal
    base: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    excl_vat: Decimal
    by_rate: list[VatTotal] = field(default_factory=list)

    @property
    def vat(self) -> Decimal:
        return sum((rate.vat for rate in self.by_rate), ZERO)

    @property
    def incl_vat(self) -> Decimal:
        return self.excl_vat + self.vat


def order_totals(lines) -> Totals:
    """Total excl. VAT (the sum of the lines' rounded amounts), VAT per rate (the rate's
    base × rate, rounded once, as an invoice shows it) and total incl. VAT."""
    bases: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        bases[Decimal(line.vat_rate)] += line_amount(line)
    by_rate = [
        VatTotal(rate=rate, base=base, vat=round_money(base * rate / 100))
        for rate, base in sorted(bases.items())
    ]
    return Totals(excl_vat=sum(bases.values(), ZERO), by_rate=by_rate)


def order_warnings(supplier: Supplier, totals: Totals) -> list[str]:
    """What the supplier's conditions say of this amount (shown, never blocking)."""
    warnings = []
    amount = totals.excl_vat
    minimum = supplier.minimum_order_amount
    if minimum is not None and amount < minimum:
        warnings.append(
            _("Below %(supplier)s's minimum order of %(amount)s excl. VAT.")
            % {"supplier": supplier.name, "amount": _money(minimum)}
        )
    franco = supplier.franco_amount
    if franco is not None and amount < franco:
        warnings.append(
            _("Below free delivery (franco) at %(amount)s excl. VAT: %(missing)s more to order.")
            % {"amount": _money(franco), "missing": _money(franco - amount)}
        )
    return warnings


def _money(amount: Decimal) -> str:
    from cabas.core.money import format_money

    return format_money(amount)


def _with_lines(
    queryset: QuerySet[PurchaseOrder], *, products: bool = False
) -> QuerySet[PurchaseOrder]:
    lines = PurchaseOrderLine.objects.order_by("product_name", "pk")
    if products:
        lines = lines.select_related("product")
    return queryset.select_related(
        "supplier", "organisation", "sent_by", "created_by"
    ).prefetch_related(Prefetch("lines", queryset=lines))


def purchase_orders_list(*, organisation, status: str = "") -> list[PurchaseOrder]:
    """The organisation's latest orders (of ``status``), newest first, each with its
    ``totals``; two queries whatever their number."""
    orders = PurchaseOrder.objects.filter(organisation=organisation)
    if status:
        orders = orders.filter(status=status)
    found = list(_with_lines(orders).order_by("-number")[:LIST_LIMIT])
    for order in found:
        _add_totals(order)
    return found


def _add_totals(order: PurchaseOrder) -> None:
    lines = order.lines.all()
    for line in lines:
        line.amount = line_amount(line)
    order.totals = order_totals(lines)


def purchase_order_detail(*, organisation, pk: int) -> PurchaseOrder:
    """One order with its lines (and their products), ``totals`` and ``warnings``
    (DoesNotExist when not the organisation's)."""
    orders = PurchaseOrder.objects.filter(organisation=organisation)
    order = _with_lines(orders, products=True).get(pk=pk)
    _add_totals(order)
    order.warnings = order_warnings(order.supplier, order.totals) if order.is_draft else []
    return order
