"""The drive's figures for the coordinators' dashboard (cooperative groceries): orders and
revenue per opening day, slots by start time, stock-outs, the stock's value week by week
and the days of cover per category. A constant number of grouped queries whatever the
period; the stock's value and the days of cover follow the supply app's one rule
(``supply.reports``, ``supply.sales_rate``, the registered unit costs).

Definitions:

- An **opening day** is a drive sale (``Sale.Kind.DRIVE``: one sale per day the drive opens,
  ``sales.services.drive``); its day is its ``occurrence_date``, or for a drive sale made by
  hand the local day of its first pickup. Like every figure of the dashboard, it belongs to
  the period by the week of its cutoff.
- A **stock-out** is a shop-stock product that a drive order emptied before the sale's
  cutoff: a ledger movement of an order placed or changed (``StockMovement`` with
  ``order_placed``/``order_changed``) whose stock after is 0 or less, made before the cutoff
  of the order's sale. A product counts once per sale, at its first such movement, whatever
  restocking followed; any sale of the period counts (the shop stock is shared by all).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractHour, ExtractMinute, TruncWeek
from django.utils import timezone

from cabas.catalog import categories, stock_reports
from cabas.catalog.models import Product, StockMovement
from cabas.orders.models import Order, OrderLine
from cabas.orgs.models import Organisation
from cabas.sales.models import Drive, Sale, Slot
from cabas.supply import alerts, reports, sales_rate

from .selectors import Filters, _local_day, _sales_in

ZERO = Decimal("0.00")
Reason = StockMovement.Reason
EMPTYING_REASONS = (Reason.ORDER_PLACED, Reason.ORDER_CHANGED)


def has_drive(organisation: Organisation) -> bool:
    """The organisation runs a drive or keeps a shop stock (a cooperative grocery): its
    dashboard has a "Drive" section. One query."""
    drives = Drive.objects.filter(organisation=organisation)
    stocked = Product.objects.filter(organisation=organisation, stock_mode=Product.StockMode.SHOP)
    return (
        Organisation.objects.filter(pk=organisation.pk)
        .filter(Exists(drives) | Exists(stocked))
        .exists()
    )


def _percent(part, whole) -> int | None:
    return round(100 * part / whole) if whole else None


def _drive_sales(organisation: Organisation, filters: Filters):
    return _sales_in(organisation, filters.start, filters.end).filter(kind=Sale.Kind.DRIVE)


# --- Opening days ---------------------------------------------------------------------------


@dataclass
class OpeningDay:
    day: date
    sale_id: int
    orders: int = 0
    amount_incl_vat: Decimal = ZERO
    booked: int = 0  # slot places taken
    capacity: int = 0  # slot places offered

    @property
    def occupancy(self) -> int | None:
        """Percent of the slot places taken; None without slots."""
        return _percent(self.booked, self.capacity)


def opening_days(*, organisation: Organisation, filters: Filters) -> list[OpeningDay]:
    """Each opening day of the period, oldest first: its active orders, their revenue incl.
    VAT (the lines, as the accounting report), and its slot places taken and offered; two
    queries."""
    zone = organisation.tzinfo
    slot_filter = Q()
    if filters.pickup_point_id:
        slot_filter = Q(pickups__pickup_point_id=filters.pickup_point_id)
    sales = (
        _drive_sales(organisation, filters)
        .annotate(
            first_pickup=Min("pickups__starts_at"),
            booked=Sum("pickups__slots__booked", filter=slot_filter),
            capacity=Sum("pickups__slots__capacity", filter=slot_filter),
        )
        .values_list("pk", "occurrence_date", "first_pickup", "closes_at", "booked", "capacity")
    )
    days = {
        pk: OpeningDay(
            day=occurrence or timezone.localdate(first_pickup or closes_at, zone),
            sale_id=pk, booked=booked or 0, capacity=capacity or 0,
        )
        for pk, occurrence, first_pickup, closes_at, booked, capacity in sales
    }  # fmt: skip
    lines = OrderLine.objects.filter(
        organisation=organisation, order__sale__in=_drive_sales(organisation, filters)
    ).exclude(order__status=Order.Status.CANCELLED)
    if filters.pickup_point_id:
        lines = lines.filter(order__pickup__pickup_point_id=filters.pickup_point_id)
    if filters.producer_id:
        lines = lines.filter(producer_id=filters.producer_id)
    for sale_id, orders, amount in (
        lines.values("order__sale_id")
        .annotate(orders=Count("order_id", distinct=True), amount=Sum("amount"))
        .values_list("order__sale_id", "orders", "amount")
    ):
        days[sale_id].orders, days[sale_id].amount_incl_vat = orders, amount
    return sorted(days.values(), key=lambda day: (day.day, day.sale_id))


# --- Slots by start time --------------------------------------------------------------------


@dataclass(frozen=True)
class SlotTime:
    """The opening days' slots starting at one local time: how many, the places offered
    and taken (each active order takes one)."""

    time: str  # "HH:MM"
    slots: int
    capacity: int
    booked: int

    @property
    def occupancy(self) -> int | None:
        return _percent(self.booked, self.capacity)


def slot_times(*, organisation: Organisation, filters: Filters) -> list[SlotTime]:
    """The period's drive slots grouped by local start time, earliest first; one query."""
    zone = organisation.tzinfo
    slots = Slot.objects.filter(
        organisation=organisation, pickup__sale__in=_drive_sales(organisation, filters)
    )
    if filters.pickup_point_id:
        slots = slots.filter(pickup__pickup_point_id=filters.pickup_point_id)
    rows = (
        slots.annotate(hour=ExtractHour("starts_at", tzinfo=zone),
                       minute=ExtractMinute("starts_at", tzinfo=zone))
        .values("hour", "minute")
        .annotate(slots=Count("pk"), capacity=Sum("capacity"), booked=Sum("booked"))
        .values_list("hour", "minute", "slots", "capacity", "booked")
        .order_by("hour", "minute")
    )  # fmt: skip
    return [
        SlotTime(f"{hour:02d}:{minute:02d}", count, capacity, booked)
        for hour, minute, count, capacity, booked in rows
    ]


