"""A producer's own figures beyond the weeks: each sale and each month (revenue, orders, what
was missing or weighed differently) and their best and worst products.

The sales are those of the dashboard's period (their cutoff in its weeks, ``selectors``), the
lines those of their active orders, of ``filters.producer_id`` only. Amounts are the
summaries' (``orders.summaries.producer_totals``): the lines' current amounts incl. VAT (0 for
a missing item, weight × price per kg once weighed), excl. VAT computed on each sale's total
per VAT rate; a month is the sum of its sales (the local month of their cutoff).

What changed on distribution day, from the lines themselves:
- missing: lines marked missing (their amount is 0); their value is what they were ordered
  for, quantity × unit price rounded to the cent (the amount they had before);
- weighed: variable-weight lines weighed and not missing; ordered is the estimate (quantity ×
  estimated weight, and quantity × estimated piece price), delivered the weighed weight and
  the amount it gives.
Per sale: the live sales' two grouped queries, the rolled-up sales' one (``models.
SaleFigures`` holds these figures), the split in one, whatever the period; the products
offered that nobody ordered (the worst of all) one more.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.core import tables
from cabas.orders.summaries import vat_totals
from cabas.orgs.models import Organisation

from . import rolled
from .selectors import ZERO, Filters, Share, _bounds, _lines_in

# How many products the best and the worst lists show.
BEST_AND_WORST = 5


@dataclass
class Figures:
    """A sale's or a month's: orders, revenue, missing lines and weighed lines."""

    orders: int = 0
    amount_incl_vat: Decimal = ZERO
    amount_excl_vat: Decimal = ZERO
    missing_lines: int = 0
    missing_amount: Decimal = ZERO  # what the missing lines were ordered for
    weighed_lines: int = 0
    estimated_kg: Decimal = ZERO  # the weighed lines' estimated weight
    weighed_kg: Decimal = ZERO
    estimated_amount: Decimal = ZERO  # what the weighed lines were ordered for
    weighed_amount: Decimal = ZERO  # what they cost once weighed

    @property
    def weighed_difference(self) -> Decimal:
        return self.weighed_amount - self.estimated_amount

    @property
    def weight_difference(self) -> Decimal:
        return self.weighed_kg - self.estimated_kg

    def add(self, other: Figures) -> None:
        """Add ``other``'s figures (a sale's to its month's)."""
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


FIGURES = tuple(Figures.__dataclass_fields__)


@dataclass
class SaleFigures(Figures):
    sale_id: int = 0
    title: str = ""
    day: date | None = None  # the local day of its cutoff


@dataclass
class MonthFigures(Figures):
    month: date | None = None  # its first day
    sales: int = 0


def producer_sales(*, organisation: Organisation, filters: Filters) -> list[SaleFigures]:
    """Each sale of the period with the producer's lines, by cutoff: orders, revenue incl.
    and excl. VAT, missing and weighed lines (see the module). The live sales' in two
    queries, the rolled-up ones' in one (``rolled``), the split in one."""
    live = rolled.live_sales(organisation, filters.start, filters.end)
    # Every point's (the sales' figures), a producer's by their items (``_lines_in``).
    every_point = dataclasses.replace(filters, pickup_point_id=None)
    lines = _lines_in(organisation, every_point, live)
    sale = "order__sale_id"
    missing = Q(is_missing=True)
    weighed = Q(is_missing=False, weighed_kg__isnull=False)
    ordered_amount = Round(F("quantity") * F("unit_price"), 2)
    rows = list(
        lines.values(sale, "order__sale__title", "order__sale__closes_at")
        .annotate(
            orders=Count("order_id", distinct=True),
            missing_lines=Count("pk", filter=missing),
            missing_amount=Sum(ordered_amount, filter=missing),
            weighed_lines=Count("pk", filter=weighed),
            estimated_kg=Sum(F("quantity") * F("estimated_weight_kg"), filter=weighed),
            kg_weighed=Sum("weighed_kg", filter=weighed),  # not the column's name
            estimated_amount=Sum(ordered_amount, filter=weighed),
            weighed_amount=Sum("amount", filter=weighed),
        )
        .values_list(sale, "order__sale__title", "order__sale__closes_at", "orders",
                     "missing_lines", "missing_amount", "weighed_lines", "estimated_kg",
                     "kg_weighed", "estimated_amount", "weighed_amount")
    )  # fmt: skip
    by_rate: dict = defaultdict(dict)
    for sale_id, rate, amount in (
        lines.values(sale, "vat_rate").annotate(amount=Sum("amount"))
        .values_list(sale, "vat_rate", "amount")
    ):  # fmt: skip
        by_rate[sale_id][rate] = amount
    rows += _rolled_sales(organisation, filters, live, by_rate)
    sales = []
    for sale_id, title, closes_at, orders, missing_lines, *amounts in sorted(
        rows, key=lambda row: (row[2], row[0])
    ):
        totals = vat_totals(by_rate[sale_id])
        figures = SaleFigures(
            sale_id=sale_id, title=title, day=timezone.localdate(closes_at, organisation.tzinfo),
            orders=orders,
            amount_incl_vat=sum((total.amount_incl_vat for total in totals), ZERO),
            amount_excl_vat=sum((total.amount_excl_vat for total in totals), ZERO),
            missing_lines=missing_lines, weighed_lines=amounts[1],
        )  # fmt: skip
        for name, value in zip(("missing_amount", "estimated_kg", "weighed_kg",
                                "estimated_amount", "weighed_amount"),
                               (amounts[0], *amounts[2:]), strict=True):  # fmt: skip
            setattr(figures, name, value or ZERO)
        sales.append(figures)
    return sales


