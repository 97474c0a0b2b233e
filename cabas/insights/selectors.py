"""The activity's figures for the dashboards, computed in SQL: a few grouped queries
whatever the length of the period, never the orders loaded into Python.

A sale counts in the week of its cutoff (the organisation's calendar, weeks from Monday).
Amounts are those of the accounting report (``money.reports.accounting``): the active
orders' lines, incl. VAT, and excl. VAT computed on each sale's total per VAT rate
(``orders.summaries.vat_totals``), so a week's figure is the sum of its sales' reports.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import ExtractHour, ExtractMinute, TruncWeek
from django.utils import timezone

from cabas.orders.models import Order, OrderLine
from cabas.orders.summaries import vat_totals
from cabas.orgs.models import Organisation
from cabas.sales.models import Sale, Slot

from . import rolled
from .models import SaleRollup

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Filters:
    """A dashboard's period (inclusive days) and optional pickup point and producer."""

    start: date
    end: date
    pickup_point_id: int | None = None
    producer_id: int | None = None


@dataclass
class Week:
    monday: date
    orders: int = 0
    sales: int = 0
    amount_incl_vat: Decimal = ZERO
    amount_excl_vat: Decimal = ZERO
    last_year_orders: int | None = None
    last_year_incl_vat: Decimal | None = None


@dataclass
class WeeklyActivity:
    weeks: list[Week] = field(default_factory=list)

    @property
    def orders(self) -> int:
        return sum(week.orders for week in self.weeks)

    @property
    def amount_incl_vat(self) -> Decimal:
        return sum((week.amount_incl_vat for week in self.weeks), ZERO)

    @property
    def amount_excl_vat(self) -> Decimal:
        return sum((week.amount_excl_vat for week in self.weeks), ZERO)


def _local_day(moment: datetime, zone) -> date:
    """The local day of a truncated week, the one way every week is read: aware (SQLite, or a
    plain TruncWeek) or already the local wall time (PostgreSQL returns an aggregate of it
    without its zone)."""
    return moment.date() if timezone.is_naive(moment) else timezone.localdate(moment, zone)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _bounds(organisation: Organisation, start: date, end: date) -> tuple[datetime, datetime]:
    """Whole weeks: from the Monday of ``start`` to the Monday after ``end``'s week."""
    zone = organisation.tzinfo
    return (
        timezone.make_aware(datetime.combine(_monday(start), time.min), zone),
        timezone.make_aware(datetime.combine(_monday(end) + timedelta(weeks=1), time.min), zone),
    )


def _sales_in(organisation: Organisation, start: date, end: date):
    since, until = _bounds(organisation, start, end)
    return Sale.objects.filter(organisation=organisation, closes_at__gte=since, closes_at__lt=until)


def _figures(organisation: Organisation, filters: Filters, start: date, end: date) -> dict:
    """{monday: [orders, sales, incl. VAT, excl. VAT]} of the sales whose cutoff is in the
    weeks from ``start`` to ``end``: the live sales' in two grouped queries, the rolled-up
    ones' in one (``rolled``), and the split between them in one."""
    live = rolled.live_sales(organisation, start, end)
    week = TruncWeek("sale__closes_at", tzinfo=organisation.tzinfo)
    orders = Order.objects.active().filter(organisation=organisation, sale__in=live)
    lines = _lines_in(organisation, filters, live)
    if filters.pickup_point_id:
        orders = orders.filter(pickup__pickup_point_id=filters.pickup_point_id)
    if filters.producer_id:  # the orders of the producer's lines (found by their items)
        orders = orders.filter(pk__in=lines.values("order_id"))
    figures: dict = defaultdict(lambda: [0, 0, ZERO, ZERO])
    for monday, count, sales in (
        orders.annotate(week=week).values("week")
        .annotate(count=Count("pk", distinct=True), sales=Count("sale_id", distinct=True))
        .values_list("week", "count", "sales")
    ):  # fmt: skip
        figures[_local_day(monday, organisation.tzinfo)][:2] = [count, sales]
    by_sale: dict = defaultdict(lambda: defaultdict(lambda: ZERO))
    sale_week = {}
    for sale_id, monday, rate, amount in (
        lines.annotate(week=TruncWeek("order__sale__closes_at", tzinfo=organisation.tzinfo))
        .values("order__sale_id", "week", "vat_rate")
        .annotate(amount=Sum("amount"))
        .values_list("order__sale_id", "week", "vat_rate", "amount")
    ):
        by_sale[sale_id][rate] += amount
        sale_week[sale_id] = _local_day(monday, organisation.tzinfo)
    _rolled_figures(organisation, filters, (start, end, live), figures, by_sale, sale_week)
    for sale_id, amounts in by_sale.items():
        totals = vat_totals(dict(amounts))
        figures[sale_week[sale_id]][2] += sum((t.amount_incl_vat for t in totals), ZERO)
        figures[sale_week[sale_id]][3] += sum((t.amount_excl_vat for t in totals), ZERO)
    return figures


