"""The checkout's choices: the sale's pickups with the places each can still book, and the
chosen one's places (the checkout page; the API's slots page reads the same rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import caches

from cabas.sales.models import Pickup, Sale, Slot

from .models import Order


@dataclass
class CheckoutPlace:
    """One choice of the checkout: a slot, or a pickup without slots ("<pickup>-<slot or 0>")."""

    value: str
    slot: Slot | None
    bookable: bool
    full: bool


@dataclass
class CheckoutPoint:
    """A pickup of the sale (its point, on its date), how many of its places can be booked,
    and its places (listed for the chosen pickup, or a pickup without slots)."""

    pickup: Pickup
    places: list[CheckoutPlace]
    free_count: int = 0
    usual: bool = False
    slot_rows: list[dict] = field(default_factory=list, repr=False)

    @property
    def bookable(self) -> bool:
        return self.free_count > 0


@dataclass
class CheckoutChoices:
    points: list[CheckoutPoint]
    chosen: CheckoutPoint | None  # whose places the page shows


def usual_pickup_point_id(*, organisation_id: int, user, sale: Sale) -> int | None:
    """The pickup point of the member's last order in the organisation (another sale's)."""
    return (
        Order.objects.latest_elsewhere(organisation_id=organisation_id, user=user, sale=sale)
        .values_list("pickup__pickup_point_id", flat=True)
        .first()
    )


def _checkout_points(
    sale: Sale, editing: Order | None, now: datetime, recent: bool
) -> list[CheckoutPoint]:
    """The sale's pickups, each with how many of its places can be booked now (the place of
    the order being changed counts: it keeps it). Two queries (none with ``recent`` within
    the period); the slots are counted from plain values, not built into model instances."""
    points = []
    for pickup, slot_rows in _slot_rows(sale, recent):
        kept = editing is not None and editing.pickup_id == pickup.pk
        if not pickup.has_slots:
            full = pickup.capacity is not None and pickup.booked >= pickup.capacity
            bookable = slot_is_bookable(pickup, None, now) or kept
            place = CheckoutPlace(f"{pickup.pk}-0", None, bookable, full)
            points.append(CheckoutPoint(pickup, [place], free_count=int(bookable)))
            continue
        point = CheckoutPoint(pickup, [], slot_rows=slot_rows)
        for row in slot_rows:
            if (kept and editing.slot_id == row["pk"]) or place_is_bookable(
                pickup, row["starts_at"], row["booked"], row["capacity"], now,
                is_open=row["is_open"],
            ):  # fmt: skip
                point.free_count += 1
        points.append(point)
    return points


def _list_places(point: CheckoutPoint, editing: Order | None, now: datetime) -> None:
    """The chosen pickup's slots, as the page lists them."""
    pickup = point.pickup
    for row in point.slot_rows:
        pk = row["pk"]
        slot = Slot(id=pk, pickup_id=row["pickup_id"], starts_at=row["starts_at"],
                    ends_at=row["ends_at"], capacity=row["capacity"], booked=row["booked"],
                    is_open=row["is_open"])  # fmt: skip
        point.places.append(
            CheckoutPlace(
                value=f"{pickup.pk}-{pk}",
                slot=slot,
                bookable=slot_is_bookable(pickup, slot, now)
                or (editing is not None and editing.slot_id == pk),
                full=slot.remaining <= 0,
            )
        )


def _slot_rows(sale: Sale, recent: bool) -> list[tuple[Pickup, list[dict]]]:
    """``shop_slot_rows``, or with ``recent`` its copy of at most ``SHOP_CACHE_SECONDS`` in
    this process (the API's catalog and slots are kept as long): every shopper's checkout
    reads them once or twice, and the place is checked again, for real, when the order is
    placed. A copy (the cache pickles it), so no request sees another's changes to it."""
    seconds = settings.SHOP_CACHE_SECONDS
    if not recent or seconds <= 0:
        return shop_slot_rows(sale=sale)
    cache = caches["shop"]  # this process's memory (settings.CACHES)
    key = f"cabas:checkout-slots:{sale.pk}"
    found = cache.get(key)
    if found is None:
        found = shop_slot_rows(sale=sale)
        cache.set(key, found, seconds)
    return found


def checkout_choices(
    *, sale: Sale, user, editing: Order | None, now: datetime, pickup_id: int | None = None,
    recent: bool = False,
) -> CheckoutChoices:  # fmt: skip
    """The checkout's pickups, each with its places, and the one whose places are shown: the
    one asked for (``pickup_id``), else the order's being changed, else the member's usual
    point (of their last order), else the only one. Three queries; only the chosen pickup's
    places are listed, the others' counted. ``recent``: the places left may be those of a
    second ago (``_slot_rows``), for the page a GET shows; a refused confirmation reads them
    afresh."""
    points = _checkout_points(sale, editing, now, recent)
    usual = usual_pickup_point_id(organisation_id=sale.organisation_id, user=user, sale=sale)
    for point in points:
        point.usual = point.pickup.pickup_point_id == usual
    by_pickup = {point.pickup.pk: point for point in points}
    chosen = by_pickup.get(pickup_id) if pickup_id else None
    if chosen is None and editing is not None:
        chosen = by_pickup.get(editing.pickup_id)
    if chosen is None:
        chosen = next((point for point in points if point.usual), None)
    if chosen is None and len(points) == 1:
        chosen = points[0]
    if chosen is not None:
        _list_places(chosen, editing, now)
    return CheckoutChoices(points, chosen)


def slot_is_bookable(pickup: Pickup, slot: Slot | None, now: datetime) -> bool:
    if slot is None:
        return place_is_bookable(pickup, pickup.starts_at, pickup.booked, pickup.capacity, now)
    return place_is_bookable(
        pickup, slot.starts_at, slot.booked, slot.capacity, now, is_open=slot.is_open
    )


def place_is_bookable(
    pickup: Pickup, starts_at: datetime, booked: int, capacity: int | None, now: datetime,
    *, is_open: bool = True,
) -> bool:  # fmt: skip
    """A place (a slot, or a pickup without slots) can be booked now: before the pickup's lead
    time, open, and not full (no capacity: never full)."""
    if not pickup.bookable_at(now, starts_at):
        return False
    return is_open and (capacity is None or booked < capacity)


def shop_slot_rows(*, sale: Sale) -> list[tuple[Pickup, list[dict]]]:
    """The sale's pickups (with their point) in checkout order, each with its slots in time
    order as plain values (what the API's slots page and the checkout count, often): two
    queries."""
    pickups = list(
        Pickup.objects.filter(sale=sale)
        .select_related("pickup_point")
        .order_by("starts_at", "pickup_point__name", "pk")
    )
    slots: dict[int, list[dict]] = {pickup.pk: [] for pickup in pickups}
    for row in (
        Slot.objects.filter(pickup__sale=sale)
        .order_by("starts_at", "pk")
        .values("pk", "pickup_id", "starts_at", "ends_at", "capacity", "booked", "is_open")
    ):
        slots[row["pickup_id"]].append(row)
    return [(pickup, slots[pickup.pk]) for pickup in pickups]
