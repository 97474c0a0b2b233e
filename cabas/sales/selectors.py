"""Reads of the sales app, always scoped by organisation, with their joins decided here so that
list pages run a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from cabas.catalog.models import Producer
from cabas.catalog.selectors import product_search_q
from cabas.orgs.models import Organisation

from .models import (
    ClosingPeriod,
    Drive,
    DriveHours,
    Pickup,
    PickupPoint,
    Sale,
    SaleItem,
    SalesSettings,
    Schedule,
    SchedulePickup,
    Slot,
    SlotMode,
    Weekday,
    taking_orders_q,
)

CURRENT_STATUSES = (
    Sale.Status.DRAFT,
    Sale.Status.SCHEDULED,
    Sale.Status.OPEN,
    Sale.Status.CLOSED,
)


def sales_of(organisation: Organisation) -> QuerySet[Sale]:
    return Sale.objects.filter(organisation=organisation)


def sales_taking_new_products(*, organisation: Organisation, now: datetime) -> QuerySet[Sale]:
    """The open and scheduled sales whose cutoff has not passed, soonest first: where new
    products (an import's) may still be offered."""
    return (
        sales_of(organisation)
        .filter(status__in=[Sale.Status.OPEN, Sale.Status.SCHEDULED], closes_at__gt=now)
        .order_by("closes_at", "pk")
    )


def sale_list(*, organisation: Organisation, past: bool = False) -> QuerySet[Sale]:
    """Sales with their number of pickups and of booked orders (from the pickups' counters).
    Current sales (draft to closed) soonest first; past ones (distributed, archived) latest
    first."""
    sales = sales_of(organisation).annotate(
        pickup_count=Count("pickups"),
        order_count=Coalesce(Sum("pickups__booked"), 0),
        first_pickup_at=Min("pickups__starts_at"),
    )
    if past:
        return sales.exclude(status__in=CURRENT_STATUSES).order_by("-closes_at")
    return sales.filter(status__in=CURRENT_STATUSES).order_by("closes_at", "pk")


def sale_pickups(*, sale: Sale) -> QuerySet[Pickup]:
    """A sale's pickups with their point and number of slots (``slot_count``: a sale at ten
    times our size has a thousand slots, not to be loaded for their number)."""
    return (
        Pickup.objects.filter(sale=sale)
        .select_related("pickup_point")
        .annotate(slot_count=Count("slots"))
        .order_by("starts_at", "pickup_point__name")
    )


def sale_order_count(*, sale: Sale) -> int:
    return Pickup.objects.filter(sale=sale).aggregate(n=Coalesce(Sum("booked"), 0))["n"]


def sale_minimum_order_amount(*, sale: Sale) -> Decimal:
    """The sale's own minimum, else the organisation's default (0: no minimum)."""
    if sale.minimum_order_amount is not None:
        return sale.minimum_order_amount
    organisation = Sale.organisation.field.get_cached_value(sale, default=None)
    if organisation is not None and Organisation.sales_settings.is_cached(organisation):
        # Read with the sale (``cabas.orders.selectors.shop_sale``, the API's orders).
        settings = getattr(organisation, "sales_settings", None)
    else:
        settings = SalesSettings.objects.filter(organisation_id=sale.organisation_id).first()
    return settings.minimum_order_amount if settings else Decimal("0.00")


def sales_settings_of(organisation: Organisation) -> SalesSettings:
    """The organisation's sales settings (unsaved defaults if never set)."""
    return SalesSettings.objects.filter(organisation=organisation).first() or SalesSettings(
        organisation=organisation
    )


def sale_items(*, sale: Sale, producer: Producer | None = None) -> QuerySet[SaleItem]:
    """What a sale offers (all its items), by producer then product."""
    items = SaleItem.objects.filter(sale=sale).select_related("product", "product__producer")
    if producer is not None:
        items = items.filter(product__producer=producer)
    return items.order_by("product__producer__name", "product__name", "pk")


def sale_items_found(
    items: QuerySet[SaleItem], *, producer_id: int | None = None, search: str = ""
) -> QuerySet[SaleItem]:
    """``items`` of one producer and whose product matches ``search`` (the catalog's search:
    name, description or producer, whatever the accents), when given."""
    if producer_id is not None:
        items = items.filter(product__producer_id=producer_id)
    if search:
        items = items.filter(product_search_q(search, prefix="product__"))
    return items


def item_producers(items: QuerySet[SaleItem]) -> list[dict]:
    """The producers of ``items`` (id and name), by name: the choices of a filter."""
    rows = (
        items.order_by("product__producer__name", "product__producer_id")
        .values_list("product__producer_id", "product__producer__name")
        .distinct()
    )
    return [{"id": producer_id, "name": name} for producer_id, name in rows]


def sale_producers(*, sale: Sale) -> list[dict]:
    """Producers with products in the sale: counts of offered items and whether the whole
    producer is left out."""
    excluded = set(sale.excluded_producers.values_list("pk", flat=True))
    rows = (
        SaleItem.objects.filter(sale=sale)
        .values("product__producer_id", "product__producer__name")
        .annotate(
            items=Count("pk"),
            offered=Count(
                "pk",
                filter=Q(is_excluded=False, is_unavailable=False, product__is_active=True),
            ),
        )
        .order_by("product__producer__name")
    )
    return [
        {
            "id": row["product__producer_id"],
            "name": row["product__producer__name"],
            "items": row["items"],
            "offered": row["offered"],
            "excluded": row["product__producer_id"] in excluded,
        }
        for row in rows
    ]


def pickup_points(*, organisation: Organisation, active_only: bool = False):
    points = PickupPoint.objects.filter(organisation=organisation)
    if active_only:
        points = points.filter(is_active=True)
    return points.order_by("name")


def pickup_points_map_data(points) -> list[dict]:
    """Points with coordinates, as plain data for the map script (no query: give it the list
    already shown on the page)."""
    return [
        {
            "id": point.pk,
            "name": point.name,
            "address": ", ".join(p for p in (point.address, point.postcode, point.town) if p),
            "lat": float(point.latitude),
            "lng": float(point.longitude),
        }
        for point in points
        if point.has_coordinates
    ]


def pickup_of(*, organisation: Organisation) -> QuerySet[Pickup]:
    return Pickup.objects.filter(organisation=organisation).select_related("sale", "pickup_point")


def pickup_slots(*, pickup: Pickup) -> QuerySet[Slot]:
    return Slot.objects.filter(pickup=pickup).order_by("starts_at")


def bookable_slots(*, organisation: Organisation, now: datetime, limit: int = 60) -> list[Slot]:
    """The next slots a member can book, soonest first (open sale, before its cutoff, open
    slot with room, lead time not passed)."""
    return list(
        Slot.objects.bookable(now)
        .filter(organisation=organisation)
        .select_related("pickup__pickup_point", "pickup__sale")
        .order_by("starts_at", "pickup__pickup_point__name")[:limit]
    )


def bookable_pickups_without_slots(*, organisation: Organisation, now: datetime) -> list[Pickup]:
    """Pickups of open sales without slots that still take orders."""
    return list(
        Pickup.objects.filter(
            taking_orders_q(now, "sale__"),
            organisation=organisation,
        )
        .exclude(slot_mode=SlotMode.SLOTS)
        .filter(Q(capacity__isnull=True) | Q(booked__lt=F("capacity")))
        .select_related("pickup_point", "sale")
        .order_by("starts_at", "pickup_point__name")
    )


def schedules(*, organisation: Organisation) -> QuerySet[Schedule]:
    return (
        Schedule.objects.filter(organisation=organisation)
        .prefetch_related(
            Prefetch(
                "pickups",
                queryset=SchedulePickup.objects.select_related("pickup_point").order_by(
                    "weekday", "starts_time", "pickup_point__name"
                ),
            )
        )
        .annotate(sale_count=Count("sales"))
        .order_by("name")
    )


def closing_periods(*, organisation: Organisation, from_day: date) -> QuerySet[ClosingPeriod]:
    return ClosingPeriod.objects.filter(organisation=organisation, last_day__gte=from_day)


def drive_of(organisation: Organisation) -> Drive | None:
    return Drive.objects.filter(organisation=organisation).select_related("pickup_point").first()


def drive_hours_by_weekday(organisation: Organisation) -> dict[int, list[DriveHours]]:
    hours: dict[int, list[DriveHours]] = defaultdict(list)
    for opening in DriveHours.objects.filter(organisation=organisation).order_by(
        "weekday", "starts_time"
    ):
        hours[opening.weekday].append(opening)
    return {day: hours.get(day, []) for day in Weekday.values}


def producer_sales(*, organisation: Organisation, producer: Producer) -> QuerySet[Sale]:
    """Coming and open sales in which the producer has products."""
    return (
        sales_of(organisation)
        .filter(
            status__in=[Sale.Status.DRAFT, Sale.Status.SCHEDULED, Sale.Status.OPEN],
            items__product__producer=producer,
        )
        .annotate(
            item_count=Count("items", filter=Q(items__product__producer=producer)),
            unavailable_count=Count(
                "items",
                filter=Q(items__product__producer=producer, items__is_unavailable=True),
            ),
        )
        .order_by("closes_at", "pk")
    )


def producer_past_sales(*, organisation: Organisation, producer: Producer) -> QuerySet[Sale]:
    """Closed and distributed sales in which the producer had products, latest first (the
    producer reads each one's summary from there)."""
    return (
        sales_of(organisation)
        .filter(
            Exists(SaleItem.objects.filter(sale_id=OuterRef("pk"), product__producer=producer)),
            status__in=[Sale.Status.CLOSED, Sale.Status.DISTRIBUTED],
        )
        .order_by("-closes_at", "-pk")
    )


# --- What the home pages show: the next opening, and a coordinator's week -------------------


def next_sale_opening(*, organisation: Organisation, now: datetime) -> Sale | None:
    """The next sale to open (scheduled or open, opening after ``now``): what members wait
    for when no sale takes orders."""
    return (
        sales_of(organisation)
        .filter(status__in=[Sale.Status.SCHEDULED, Sale.Status.OPEN], opens_at__gt=now)
        .order_by("opens_at", "pk")
        .first()
    )


def sales_closing(*, organisation: Organisation, now: datetime, until: datetime) -> list[Sale]:
    """Sales taking orders whose cutoff comes before ``until``, soonest first, each with its
    ``order_count`` (the pickups' booking counters) and ``pickup_count``."""
    return list(
        sales_of(organisation)
        .filter(taking_orders_q(now), closes_at__lt=until)
        .annotate(order_count=Coalesce(Sum("pickups__booked"), 0), pickup_count=Count("pickups"))
        .order_by("closes_at", "pk")
    )


def open_sales_without_pickup(*, organisation: Organisation, now: datetime) -> list[Sale]:
    """Sales taking orders (or about to) where nobody can order: they have no pickup."""
    return list(
        sales_of(organisation)
        .filter(status__in=[Sale.Status.SCHEDULED, Sale.Status.OPEN], closes_at__gt=now)
        .filter(pickups__isnull=True)
        .order_by("opens_at", "pk")
    )


def pickups_between(*, organisation: Organisation, start: datetime, end: datetime) -> list[Pickup]:
    """Pickups not closed starting in [start, end) of sales open or closed, soonest first, with
    their point and sale, their ``order_count`` (booking counter), ``slot_count`` and
    ``empty_slot_count`` (open slots nobody booked)."""
    return list(
        Pickup.objects.filter(
            organisation=organisation,
            closed_at__isnull=True,
            sale__status__in=[Sale.Status.OPEN, Sale.Status.CLOSED],
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("pickup_point", "sale")
        .annotate(
            order_count=F("booked"),
            slot_count=Count("slots"),
            empty_slot_count=Count("slots", filter=Q(slots__booked=0, slots__is_open=True)),
        )
        .order_by("starts_at", "pickup_point__name", "pk")
    )


def pickups_to_close(*, organisation: Organisation, now: datetime) -> list[Pickup]:
    """Pickups that are over (their end has passed) but not closed yet: their orders' amounts
    are not final, nothing is due on the members' accounts."""
    return list(
        Pickup.objects.filter(
            organisation=organisation,
            closed_at__isnull=True,
            sale__status__in=[Sale.Status.OPEN, Sale.Status.CLOSED],
            ends_at__lte=now,
        )
        .select_related("pickup_point", "sale")
        .annotate(order_count=F("booked"))
        .order_by("starts_at", "pickup_point__name", "pk")
    )