# --- Stock-outs -----------------------------------------------------------------------------


@dataclass
class StockOutWeek:
    monday: date
    stock_outs: int = 0  # (sale, product) pairs sold out before the cutoff
    products: int = 0  # distinct products among them


@dataclass
class SoldOutProduct:
    product_id: int
    name: str
    times: int  # sales in which it sold out before the cutoff
    offered: int  # sales of the period that offered it
    hours_before_cutoff: Decimal  # on average, how long before the cutoff it sold out

    @property
    def rate(self) -> int | None:
        """Percent of the sales offering it in which it sold out."""
        return _percent(self.times, self.offered)


@dataclass
class StockOuts:
    weeks: list[StockOutWeek] = field(default_factory=list)
    products: list[SoldOutProduct] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(week.stock_outs for week in self.weeks)


def stock_outs(*, organisation: Organisation, filters: Filters) -> StockOuts:
    """The stock-outs of the period's sales (see the module's definition) per week of the
    sale's cutoff, and the products most often sold out (with the sales that offered them
    and how long before the cutoff they ran out on average); two queries."""
    zone = organisation.tzinfo
    sales = _sales_in(organisation, filters.start, filters.end)
    order = Order.objects.filter(pk=OuterRef("order_id"))
    last_monday = filters.end - timedelta(days=filters.end.weekday())
    until = timezone.make_aware(datetime.combine(last_monday + timedelta(weeks=1), time.min), zone)
    movements = (
        StockMovement.objects.filter(
            organisation=organisation, reason__in=EMPTYING_REASONS, quantity_after__lte=0,
            created_at__lt=until,  # before the last cutoff of the period: the ledger's index
            order_id__in=Order.objects.filter(sale__in=sales).values("pk"),
        )
        .annotate(sale_id=Subquery(order.values("sale_id")[:1]),
                  closes_at=Subquery(order.values("sale__closes_at")[:1]))
        .filter(created_at__lt=F("closes_at"))
    )  # fmt: skip
    if filters.producer_id:
        movements = movements.filter(product__producer_id=filters.producer_id)
    events = list(
        movements.values("sale_id", "closes_at", "product_id", "product__name")
        .annotate(first=Min("created_at"))
        .values_list("sale_id", "closes_at", "product_id", "product__name", "first")
        .order_by()
    )
    per_week: dict = defaultdict(lambda: [0, set()])
    per_product: dict = defaultdict(lambda: [0, timedelta(0)])
    names = {}
    for _sale_id, closes_at, product_id, name, first in events:
        local = timezone.localdate(closes_at, zone)
        week = per_week[local - timedelta(days=local.weekday())]
        week[0] += 1
        week[1].add(product_id)
        per_product[product_id][0] += 1
        per_product[product_id][1] += closes_at - first
        names[product_id] = name
    offered = dict(
        sales.filter(items__product_id__in=list(per_product))
        .values("items__product_id")
        .annotate(count=Count("pk", distinct=True))
        .values_list("items__product_id", "count")
    ) if per_product else {}  # fmt: skip
    result = StockOuts()
    monday = filters.start - timedelta(days=filters.start.weekday())
    while monday <= filters.end:
        count, products = per_week.get(monday, (0, set()))
        result.weeks.append(StockOutWeek(monday, count, len(products)))
        monday += timedelta(weeks=1)
    hour = Decimal(3600)
    result.products = sorted(
        (
            SoldOutProduct(pk, names[pk], times, offered.get(pk, times),
                           (Decimal(lead.total_seconds()) / times / hour).quantize(Decimal("0.1")))
            for pk, (times, lead) in per_product.items()
        ),
        key=lambda product: (-product.times, product.name, product.product_id),
    )  # fmt: skip
    return result