def _rolled_figures(organisation, filters, period, figures, by_sale, sale_week) -> None:
    """Add the rolled-up sales' orders and sales to ``figures``, their amounts per rate to
    ``by_sale``: one query (a row per sale and rate)."""
    counted = "orders" if filters.producer_id else "point_orders"
    per_sale: dict = defaultdict(int)
    for sale_id, monday, rate, amount, count in (
        rolled.fresh_figures(organisation, filters, *period, by=None)
        .values("rollup_id", "week", "vat_rate")
        .annotate(amount=Sum("amount"), count=Sum(counted))
        .values_list("rollup_id", "week", "vat_rate", "amount", "count")
    ):
        if rate is not None:
            by_sale[sale_id][rate] += amount
        sale_week[sale_id] = monday
        per_sale[sale_id] += count
    for sale_id, count in per_sale.items():
        if count:
            figures[sale_week[sale_id]][0] += count
            figures[sale_week[sale_id]][1] += 1


def weekly_activity(*, organisation: Organisation, filters: Filters) -> WeeklyActivity:
    """Orders and revenue (incl. and excl. VAT) per week of the period, each beside the same
    week a year before when there was activity then: at most eight queries (``_figures``
    twice), whatever the period."""
    now = _figures(organisation, filters, filters.start, filters.end)
    year = timedelta(weeks=52)
    before = _figures(organisation, filters, filters.start - year, filters.end - year)
    activity = WeeklyActivity()
    monday = _monday(filters.start)
    while monday <= filters.end:
        orders, sales, incl, excl = now.get(monday, (0, 0, ZERO, ZERO))
        week = Week(monday=monday, orders=orders, sales=sales, amount_incl_vat=incl,
                    amount_excl_vat=excl)  # fmt: skip
        if monday - year in before:
            week.last_year_orders = before[monday - year][0]
            week.last_year_incl_vat = before[monday - year][2]
        activity.weeks.append(week)
        monday += timedelta(weeks=1)
    return activity


@dataclass(frozen=True)
class Share:
    """One pickup point's or producer's part of the period: orders (or buyers), revenue
    incl. VAT, the average basket and the share of the revenue."""

    key: int
    name: str
    orders: int
    buyers: int
    amount_incl_vat: Decimal
    share: Decimal  # percent of the period's revenue, 1 decimal
    # Points and producers: the weeks they sold in, the change of revenue from the first
    # half of the period to the second (percent; None without revenue in the first half).
    weeks: int | None = None
    trend: Decimal | None = None
    # Producers: a temporary producer.
    temporary: bool = False
    # Points: the period's sales the point was offered in, and the day of its first pickup.
    sales: int | None = None
    opened: date | None = None

    @property
    def average(self) -> Decimal:
        return (self.amount_incl_vat / self.orders).quantize(ZERO) if self.orders else ZERO

    @property
    def per_sale(self) -> Decimal | None:
        """Points: orders per sale the point was offered in (1 decimal)."""
        if not self.sales:
            return None
        return (Decimal(self.orders) / self.sales).quantize(Decimal("0.1"))


def _lines_in(organisation: Organisation, filters: Filters, sale_ids=None):
    """The active orders' lines of the period's sales (of ``sale_ids`` only if given).

    The lines are those of the sales' active orders (``order_id IN``, a subquery): their
    orders found by sale, then each one's lines by the order's index (a sale's orders are a
    hundredth of the table; a join on the sale let PostgreSQL scan every line)."""
    if sale_ids is None:
        sale_ids = _sales_in(organisation, filters.start, filters.end)
    if filters.producer_id:
        lines = _producer_lines(organisation, filters.producer_id, sale_ids)
    else:
        orders = Order.objects.active().filter(organisation=organisation, sale__in=sale_ids)
        lines = OrderLine.objects.filter(organisation=organisation, order__in=orders)
    if filters.pickup_point_id:
        lines = lines.filter(order__pickup__pickup_point_id=filters.pickup_point_id)
    return lines


