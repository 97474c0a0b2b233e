"""Pickups and slots: bad input refused with nothing saved, capacities never below what is
booked, counters kept by conditional UPDATEs and guarded by the database."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from cabas.orders import errors as order_errors
from cabas.orders import services as order_services
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales import errors, lock_objects, services
from cabas.sales.models import Pickup, Sale, Slot, SlotMode
from cabas.sales.tests.booking import place_order
from cabas.sales.tests.factories import PickupFactory, PickupPointFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
OPENS = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)  # Monday 08:00 in Paris
CUTOFF = datetime(2026, 11, 4, 22, 59, tzinfo=UTC)  # Wednesday 23:59
FRIDAY_17 = datetime(2026, 11, 6, 16, 0, tzinfo=UTC)  # Friday 17:00


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def point(organisation):
    return PickupPointFactory(organisation=organisation, name="Mirandol")


@pytest.fixture
def sale(organisation):
    return services.sale_create(
        organisation=organisation, title="Vente du vendredi", opens_at=OPENS, closes_at=CUTOFF
    )


def friday_pickup(sale, point, **overrides):
    options = {
        "sale": sale,
        "pickup_point": point,
        "starts_at": FRIDAY_17,
        "ends_at": FRIDAY_17 + timedelta(hours=2),
        "slot_mode": SlotMode.SLOTS,
        "slot_minutes": 15,
        "slot_capacity": 4,
    }
    options.update(overrides)
    return services.pickup_create(**options)


def open_sale(sale):
    return services.sale_schedule(sale=sale, now=NOW)


def test_pickup_gets_its_slots(sale, point):
    pickup = friday_pickup(sale, point)

    slots = list(pickup.slots.order_by("starts_at"))
    assert len(slots) == 8
    assert [(s.capacity, s.booked, s.is_open) for s in slots] == [(4, 0, True)] * 8
    assert slots[0].starts_at == FRIDAY_17
    assert slots[-1].ends_at == FRIDAY_17 + timedelta(hours=2)


def test_pickups_without_slots(sale, point, organisation):
    whole = friday_pickup(sale, point, slot_mode=SlotMode.CAPACITY, capacity=40)
    other = PickupPointFactory(organisation=organisation)
    unlimited = friday_pickup(sale, other, slot_mode=SlotMode.UNLIMITED)

    assert (whole.capacity, whole.slot_minutes, whole.slots.count()) == (40, None, 0)
    assert (unlimited.capacity, unlimited.slots.count()) == (None, 0)


# --- Bad input: a clear error and nothing saved ----------------------------------------------


def test_closes_before_opens_is_refused(organisation):
    with pytest.raises(errors.SaleDatesInvalid) as caught:
        services.sale_create(organisation=organisation, title="x", opens_at=CUTOFF, closes_at=OPENS)
    assert str(caught.value) == "The sale must close after it opens."
    assert Sale.objects.count() == 0


def test_changing_dates_to_close_before_opening_is_refused(sale):
    with pytest.raises(errors.SaleDatesInvalid):
        services.sale_update(
            sale=sale,
            title="Autre titre",
            opens_at=CUTOFF,
            closes_at=OPENS,
            minimum_order_amount=None,
            note_to_members="",
            now=NOW,
        )
    sale.refresh_from_db()
    assert (sale.title, sale.opens_at, sale.closes_at) == ("Vente du vendredi", OPENS, CUTOFF)


def test_a_pickup_before_the_cutoff_is_refused(sale, point):
    with pytest.raises(errors.PickupBeforeCutoff) as caught:
        friday_pickup(sale, point, starts_at=CUTOFF - timedelta(hours=2), ends_at=CUTOFF)
    assert "The pickup starts before the sale's cutoff (" in str(caught.value)
    assert Pickup.objects.count() == 0
    assert Slot.objects.count() == 0


def test_moving_the_cutoff_after_a_pickup_is_refused(sale, point):
    friday_pickup(sale, point)
    with pytest.raises(errors.PickupBeforeCutoff):
        services.sale_update(
            sale=sale,
            title=sale.title,
            opens_at=OPENS,
            closes_at=FRIDAY_17 + timedelta(minutes=1),
            minimum_order_amount=None,
            note_to_members="",
            now=NOW,
        )
    sale.refresh_from_db()
    assert sale.closes_at == CUTOFF


def test_overlapping_pickups_at_the_same_point_are_refused(sale, point, organisation):
    friday_pickup(sale, point)
    other_sale = services.sale_create(
        organisation=organisation, title="Autre", opens_at=OPENS, closes_at=CUTOFF
    )

    with pytest.raises(errors.PickupOverlap) as caught:
        friday_pickup(
            other_sale,
            point,
            starts_at=FRIDAY_17 + timedelta(hours=1),
            ends_at=FRIDAY_17 + timedelta(hours=3),
        )
    assert str(caught.value) == "Mirandol already has a pickup from 11/06/2026 5 p.m. to 19:00."
    assert Pickup.objects.count() == 1
    # Back to back is fine, and so is another point at the same time.
    friday_pickup(
        other_sale,
        point,
        starts_at=FRIDAY_17 + timedelta(hours=2),
        ends_at=FRIDAY_17 + timedelta(hours=3),
    )
    friday_pickup(other_sale, PickupPointFactory(organisation=organisation))
    assert Pickup.objects.count() == 3


def test_slot_length_that_does_not_divide_the_range_is_refused(sale, point):
    with pytest.raises(errors.SlotLengthMismatch) as caught:
        friday_pickup(sale, point, slot_minutes=25)
    assert str(caught.value) == (
        "Slots of 25 minutes do not fit exactly in 17:00–19:00 (120 minutes). Choose a length "
        "that divides the opening hours, or change them."
    )
    assert Pickup.objects.count() == 0


@pytest.mark.parametrize("capacity", [0, -2])
def test_capacity_zero_or_negative_is_refused(sale, point, capacity):
    with pytest.raises(errors.CapacityNotPositive):
        friday_pickup(sale, point, slot_capacity=capacity)
    with pytest.raises(errors.CapacityNotPositive):
        friday_pickup(sale, point, slot_mode=SlotMode.CAPACITY, capacity=capacity)
    assert Pickup.objects.count() == 0


def test_editing_the_dates_of_a_closed_sale_is_refused(sale, point):
    friday_pickup(sale, point)
    open_sale(sale)
    services.sale_close_now(sale=sale, now=NOW + timedelta(hours=1))
    sale.refresh_from_db()
    closes_at = sale.closes_at

    with pytest.raises(errors.SaleDatesLocked) as caught:
        services.sale_update(
            sale=sale,
            title=sale.title,
            opens_at=OPENS,
            closes_at=CUTOFF + timedelta(days=1),
            minimum_order_amount=None,
            note_to_members="",
            now=NOW,
        )
    assert str(caught.value) == "This sale is closed: its dates can no longer be changed."
    sale.refresh_from_db()
    assert sale.closes_at == closes_at
    # The note can still change.
    services.sale_update(
        sale=sale,
        title=sale.title,
        opens_at=sale.opens_at,
        closes_at=sale.closes_at,
        minimum_order_amount=None,
        note_to_members="Pensez à vos sacs.",
        now=NOW,
    )
    sale.refresh_from_db()
    assert sale.note_to_members == "Pensez à vos sacs."
    with pytest.raises(errors.SaleDatesLocked):
        friday_pickup(sale, PickupPointFactory(organisation=sale.organisation))


def test_a_pickup_point_of_another_organisation_is_refused(sale):
    with pytest.raises(errors.OtherOrganisation):
        friday_pickup(sale, PickupPointFactory())
    assert Pickup.objects.count() == 0


def test_scheduling_needs_a_pickup_and_a_future_cutoff(sale, point):
    with pytest.raises(errors.SaleHasNoPickup):
        services.sale_schedule(sale=sale, now=NOW)
    friday_pickup(sale, point)
    with pytest.raises(errors.CutoffInPast):
        services.sale_schedule(sale=sale, now=CUTOFF)
    sale.refresh_from_db()
    assert sale.status == "draft"
    assert services.sale_schedule(sale=sale, now=NOW).status == "open"


# --- Capacity edits ---------------------------------------------------------------------------


def test_slot_capacity_can_change_but_never_below_what_is_booked(sale, point):
    pickup = friday_pickup(sale, point)
    open_sale(sale)
    slot = pickup.slots.order_by("starts_at").first()
    for _ in range(3):
        place_order(sale, pickup=pickup, slot=slot, now=NOW)

    with pytest.raises(errors.CapacityBelowBooked) as caught:
        services.slot_set_capacity(slot=slot, capacity=2)
    assert str(caught.value) == (
        "3 orders are already booked: the capacity cannot be lower than 3."
    )
    slot.refresh_from_db()
    assert slot.capacity == 4

    with pytest.raises(errors.CapacityNotPositive):
        services.slot_set_capacity(slot=slot, capacity=0)

    assert services.slot_set_capacity(slot=slot, capacity=3).capacity == 3
    with pytest.raises(order_errors.SlotFull):
        place_order(sale, pickup=pickup, slot=slot, now=NOW)
    assert Slot.objects.get(pk=slot.pk).booked == 3
    assert services.slot_set_capacity(slot=slot, capacity=10).capacity == 10


def test_pickup_capacity_edits_respect_bookings(sale, point):
    pickup = friday_pickup(sale, point, slot_mode=SlotMode.CAPACITY, capacity=2)
    open_sale(sale)
    place_order(sale, pickup=pickup, now=NOW)
    place_order(sale, pickup=pickup, now=NOW)
    with pytest.raises(order_errors.SlotFull):
        place_order(sale, pickup=pickup, now=NOW)

    with pytest.raises(errors.CapacityBelowBooked):
        services.pickup_update(
            pickup=pickup,
            pickup_point=point,
            starts_at=pickup.starts_at,
            ends_at=pickup.ends_at,
            slot_mode=SlotMode.CAPACITY,
            capacity=1,
        )
    with pytest.raises(errors.PickupHasBookings):
        services.pickup_update(
            pickup=pickup,
            pickup_point=point,
            starts_at=pickup.starts_at + timedelta(hours=1),
            ends_at=pickup.ends_at + timedelta(hours=1),
            slot_mode=SlotMode.CAPACITY,
            capacity=2,
        )
    pickup.refresh_from_db()
    assert (pickup.capacity, pickup.starts_at, pickup.booked) == (2, FRIDAY_17, 2)

    services.pickup_update(
        pickup=pickup,
        pickup_point=point,
        starts_at=pickup.starts_at,
        ends_at=pickup.ends_at,
        slot_mode=SlotMode.CAPACITY,
        capacity=5,
    )
    place_order(sale, pickup=pickup, now=NOW)
    assert Pickup.objects.get(pk=pickup.pk).booked == 3


def test_changing_the_hours_of_a_pickup_without_bookings_rebuilds_its_slots(sale, point):
    pickup = friday_pickup(sale, point)
    services.pickup_update(
        pickup=pickup,
        pickup_point=point,
        starts_at=FRIDAY_17,
        ends_at=FRIDAY_17 + timedelta(hours=1),
        slot_mode=SlotMode.SLOTS,
        slot_minutes=20,
        slot_capacity=6,
    )
    assert list(pickup.slots.values_list("capacity", flat=True)) == [6, 6, 6]


def test_slot_per_slot_capacity_change_on_the_pickup_applies_to_all_slots(sale, point):
    pickup = friday_pickup(sale, point)
    open_sale(sale)
    slot = pickup.slots.order_by("starts_at").first()
    for _ in range(3):
        place_order(sale, pickup=pickup, slot=slot, now=NOW)

    with pytest.raises(errors.CapacityBelowBooked):
        services.pickup_update(
            pickup=pickup,
            pickup_point=point,
            starts_at=pickup.starts_at,
            ends_at=pickup.ends_at,
            slot_mode=SlotMode.SLOTS,
            slot_minutes=15,
            slot_capacity=2,
        )
    assert set(pickup.slots.values_list("capacity", flat=True)) == {4}

    services.pickup_update(
        pickup=pickup,
        pickup_point=point,
        starts_at=pickup.starts_at,
        ends_at=pickup.ends_at,
        slot_mode=SlotMode.SLOTS,
        slot_minutes=15,
        slot_capacity=6,
    )
    assert set(pickup.slots.values_list("capacity", flat=True)) == {6}
    assert pickup.slots.get(pk=slot.pk).booked == 3


def test_close_and_add_slots(sale, point):
    pickup = friday_pickup(sale, point)
    open_sale(sale)
    slot = pickup.slots.order_by("starts_at").first()

    services.slot_set_open(slot=slot, is_open=False)
    with pytest.raises(order_errors.SlotFull):  # a closed slot takes no order
        place_order(sale, pickup=pickup, slot=slot, now=NOW)
    assert Slot.objects.get(pk=slot.pk).booked == 0

    with pytest.raises(errors.SlotOverlap):
        services.slot_add(
            pickup=pickup,
            starts_at=FRIDAY_17 + timedelta(minutes=10),
            ends_at=FRIDAY_17 + timedelta(minutes=25),
            capacity=2,
        )
    with pytest.raises(errors.SlotOutsidePickup):
        services.slot_add(
            pickup=pickup,
            starts_at=FRIDAY_17 + timedelta(hours=2),
            ends_at=FRIDAY_17 + timedelta(hours=2, minutes=15),
            capacity=2,
        )
    assert pickup.slots.count() == 8

    Slot.objects.filter(pk=slot.pk).delete()
    added = services.slot_add(
        pickup=pickup,
        starts_at=FRIDAY_17,
        ends_at=FRIDAY_17 + timedelta(minutes=15),
        capacity=2,
    )
    assert (added.capacity, added.booked, added.is_open) == (2, 0, True)


# --- Booking counters -------------------------------------------------------------------------


def test_booking_needs_an_open_sale_before_its_cutoff(sale, point):
    pickup = friday_pickup(sale, point)
    slot = pickup.slots.first()
    with pytest.raises(order_errors.SaleClosed):
        place_order(sale, pickup=pickup, slot=slot, now=NOW)  # a draft
    open_sale(sale)
    with pytest.raises(order_errors.SaleClosed):
        place_order(sale, pickup=pickup, slot=slot, now=CUTOFF)
    slot.refresh_from_db()
    assert (slot.booked, Pickup.objects.get(pk=pickup.pk).booked) == (0, 0)


def test_book_and_release_keep_slot_and_pickup_counters_together(sale, point):
    pickup = friday_pickup(sale, point)
    open_sale(sale)
    first, second = pickup.slots.order_by("starts_at")[:2]

    order = place_order(sale, pickup=pickup, slot=first, now=NOW)
    place_order(sale, pickup=pickup, slot=second, now=NOW)
    order_services.order_cancel(order=order, now=NOW)

    assert [s.booked for s in pickup.slots.order_by("starts_at")[:2]] == [0, 1]
    assert Pickup.objects.get(pk=pickup.pk).booked == 1
    with pytest.raises(order_errors.OrderNotEditable):  # nothing is given back twice
        order_services.order_cancel(order=order, now=NOW)
    assert [s.booked for s in pickup.slots.order_by("starts_at")[:2]] == [0, 1]
    assert Pickup.objects.get(pk=pickup.pk).booked == 1


def test_a_member_changing_slot_moves_the_place(sale, point):
    pickup = friday_pickup(sale, point, slot_capacity=1)
    open_sale(sale)
    first, second, third = pickup.slots.order_by("starts_at")[:3]
    order = place_order(sale, pickup=pickup, slot=first, now=NOW)
    place_order(sale, pickup=pickup, slot=second, now=NOW)
    lines = [(line.product_id, line.quantity) for line in order.lines.all()]

    with pytest.raises(order_errors.SlotFull):
        order_services.order_change(
            order=order, lines=lines, pickup_id=pickup.pk, slot_id=second.pk, now=NOW
        )
    assert [s.booked for s in pickup.slots.order_by("starts_at")[:3]] == [1, 1, 0]

    order_services.order_change(
        order=order, lines=lines, pickup_id=pickup.pk, slot_id=third.pk, now=NOW
    )
    assert [s.booked for s in pickup.slots.order_by("starts_at")[:3]] == [0, 1, 1]
    assert Pickup.objects.get(pk=pickup.pk).booked == 2


def test_moving_a_booking_respects_the_target_capacity(sale, point, organisation):
    pickup = friday_pickup(sale, point, slot_capacity=1)
    other = friday_pickup(
        sale, PickupPointFactory(organisation=organisation), slot_mode=SlotMode.UNLIMITED
    )
    open_sale(sale)
    first, second = pickup.slots.order_by("starts_at")[:2]
    order = place_order(sale, pickup=pickup, slot=first, now=NOW)
    place_order(sale, pickup=pickup, slot=second, now=NOW)

    with pytest.raises(order_errors.SlotFull):
        order_services.order_move(order=order, pickup_id=pickup.pk, slot_id=second.pk)
    assert [s.booked for s in pickup.slots.order_by("starts_at")[:2]] == [1, 1]

    order_services.order_move(order=order, pickup_id=other.pk, slot_id=None)
    assert [s.booked for s in pickup.slots.order_by("starts_at")[:2]] == [0, 1]
    assert Pickup.objects.get(pk=pickup.pk).booked == 1
    assert Pickup.objects.get(pk=other.pk).booked == 1


def test_a_coordinator_cannot_move_an_order_into_a_closed_slot(sale, point):
    pickup = friday_pickup(sale, point)
    open_sale(sale)
    first, second = pickup.slots.order_by("starts_at")[:2]
    order = place_order(sale, pickup=pickup, slot=first, now=NOW)
    services.slot_set_open(slot=second, is_open=False)

    with pytest.raises(order_errors.SlotFull):
        order_services.order_move(order=order, pickup_id=pickup.pk, slot_id=second.pk)
    assert [s.booked for s in pickup.slots.order_by("starts_at")[:2]] == [1, 0]


def test_a_pickup_with_bookings_cannot_be_deleted(sale, point, organisation):
    pickup = friday_pickup(sale, point)
    other = friday_pickup(
        sale, PickupPointFactory(organisation=organisation), slot_mode=SlotMode.UNLIMITED
    )
    open_sale(sale)
    slot = pickup.slots.first()
    order = place_order(sale, pickup=pickup, slot=slot, now=NOW)

    with pytest.raises(errors.PickupHasBookings) as caught:
        services.pickup_delete(pickup=pickup)
    assert str(caught.value) == "1 order is booked at this pickup: move or cancel it first."
    assert Pickup.objects.filter(pk=pickup.pk).exists()

    order_services.order_move(order=order, pickup_id=other.pk, slot_id=None)
    services.pickup_delete(pickup=pickup)
    assert not Pickup.objects.filter(pk=pickup.pk).exists()
    assert Slot.objects.count() == 0


def test_a_pickup_whose_orders_were_all_cancelled_is_refused_with_a_reason(sale, point):
    pickup = friday_pickup(sale, point)
    open_sale(sale)
    order = place_order(sale, pickup=pickup, slot=pickup.slots.first(), now=NOW)
    order_services.order_cancel(order=order, now=NOW)
    assert Pickup.objects.get(pk=pickup.pk).booked == 0

    with pytest.raises(errors.PickupHasOrderHistory) as caught:
        services.pickup_delete(pickup=pickup)
    assert "cannot be deleted" in str(caught.value)
    assert Pickup.objects.filter(pk=pickup.pk).exists()
    assert pickup.slots.count() > 0


def test_the_database_refuses_a_counter_above_capacity(sale, point):
    pickup = friday_pickup(sale, point, slot_capacity=1)
    slot = pickup.slots.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=F("capacity") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(capacity=0)
    whole = PickupFactory(sale=sale, slot_mode=SlotMode.CAPACITY, capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pickup.objects.filter(pk=whole.pk).update(booked=2)


def test_lock_helpers_return_the_chain_in_order(sale, point):
    pickup = friday_pickup(sale, point)
    slot = pickup.slots.first()
    with transaction.atomic():
        locked_sale, locked_pickup, locked_slot = lock_objects.sale_pickup_slot_lock(
            slot_id=slot.pk
        )
    assert (locked_sale.pk, locked_pickup.pk, locked_slot.pk) == (sale.pk, pickup.pk, slot.pk)