# --- Stock value, week by week --------------------------------------------------------------


@dataclass(frozen=True)
class StockValueWeek:
    monday: date
    sunday: date  # the value is the stock's at the end of this day
    value: Decimal


def stock_value_weeks(*, organisation: Organisation, filters: Filters) -> list[StockValueWeek]:
    """The shop stock's value at the end of each week of the period (its Sunday), at the
    registered unit costs (the supply app's purchase prices): what
    ``supply.reports.stock_value_at`` gives for each Sunday, each product's stock being the
    sum of its ledger movements up to then. Four queries whatever the number of weeks: the
    products, their costs, their stock before the period, their movements per week."""
    zone = organisation.tzinfo
    first_monday = filters.start - timedelta(days=filters.start.weekday())
    since = timezone.make_aware(datetime.combine(first_monday, time.min), zone)
    products = list(stock_reports.shop_stock_products(organisation=organisation))
    costs = stock_reports.unit_costs(products)
    ledger = StockMovement.objects.filter(
        organisation=organisation, product__stock_mode=Product.StockMode.SHOP
    ).order_by()
    stock = dict(
        ledger.filter(created_at__lt=since)
        .values("product_id")
        .annotate(quantity=Sum("delta"))
        .values_list("product_id", "quantity")
    )
    changes: dict = defaultdict(dict)
    last_monday = filters.end - timedelta(days=filters.end.weekday())
    until = timezone.make_aware(datetime.combine(last_monday + timedelta(weeks=1), time.min), zone)
    for product_id, monday, delta in (
        ledger.filter(created_at__gte=since, created_at__lt=until)
        .annotate(week=TruncWeek("created_at", tzinfo=zone))
        .values("product_id", "week")
        .annotate(delta=Sum("delta"))
        .values_list("product_id", "week", "delta")
    ):
        changes[_local_day(monday, zone)][product_id] = delta
    weeks = []
    monday = first_monday
    while monday <= filters.end:
        for product_id, delta in changes.get(monday, {}).items():
            stock[product_id] = stock.get(product_id, ZERO) + delta
        value = sum(
            (costs[product.pk].value(stock[product.pk]) for product in products
             if stock.get(product.pk)),
            ZERO,
        )  # fmt: skip
        weeks.append(StockValueWeek(monday, monday + timedelta(days=6), value))
        monday += timedelta(weeks=1)
    return weeks