def _producer_lines(organisation: Organisation, producer_id: int, sale_ids):
    """A producer's lines of the sales' active orders, found by their products' items and the
    (item, producer) index: a few hundred a sale, not through the sales' every order (a
    line's producer is its product's, chosen when the product is created)."""
    return OrderLine.objects.filter(
        organisation=organisation, sale_item__sale__in=sale_ids, producer_id=producer_id,
        sale_item__product__producer_id=producer_id,
    ).exclude(order__status=Order.Status.CANCELLED)  # fmt: skip


def _shares(rows, total: Decimal) -> list[Share]:
    return sorted(
        (
            Share(key=key, name=name, orders=orders, buyers=buyers,
                  amount_incl_vat=amount.quantize(ZERO),
                  share=(100 * amount / total).quantize(Decimal("0.1")) if total else ZERO)
            for key, name, orders, buyers, amount in rows
        ),
        key=lambda share: (-share.amount_incl_vat, share.name),
    )  # fmt: skip


def _trend(earlier: Decimal | None, later: Decimal | None) -> Decimal | None:
    """The change from the first half of the period to the second, in percent; None
    without revenue in the first half."""
    if not earlier:
        return None
    return (100 * ((later or ZERO) - earlier) / earlier).quantize(Decimal("1"))


def _grouped_over_time(
    organisation: Organisation, filters: Filters, key: str, name: str, rolled_key: str
) -> list[Share]:
    """Each one's orders, buyers, revenue and share (``Share``), the weeks it sold in and its
    trend (first half of the period against the second): the live sales' lines in one query
    grouped by week, the rolled-up sales' in one, the buyers over both in one, the split in
    one."""
    since, until = _bounds(organisation, filters.start, filters.end)
    middle = since + (until - since) / 2
    live = rolled.live_sales(organisation, filters.start, filters.end)
    lines = _lines_in(organisation, filters, live)
    earlier, later = Q(order__sale__closes_at__lt=middle), Q(order__sale__closes_at__gte=middle)
    week = TruncWeek("order__sale__closes_at", tzinfo=organisation.tzinfo)
    rows = list(
        lines.annotate(week=week).values(key, name, "week")
        .annotate(orders=Count("order_id", distinct=True), revenue=Sum("amount"),
                  earlier=Sum("amount", filter=earlier), later=Sum("amount", filter=later))
        .values_list(key, name, "week", "orders", "revenue", "earlier", "later")
    )  # fmt: skip
    counted = "orders" if filters.producer_id or rolled_key == "producer_id" else "point_orders"
    rows += list(
        rolled.fresh_figures(organisation, filters, filters.start, filters.end, live,
                             by=rolled_key)
        .exclude(vat_rate__isnull=True)  # the orders without lines
        .values(rolled_key, rolled_key.replace("_id", "__name"), "week")
        .annotate(orders=Sum(counted), revenue=Sum("amount"),
                  earlier=Sum("amount", filter=Q(closes_at__lt=middle)),
                  later=Sum("amount", filter=Q(closes_at__gte=middle)))
        .values_list(rolled_key, rolled_key.replace("_id", "__name"), "week", "orders",
                     "revenue", "earlier", "later")
    )  # fmt: skip
    per_producer = rolled_key == "producer_id"
    bought = rolled.fresh_buyers(organisation, filters, live, per_producer=per_producer)
    firsts = None
    if live.linked:  # the pairs counted as their first rows of the period
        field = rolled.previous(filters, per_producer=per_producer)
        firsts = rolled.pairs(rolled.first_rows(bought, field, since), rolled_key, "user_id")
    buyers = rolled.distinct_counts(
        rolled.pairs(bought, rolled_key, "user_id"),
        rolled.pairs(lines, key, "order__user_id") if live else None,
        firsts=firsts,
    )
    each: dict = {}
    for k, label, monday, orders, revenue, first, second in rows:
        one = each.setdefault(k, [label, 0, ZERO, set(), ZERO, ZERO])
        one[1] += orders
        one[2] += revenue
        one[3].add(_local_day_or_date(monday, organisation.tzinfo))
        one[4] += first or ZERO
        one[5] += second or ZERO
    total = sum((one[2] for one in each.values()), ZERO)
    shares = _shares(
        [(k, one[0], one[1], buyers.get(k, 0), one[2]) for k, one in each.items()], total
    )
    return [
        dataclasses.replace(share, weeks=len(each[share.key][3]),
                            trend=_trend(each[share.key][4], each[share.key][5]))
        for share in shares
    ]  # fmt: skip


