"""Suggested orders: for each product a supplier is the main supplier of, how much to order so
that the shop stock covers the target number of days of sales.

The arithmetic lives in small pure functions (``sales_per_day``, ``cover_days``,
``suggested_quantity``, ``round_up_to_package``), exact on Decimal and Fraction; the selector
(``supplier_suggestions``) reads everything in one query: the sales of the period and the
quantities still on order are subqueries summed by the database.

Sales are ``sales_rate``'s (the one rule: the ledger's drive-order movements, net), over the
period's days in the organisation's time zone, today included.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from cabas.catalog.models import Product

from . import sales_rate
from .models import PurchaseOrder, PurchaseOrderLine, Supplier, SupplierItem, SupplySettings

ZERO = Decimal("0")
QUANTITY = Decimal("0.001")
DEFAULT_PERIOD_DAYS = 28
DEFAULT_TARGET_DAYS = 14


# --- The arithmetic ---------------------------------------------------------------------------


def sales_per_day(sold: Decimal, days: int) -> Fraction:
    """Units sold per day over ``days`` days (exact: 10 units over 28 days stay 5/14)."""
    return Fraction(max(Decimal(sold), ZERO)) / days


def cover_days(stock: Decimal, per_day: Fraction) -> Decimal | None:
    """How many days the stock lasts at that pace (``sales_rate.days_of_cover``)."""
    return sales_rate.days_of_cover(max(Decimal(stock), ZERO), per_day)


def round_up_to_package(quantity: Fraction | Decimal, package_size: Decimal) -> Decimal:
    """The smallest multiple of the package size at or above ``quantity`` (0 stays 0)."""
    package = Fraction(Decimal(package_size))
    if quantity <= 0:
        return ZERO
    packages = math.ceil(Fraction(quantity) / package)
    return (Decimal(packages) * Decimal(package_size)).quantize(QUANTITY)


def suggested_quantity(
    *,
    stock: Decimal,
    per_day: Fraction,
    on_order: Decimal,
    target_days: int,
    stock_minimum: Decimal | None = None,
    minimum_quantity: Decimal = ZERO,
    package_size: Decimal = Decimal("1"),
) -> Decimal:
    """What to order: enough for ``target_days`` of sales beyond the stock and what is
    already on order, at least up to the stock minimum when below it, at least the
    supplier's minimum quantity, rounded up to the package size; 0 when nothing is needed."""
    stock = max(Decimal(stock), ZERO)
    have = Fraction(stock) + Fraction(Decimal(on_order))
    needed = max(Fraction(0), per_day * target_days - have)
    if stock_minimum is not None and stock < stock_minimum:
        needed = max(needed, Fraction(Decimal(stock_minimum)) - have)
    if needed <= 0:
        return ZERO
    needed = max(needed, Fraction(Decimal(minimum_quantity)))
    return round_up_to_package(needed, package_size)


# --- The selector -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    item: SupplierItem
    product: Product
    stock: Decimal
    sold: Decimal
    per_day: Fraction
    cover_days: Decimal | None
    on_order: Decimal
    quantity: Decimal

    @property
    def sales_per_day(self) -> Decimal:
        """Sales per day to the hundredth, for reading."""
        return (Decimal(self.per_day.numerator) / Decimal(self.per_day.denominator)).quantize(
            Decimal("0.01")
        )

    @property
    def below_minimum(self) -> bool:
        minimum = self.product.stock_minimum
        return minimum is not None and self.stock < minimum


def settings_of(organisation) -> SupplySettings:
    """The organisation's supply settings, unsaved defaults when it has none yet."""
    found = SupplySettings.objects.filter(organisation=organisation).first()
    return found or SupplySettings(organisation=organisation)


def _quantity_sum(queryset, expression):
    summed = (
        queryset.order_by()
        .values("product")
        .annotate(total=Sum(expression, output_field=DecimalField(max_digits=14, decimal_places=3)))
        .values("total")
    )
    return Coalesce(
        Subquery(summed[:1]),
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=3),
    )


def _items(*, supplier: Supplier, start: date, end: date):
    sales = sales_rate.sale_movements(start=start, end=end).filter(product=OuterRef("product"))
    open_lines = PurchaseOrderLine.objects.filter(
        product=OuterRef("product"),
        purchase_order__organisation_id=supplier.organisation_id,
        purchase_order__status__in=PurchaseOrder.OPEN,
    )
    return (
        SupplierItem.objects.filter(
            organisation_id=supplier.organisation_id,
            supplier=supplier,
            is_main=True,
            product__stock_mode=Product.StockMode.SHOP,
            product__is_active=True,
        )
        .select_related("product")
        .annotate(
            moved=_quantity_sum(sales, F("delta")),
            on_order=_quantity_sum(open_lines, F("quantity") - F("received_quantity")),
        )
        .order_by("product__name", "pk")
    )


def _decimal(value) -> Decimal:
    # SQLite sums decimals as floats: back to the quantity's three places.
    return Decimal(str(value or 0)).quantize(QUANTITY)


def supplier_suggestions(
    *,
    supplier: Supplier,
    today: date,
    period_days: int,
    target_days: int,
) -> list[Suggestion]:
    """Each active shop-stock product whose main supplier is ``supplier``, with its stock,
    sales of the ``period_days`` days ending ``today`` (included), days of cover, quantity
    on order and suggested quantity; those to order first. One query."""
    start, end = sales_rate.period_ending(today, period_days)
    suggestions = []
    for item in _items(supplier=supplier, start=start, end=end):
        product = item.product
        stock = _decimal(product.stock_quantity)
        sold = -_decimal(item.moved)
        per_day = sales_per_day(sold, period_days)
        on_order = max(_decimal(item.on_order), ZERO)
        quantity = suggested_quantity(
            stock=stock,
            per_day=per_day,
            on_order=on_order,
            target_days=target_days,
            stock_minimum=product.stock_minimum,
            minimum_quantity=item.minimum_quantity,
            package_size=item.package_size,
        )
        suggestions.append(
            Suggestion(
                item=item,
                product=product,
                stock=stock,
                sold=max(sold, ZERO),
                per_day=per_day,
                cover_days=cover_days(stock, per_day),
                on_order=on_order,
                quantity=quantity,
            )
        )
    suggestions.sort(key=lambda s: (s.quantity == 0, s.product.name.lower(), s.product.pk))
    return suggestions