# --- Days of cover per category, now ---------------------------------------------------------


@dataclass
class CategoryCover:
    category: str
    label: str
    products: int = 0
    out_of_stock: int = 0  # no stock left (0 days of cover)
    under_target: int = 0  # lasts less than the supply team's target cover
    value: Decimal = ZERO  # the stock's value today
    covers: list[Decimal] = field(default_factory=list)  # days, of the products that sell

    @property
    def median_days(self) -> Decimal | None:
        """The median product's days of cover among those that sell (None: none sells)."""
        if not self.covers:
            return None
        ordered = sorted(self.covers)
        middle = len(ordered) // 2
        if len(ordered) % 2:
            return ordered[middle]
        return ((ordered[middle - 1] + ordered[middle]) / 2).quantize(Decimal("0.1"))

    @property
    def shortest_days(self) -> Decimal | None:
        return min(self.covers) if self.covers else None


def cover_by_category(*, organisation: Organisation, today: date) -> list[CategoryCover]:
    """The active shop-stock products per category today: how many, how many with no stock,
    how many under the target cover, the median and shortest days of cover, and the value
    of the category's whole stock, with the supply team's rules (``supply.reports.cover``
    over the settings' sales period ending today, ``alerts.under_target_cover``,
    ``supply.reports.stock_value_at``). Call inside the organisation's context (its days);
    five queries."""
    settings = alerts.settings_or_default(organisation)
    start, end = sales_rate.period_ending(today, settings.sales_period_days)
    rows: dict[str, CategoryCover] = {}

    def of(code: str) -> CategoryCover:
        return rows.setdefault(code, CategoryCover(code, categories.label_of(code)))

    for row in reports.cover(organisation=organisation, start=start, end=end):
        if not row.product.is_active:
            continue
        category = of(row.product.category)
        category.products += 1
        category.out_of_stock += row.stock <= 0
        category.under_target += alerts.under_target_cover(
            row.stock, row.per_day, settings.target_cover_days
        )
        if row.days is not None:
            category.covers.append(row.days)
    # Every product's stock is valued, an inactive one too: the categories add up to the
    # stock's value today.
    for line in reports.stock_value_at(organisation=organisation, day=today):
        of(line.product.category).value += line.value
    return sorted(rows.values(), key=lambda row: row.label)


# --- Everything the section shows ------------------------------------------------------------


@dataclass
class DriveFigures:
    days: list[OpeningDay]
    slots: list[SlotTime]
    stock_outs: StockOuts
    stock_value: list[StockValueWeek]
    cover: list[CategoryCover]

    @property
    def orders(self) -> int:
        return sum(day.orders for day in self.days)

    @property
    def amount_incl_vat(self) -> Decimal:
        return sum((day.amount_incl_vat for day in self.days), ZERO)


def drive_figures(*, organisation: Organisation, filters: Filters, today: date) -> DriveFigures:
    """Every figure of the dashboard's "Drive" section."""
    return DriveFigures(
        days=opening_days(organisation=organisation, filters=filters),
        slots=slot_times(organisation=organisation, filters=filters),
        stock_outs=stock_outs(organisation=organisation, filters=filters),
        stock_value=stock_value_weeks(organisation=organisation, filters=filters),
        cover=cover_by_category(organisation=organisation, today=today),
    )
