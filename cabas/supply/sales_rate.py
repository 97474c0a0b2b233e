"""How fast the shop stock sells: the one rule behind days of cover, suggested orders and
the weekly e-mail.

A product's sales are its net drive-order movements in the stock ledger
(``catalog.StockMovement`` with an order reason: placed, changed, cancelled, corrected):
an order placed takes stock (negative change), a cancellation gives it back, so the units
sold over a period are minus the sum of those changes. Counted losses, receptions and
inventories are not sales. Days are the organisation's days: call inside
``organisation_context`` (every page, task and command for one organisation is).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from django.db.models import Sum

from cabas.catalog.models import Product, StockMovement
from cabas.catalog.stock_reports import day_start

Reason = StockMovement.Reason
SALE_REASONS = (
    Reason.ORDER_PLACED,
    Reason.ORDER_CHANGED,
    Reason.ORDER_CANCELLED,
    Reason.ORDER_CORRECTED,
)
ZERO = Decimal("0")
RATE_PLACES = Decimal("0.001")


def period_ending(end: date, days: int) -> tuple[date, date]:
    """The ``days`` days ending with ``end`` (both included), as ``sales_per_day`` takes them."""
    return end - timedelta(days=days - 1), end


def sale_movements(*, start: date, end: date):
    """The ledger's sale movements from ``start`` to ``end`` (both days included), of every
    organisation: filter them further (``units_sold``, the suggestions' subquery)."""
    return StockMovement.objects.filter(
        reason__in=SALE_REASONS,
        created_at__gte=day_start(start),
        created_at__lt=day_start(end + timedelta(days=1)),
    )


def units_sold(
    *,
    organisation,
    start: date,
    end: date,
    products: Iterable[Product | int] | None = None,
) -> dict[int, Decimal]:
    """Units sold per product id from ``start`` to ``end`` (both days included): minus the
    sum of the order movements, summed by the database in one query. A product with no
    order movement is absent; a period with more returns than orders counts 0, never less."""
    movements = sale_movements(start=start, end=end).filter(organisation=organisation)
    if products is not None:
        movements = movements.filter(
            product_id__in=[getattr(product, "pk", product) for product in products]
        )
    rows = movements.order_by().values("product_id").annotate(net=Sum("delta"))
    return {row["product_id"]: max(-row["net"], ZERO) for row in rows}


def sales_per_day(
    *,
    organisation,
    start: date,
    end: date,
    products: Iterable[Product | int] | None = None,
) -> dict[int, Decimal]:
    """Average units sold per day per product id over ``start``…``end`` (both included):
    ``units_sold`` divided by the number of days, to three decimals. One query whatever the
    number of products; a product that sold nothing is absent (read it with ``.get(pk, 0)``)."""
    if start > end:
        raise ValueError("start after end")
    days = Decimal((end - start).days + 1)
    sold = units_sold(organisation=organisation, start=start, end=end, products=products)
    return {pk: (units / days).quantize(RATE_PLACES) for pk, units in sold.items()}


def days_of_cover(stock: Decimal, per_day: Decimal | Fraction) -> Decimal | None:
    """How many days the stock lasts at that rate (a Decimal, or an exact Fraction), to the
    tenth below, never overstated (0 for no stock); None when the product does not sell (it
    lasts for ever)."""
    if stock <= 0:
        return ZERO
    if per_day <= 0:
        return None
    days = Fraction(Decimal(stock)) / Fraction(per_day)
    return (Decimal(days.numerator) / Decimal(days.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_DOWN
    )