def _rolled_sales(organisation: Organisation, filters: Filters, live, by_rate) -> list[tuple]:
    """The rolled-up sales' rows as ``producer_sales`` reads them live, their amounts per
    rate added to ``by_rate``: one query (a row per sale and rate)."""
    every_point = dataclasses.replace(filters, pickup_point_id=None)  # as ``_lines``
    counted = "orders" if filters.producer_id else "point_orders"
    names = ("missing_lines", "missing_amount", "weighed_lines", "estimated_kg", "weighed_kg",
             "estimated_amount", "weighed_amount")  # fmt: skip
    each: dict = {}
    for sale_id, title, closes_at, rate, amount, orders, *figures in (
        rolled.fresh_figures(organisation, every_point, filters.start, filters.end, live)
        .exclude(producer__isnull=True)
        .values("rollup_id", "rollup__sale__title", "closes_at", "vat_rate")
        .annotate(total=Sum("amount"), count=Sum(counted),
                  **{f"sum_{name}": Sum(name) for name in names})
        .values_list("rollup_id", "rollup__sale__title", "closes_at", "vat_rate", "total",
                     "count", *(f"sum_{name}" for name in names))
    ):  # fmt: skip
        by_rate[sale_id][rate] = amount
        row = each.setdefault(sale_id, [sale_id, title, closes_at, 0, *([0] * len(names))])
        row[3] += orders
        for index, value in enumerate(figures):
            row[4 + index] += value
    return [tuple(row) for row in each.values()]


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def producer_months(sales: list[SaleFigures], *, filters: Filters) -> list[MonthFigures]:
    """The sales' figures summed per local calendar month of their cutoff: every month from
    the period's first to its last (a sale of the period's first or last week outside them
    adds its month); no query."""
    months = {}
    month, last = _first_of_month(filters.start), _first_of_month(filters.end)
    while month <= last:
        months[month] = MonthFigures(month=month)
        month = _next_month(month)
    for sale in sales:
        first = _first_of_month(sale.day)
        figures = months.setdefault(first, MonthFigures(month=first))
        figures.add(sale)
        figures.sales += 1
    return [months[month] for month in sorted(months)]


def adjusted(sales: list[SaleFigures]) -> tuple[list[SaleFigures], Figures]:
    """The sales with lines missing or weighed, and their sum over the period."""
    found = [sale for sale in sales if sale.missing_lines or sale.weighed_lines]
    total = Figures()
    for sale in found:
        total.add(sale)
    return found, total


def best_and_worst(products: list[Share], count: int = BEST_AND_WORST):
    """The ``count`` best products (by revenue, best first) and the ``count`` worst (worst
    first), never one product in both lists."""
    best = products[:count]
    worst = products[len(best) :][-count:][::-1]
    return best, worst


@dataclass(frozen=True)
class Unsold:
    name: str
    sales: int  # the period's sales that offered it


def unsold_products(
    *, organisation: Organisation, filters: Filters, sold: list[Share]
) -> list[Unsold]:
    """The producer's products offered in the period's sales (neither left out nor marked
    unavailable) that nobody ordered (none of ``sold``), with how many sales offered them:
    the worst of all. One query."""
    from cabas.sales.models import SaleItem

    since, until = _bounds(organisation, filters.start, filters.end)
    items = (
        SaleItem.objects.filter(
            organisation=organisation, sale__organisation=organisation,
            sale__closes_at__gte=since, sale__closes_at__lt=until,
            product__producer_id=filters.producer_id, is_excluded=False, is_unavailable=False,
        )
        .exclude(product_id__in=[share.key for share in sold])
        .values("product_id", "product__name")
        .annotate(sales=Count("sale_id", distinct=True))
        .order_by("product__name", "product_id")
    )  # fmt: skip
    return [Unsold(name=row["product__name"], sales=row["sales"]) for row in items]


# --- Tables (the page's and the files'): raw numbers, never localised ------------------------


def _figures_cells(figures: Figures) -> list:
    return [
        figures.orders,
        tables.Amount(figures.amount_incl_vat),
        tables.Amount(figures.amount_excl_vat),
        figures.missing_lines,
        tables.Amount(figures.missing_amount),
        figures.weighed_lines,
        figures.estimated_kg,
        figures.weighed_kg,
        tables.Amount(figures.estimated_amount),
        tables.Amount(figures.weighed_amount),
        tables.Amount(figures.weighed_difference),
    ]


def _figures_header() -> list[str]:
    return [
        _("Orders"),
        _("Revenue incl. VAT"),
        _("Revenue excl. VAT"),
        _("Missing lines"),
        _("Missing, value incl. VAT"),
        _("Weighed lines"),
        _("Estimated weight (kg)"),
        _("Weighed weight (kg)"),
        _("Estimated amount incl. VAT"),
        _("Weighed amount incl. VAT"),
        _("Difference incl. VAT"),
    ]


def sales_table(sales: list[SaleFigures]) -> tuple[list[str], list[list]]:
    header = [_("Cutoff"), _("Sale"), *_figures_header()]
    return header, [[sale.day, sale.title, *_figures_cells(sale)] for sale in sales]


def months_table(months: list[MonthFigures]) -> tuple[list[str], list[list]]:
    header = [_("Month"), _("Sales"), *_figures_header()]
    return header, [[month.month, month.sales, *_figures_cells(month)] for month in months]
