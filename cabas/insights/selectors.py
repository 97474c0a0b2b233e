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

from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import ExtractHour, ExtractMinute, TruncWeek
from django.utils import timezone

from cabas.orders.models import Order, OrderLine
from cabas.orders.summaries import vat_totals
from cabas.orgs.models import Organisation
from cabas.sales.models import Sale, Slot

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
    """The local day of a truncated week: aware (SQLite, or a plain TruncWeek) or already the
    local wall time (PostgreSQL returns an aggregate of it without its zone)."""
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
    weeks from ``start`` to ``end``: two grouped queries."""
    week = TruncWeek("sale__closes_at", tzinfo=organisation.tzinfo)
    orders = Order.objects.active().filter(
        organisation=organisation, sale__in=_sales_in(organisation, start, end)
    )
    lines = OrderLine.objects.filter(order__in=orders)
    if filters.pickup_point_id:
        orders = orders.filter(pickup__pickup_point_id=filters.pickup_point_id)
        lines = lines.filter(order__pickup__pickup_point_id=filters.pickup_point_id)
    if filters.producer_id:
        orders = orders.filter(lines__producer_id=filters.producer_id)
        lines = lines.filter(producer_id=filters.producer_id)
    figures: dict = defaultdict(lambda: [0, 0, ZERO, ZERO])
    for monday, count, sales in (
        orders.annotate(week=week).values("week")
        .annotate(count=Count("pk", distinct=True), sales=Count("sale_id", distinct=True))
        .values_list("week", "count", "sales")
    ):  # fmt: skip
        figures[timezone.localdate(monday, organisation.tzinfo)][:2] = [count, sales]
    by_sale: dict = defaultdict(lambda: defaultdict(lambda: ZERO))
    sale_week = {}
    for sale_id, monday, rate, amount in (
        lines.annotate(week=TruncWeek("order__sale__closes_at", tzinfo=organisation.tzinfo))
        .values("order__sale_id", "week", "vat_rate")
        .annotate(amount=Sum("amount"))
        .values_list("order__sale_id", "week", "vat_rate", "amount")
    ):
        by_sale[sale_id][rate] += amount
        sale_week[sale_id] = timezone.localdate(monday, organisation.tzinfo)
    for sale_id, amounts in by_sale.items():
        totals = vat_totals(dict(amounts))
        figures[sale_week[sale_id]][2] += sum((t.amount_incl_vat for t in totals), ZERO)
        figures[sale_week[sale_id]][3] += sum((t.amount_excl_vat for t in totals), ZERO)
    return figures


def weekly_activity(*, organisation: Organisation, filters: Filters) -> WeeklyActivity:
    """Orders and revenue (incl. and excl. VAT) per week of the period, each beside the same
    week a year before when there was activity then: four queries, whatever the period."""
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
    # Producers: the weeks they sold in, the change of revenue from the first half of the
    # period to the second (percent; None without revenue in the first half), temporary.
    weeks: int | None = None
    trend: Decimal | None = None
    temporary: bool = False

    @property
    def average(self) -> Decimal:
        return (self.amount_incl_vat / self.orders).quantize(ZERO) if self.orders else ZERO


def _lines_in(organisation: Organisation, filters: Filters):
    lines = OrderLine.objects.filter(
        organisation=organisation,
        order__sale__in=_sales_in(organisation, filters.start, filters.end),
    ).exclude(order__status=Order.Status.CANCELLED)
    if filters.pickup_point_id:
        lines = lines.filter(order__pickup__pickup_point_id=filters.pickup_point_id)
    if filters.producer_id:
        lines = lines.filter(producer_id=filters.producer_id)
    return lines


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


def _grouped(lines, key: str, name: str) -> list[Share]:
    rows = list(
        lines.values(key, name)
        .annotate(
            orders=Count("order_id", distinct=True),
            buyers=Count("order__user_id", distinct=True),
            amount=Sum("amount"),
        )
        .values_list(key, name, "orders", "buyers", "amount")
    )
    return _shares(rows, sum((row[4] for row in rows), ZERO))


def points_activity(*, organisation: Organisation, filters: Filters) -> list[Share]:
    """Each pickup point over the period: orders, buyers, revenue incl. VAT, average basket,
    share of the revenue; one query."""
    return _grouped(
        _lines_in(organisation, filters), "order__pickup__pickup_point_id",
        "order__pickup__pickup_point__name",
    )  # fmt: skip


def producers_activity(*, organisation: Organisation, filters: Filters) -> list[Share]:
    """Each producer over the period: orders with their products, buyers, revenue incl.
    VAT, share of the revenue, the weeks they sold in and their trend (first half of the
    period against the second), and whether they are a temporary producer: two queries."""
    from cabas.catalog.models import ProducerLink

    zone = organisation.tzinfo
    since, until = _bounds(organisation, filters.start, filters.end)
    middle = since + (until - since) / 2
    rows = list(
        _lines_in(organisation, filters)
        .values("producer_id", "producer__name")
        .annotate(
            orders=Count("order_id", distinct=True),
            buyers=Count("order__user_id", distinct=True),
            revenue=Sum("amount"),
            weeks=Count(TruncWeek("order__sale__closes_at", tzinfo=zone), distinct=True),
            earlier=Sum("amount", filter=Q(order__sale__closes_at__lt=middle)),
            later=Sum("amount", filter=Q(order__sale__closes_at__gte=middle)),
        )
        .values_list("producer_id", "producer__name", "orders", "buyers", "revenue", "weeks",
                     "earlier", "later")
    )  # fmt: skip
    temporary = set(
        ProducerLink.objects.filter(
            organisation=organisation, status=ProducerLink.Status.TEMPORARY
        ).values_list("producer_id", flat=True)
    )
    total = sum((row[4] for row in rows), ZERO)
    extra = {row[0]: row[5:] for row in rows}
    shares = []
    for share in _shares([row[:5] for row in rows], total):
        weeks, earlier, later = extra[share.key]
        trend = (
            (100 * ((later or ZERO) - earlier) / earlier).quantize(Decimal("1"))
            if earlier
            else None
        )
        shares.append(
            dataclasses.replace(share, weeks=weeks, trend=trend, temporary=share.key in temporary)
        )
    return shares


def products_activity(*, organisation: Organisation, filters: Filters) -> list[Share]:
    """Each product over the period (of one producer with ``filters.producer_id``): orders,
    buyers, revenue incl. VAT and share, best first; one query."""
    return _grouped(_lines_in(organisation, filters), "product_id", "product__name")


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
    ``LAPSED_AFTER_WEEKS`` weeks before (lapsed): three queries, one row per week or per
    buyer (their first and last week), never their orders."""
    zone = organisation.tzinfo
    week = TruncWeek("sale__closes_at", tzinfo=zone)
    orders = Order.objects.active().filter(organisation=organisation)
    in_period = orders.filter(sale__in=_sales_in(organisation, filters.start, filters.end))
    buyers = {
        timezone.localdate(monday, zone): count
        for monday, count in in_period.annotate(week=week)
        .values("week")
        .annotate(count=Count("user_id", distinct=True))
        .values_list("week", "count")
    }
    firsts: dict = defaultdict(int)
    lasts: dict = defaultdict(int)
    lapse = timedelta(weeks=LAPSED_AFTER_WEEKS)
    for first, last in (
        orders.values("user_id")
        .annotate(first=Min(week), last=Max(week))
        .values_list("first", "last")
    ):
        firsts[_local_day(first, zone)] += 1
        lasts[_local_day(last, zone) + lapse] += 1
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
    the orders collected or not: two queries."""
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
    handed = Order.objects.filter(
        organisation=organisation, sale__in=sales, pickup__pickup_point_id__in=list(points),
        status__in=[Order.Status.COLLECTED, Order.Status.NO_SHOW],
    )  # fmt: skip
    no_shows = {
        point_id: (missed, total)
        for point_id, missed, total in handed.values(point)
        .annotate(missed=Count("pk", filter=Q(status=Order.Status.NO_SHOW)), total=Count("pk"))
        .values_list(point, "missed", "total")
    } if points else {}  # fmt: skip
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