def points_activity(*, organisation: Organisation, filters: Filters) -> list[Share]:
    """Each pickup point over the period: orders, buyers, revenue incl. VAT, average basket,
    share of the revenue, weeks and trend; the sales it was offered in and its orders per
    sale, and the day of its first pickup ever (a point opened recently compared with the
    others by its orders per sale): at most five queries (``_grouped_over_time``, then the
    pickups)."""
    from cabas.sales.models import Pickup

    shares = _grouped_over_time(
        organisation, filters, "order__pickup__pickup_point_id",
        "order__pickup__pickup_point__name", "pickup_point_id",
    )  # fmt: skip
    if not shares:
        return shares
    period = _sales_in(organisation, filters.start, filters.end)
    offered = {
        point: (sales, first)
        for point, sales, first in Pickup.objects.filter(
            organisation=organisation, pickup_point_id__in=[share.key for share in shares]
        )
        .values("pickup_point_id")
        .annotate(
            sales=Count("sale_id", distinct=True, filter=Q(sale__in=period)),
            first=Min("starts_at"),
        )
        .values_list("pickup_point_id", "sales", "first")
    }
    return [
        dataclasses.replace(
            share, sales=offered[share.key][0],
            opened=timezone.localdate(offered[share.key][1], organisation.tzinfo),
        )
        for share in shares
    ]  # fmt: skip


def producers_activity(*, organisation: Organisation, filters: Filters) -> list[Share]:
    """Each producer over the period: orders with their products, buyers, revenue incl.
    VAT, share of the revenue, the weeks they sold in and their trend (first half of the
    period against the second), and whether they are a temporary producer: at most five
    queries."""
    from cabas.catalog.models import ProducerLink

    temporary = set(
        ProducerLink.objects.filter(
            organisation=organisation, status=ProducerLink.Status.TEMPORARY
        ).values_list("producer_id", flat=True)
    )
    return [
        dataclasses.replace(share, temporary=share.key in temporary)
        for share in _grouped_over_time(
            organisation, filters, "producer_id", "producer__name", "producer_id"
        )
    ]


def products_activity(*, organisation: Organisation, filters: Filters) -> list[Share]:
    """Each product over the period (of one producer with ``filters.producer_id``): orders,
    buyers, revenue incl. VAT and share, best first; one query: the sales whose rollup is
    fresh from their (point, product, member) rows (``models.SaleProductBuyer``), the
    others from their lines, the buyers counted distinct over both."""
    fresh = SaleRollup.objects.filter(fresh=True).values("sale_id")
    live_sales = _sales_in(organisation, filters.start, filters.end).exclude(pk__in=fresh)
    lines = _lines_in(organisation, filters, live_sales)
    live = (
        lines.annotate(k=F("product_id"), u=F("order__user_id")).values("k", "u")
        .annotate(n=Count("order_id", distinct=True), a=Sum("amount"))
        .values_list("k", "u", "n", "a")
    )  # fmt: skip
    rolled_up = (
        rolled.fresh_product_buyers(organisation, filters)
        .annotate(k=F("product_id"), u=F("user_id"), n=F("orders"), a=F("amount"))
        .values_list("k", "u", "n", "a")
    )
    rows = rolled.product_counts(rolled_up, live)
    return _shares(rows, sum((row[4] for row in rows), ZERO))


# A member who has not ordered for this many weeks is "lapsed" (the week after their last
# order's week plus this).
LAPSED_AFTER_WEEKS = 8


@dataclass
class MembersWeek:
    monday: date
    buyers: int = 0
    new: int = 0
    lapsed: int = 0

    @property
    def returning(self) -> int:
        return self.buyers - self.new


def members_activity(*, organisation: Organisation, filters: Filters) -> list[MembersWeek]:
    """Per week of the period: the members who ordered (buyers), those ordering for the
    first time (new), the others (returning), and those whose last order was
    ``LAPSED_AFTER_WEEKS`` weeks before (lapsed): one row per week or per buyer (their first
    and last week), never their orders; each from the live sales and the rolled-up ones
    (``rolled``), at most six queries (four when every sale is rolled up)."""
    zone = organisation.tzinfo
    week = TruncWeek("sale__closes_at", tzinfo=zone)
    orders = Order.objects.active().filter(organisation=organisation)
    live = rolled.live_sales(organisation, filters.start, filters.end)
    buyers = {
        _local_day(monday, zone): count
        for monday, count in orders.filter(sale__in=live).annotate(week=week)
        .values("week").annotate(count=Count("user_id", distinct=True))
        .values_list("week", "count")
    }  # fmt: skip
    buyers.update(
        rolled.fresh_members(organisation, filters.start, filters.end, live)
        .values("week").annotate(count=Count("user_id", distinct=True))
        .values_list("week", "count")
    )  # fmt: skip
    ever = rolled.live_sales(organisation, None, None)
    each: dict = {}
    for rows in (
        orders.filter(sale__in=ever).values("user_id").annotate(first=Min(week), last=Max(week)),
        rolled.fresh_members(organisation, None, None, ever)
        .values("user_id").annotate(first=Min("week"), last=Max("week")),
    ):  # fmt: skip
        for user_id, first, last in rows.values_list("user_id", "first", "last"):
            first, last = _local_day_or_date(first, zone), _local_day_or_date(last, zone)
            known = each.get(user_id)
            each[user_id] = (min(known[0], first), max(known[1], last)) if known else (first, last)
    firsts: dict = defaultdict(int)
    lasts: dict = defaultdict(int)
    lapse = timedelta(weeks=LAPSED_AFTER_WEEKS)
    for first, last in each.values():
        firsts[first] += 1
        lasts[last + lapse] += 1
    weeks = []
    monday = _monday(filters.start)
    while monday <= filters.end:
        weeks.append(
            MembersWeek(
                monday=monday,
                buyers=buyers.get(monday, 0),
                new=firsts.get(monday, 0),
                lapsed=lasts.get(monday, 0),
            )
        )
        monday += timedelta(weeks=1)
    return weeks


def _local_day_or_date(value, zone) -> date:
    """A week from the live rows (a truncated moment) or the rollup's (a date)."""
    return _local_day(value, zone) if isinstance(value, datetime) else value


@dataclass
class SlotRow:
    """A pickup point's slots over the period, by local start time: occupancy in percent
    (booked ÷ capacity, None where it had no slot at that time), and its no-show rate."""

    name: str
    cells: list[int | None]
    no_show_rate: Decimal | None = None


@dataclass
class SlotHeat:
    times: list[str]
    rows: list[SlotRow]


def slots_activity(*, organisation: Organisation, filters: Filters) -> SlotHeat:
    """Occupancy of the slots per pickup point and local start time over the period's
    sales (which hours fill first, which stay empty), and each point's no-show rate among
    the orders collected or not (``rolled.no_show_counts``): two queries."""
    zone = organisation.tzinfo
    sales = _sales_in(organisation, filters.start, filters.end)
    slots = Slot.objects.filter(organisation=organisation, pickup__sale__in=sales)
    if filters.pickup_point_id:
        slots = slots.filter(pickup__pickup_point_id=filters.pickup_point_id)
    point, name = "pickup__pickup_point_id", "pickup__pickup_point__name"
    grouped = (
        slots.annotate(hour=ExtractHour("starts_at", tzinfo=zone),
                       minute=ExtractMinute("starts_at", tzinfo=zone))
        .values(point, name, "hour", "minute")
        .annotate(booked=Sum("booked"), capacity=Sum("capacity"))
        .values_list(point, name, "hour", "minute", "booked", "capacity")
    )  # fmt: skip
    points: dict = {}
    times: set = set()
    for point_id, point_name, hour, minute, booked, capacity in grouped:
        label = f"{hour:02d}:{minute:02d}"
        times.add(label)
        cells = points.setdefault(point_id, (point_name, {}))[1]
        cells[label] = round(100 * booked / capacity) if capacity else 0
    no_shows = rolled.no_show_counts(organisation, filters, sales, list(points)) if points else {}
    ordered = sorted(times)
    rows = []
    for point_id, (point_name, cells) in sorted(points.items(), key=lambda item: item[1][0]):
        missed, total = no_shows.get(point_id, (0, 0))
        rate = (Decimal(100 * missed) / total).quantize(Decimal("0.1")) if total else None
        rows.append(SlotRow(point_name, [cells.get(label) for label in ordered], rate))
    return SlotHeat(times=ordered, rows=rows)


def points_map(points: list[Share]) -> list[dict]:
    """The pickup points of ``points`` that have coordinates, with their orders, as plain
    data for the map (circles sized by orders): one query."""
    from cabas.sales.models import PickupPoint

    orders = {share.key: share.orders for share in points}
    return [
        {"id": point.pk, "name": point.name, "lat": float(point.latitude),
         "lng": float(point.longitude), "orders": orders[point.pk]}
        for point in PickupPoint.objects.filter(pk__in=list(orders)).order_by("name")
        if point.has_coordinates
    ]  # fmt: skip
