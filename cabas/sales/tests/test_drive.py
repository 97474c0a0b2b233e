"""Drive mode: opening hours → one sale per day with 15-minute slots, lead time, closing days."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from cabas.orders import errors as order_errors
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales import errors, selectors, services
from cabas.sales.models import DriveHours, Pickup, Sale, Slot
from cabas.sales.tests.booking import an_item, place_order
from cabas.sales.tests.factories import ClosingPeriodFactory, PickupPointFactory

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

# Wednesday 4 November 2026, 09:00 in Marseille (UTC+1 in winter).
NOW = datetime(2026, 11, 4, 8, 0, tzinfo=UTC)
THURSDAY = date(2026, 11, 5)

COOP_HOURS = {
    3: [(time(15, 45), time(18, 15)), (time(18, 30), time(21, 0))],  # Thursday
    4: [(time(15, 45), time(18, 15)), (time(18, 30), time(21, 0))],  # Friday
    5: [(time(10, 15), time(12, 45)), (time(13, 0), time(15, 30))],  # Saturday
}


@pytest.fixture
def coop():
    organisation = OrganisationFactory(kind="cooperative", members_only=True)
    shop = PickupPointFactory(organisation=organisation, name="L'Épicerie")
    services.drive_hours_set(organisation=organisation, hours=COOP_HOURS, now=NOW)
    services.drive_configure(
        organisation=organisation,
        pickup_point=shop,
        slot_minutes=15,
        slot_capacity=5,
        lead_time_minutes=120,
        days_ahead=7,
        now=NOW,
    )
    return organisation


def local(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=OrganisationFactory.build().tzinfo)


def test_thursday_hours_give_exactly_ten_plus_ten_slots_of_fifteen_minutes(coop):
    sale = Sale.objects.get(organisation=coop, occurrence_date=THURSDAY)
    first, second = Pickup.objects.filter(sale=sale).order_by("starts_at")

    assert (first.starts_at, first.ends_at) == (local(THURSDAY, 15, 45), local(THURSDAY, 18, 15))
    assert (second.starts_at, second.ends_at) == (local(THURSDAY, 18, 30), local(THURSDAY, 21))
    for pickup in (first, second):
        slots = list(pickup.slots.order_by("starts_at"))
        assert len(slots) == 10
        assert {slot.ends_at - slot.starts_at for slot in slots} == {timedelta(minutes=15)}
        assert [s.starts_at for s in slots] == [
            pickup.starts_at + timedelta(minutes=15 * n) for n in range(10)
        ]
        assert {slot.capacity for slot in slots} == {5}
    assert slots[-1].starts_at == local(THURSDAY, 20, 45)


def test_one_sale_per_opening_day_in_the_next_days(coop):
    days = sorted(
        Sale.objects.filter(organisation=coop, kind=Sale.Kind.DRIVE).values_list(
            "occurrence_date", flat=True
        )
    )
    # Wed 4 (no hours) … Tue 10: Thursday 5, Friday 6, Saturday 7.
    assert days == [date(2026, 11, 5), date(2026, 11, 6), date(2026, 11, 7)]
    saturday = Sale.objects.get(organisation=coop, occurrence_date=date(2026, 11, 7))
    assert Slot.objects.filter(pickup__sale=saturday).count() == 20
    # Every drive sale is open at once (opening 7 days before), and closes when its last slot
    # can no longer be booked: Thursday 20:45 − 2 h.
    assert {sale.status for sale in Sale.objects.filter(organisation=coop)} == {"open"}
    thursday = Sale.objects.get(organisation=coop, occurrence_date=THURSDAY)
    assert thursday.closes_at == local(THURSDAY, 18, 45)


def test_generation_is_idempotent_and_rolls_forward(coop):
    before = Slot.objects.filter(organisation=coop).count()

    services.drive_generate(organisation=coop, now=NOW)
    assert Slot.objects.filter(organisation=coop).count() == before == 60

    report = services.drive_generate(organisation=coop, now=NOW + timedelta(days=7))
    assert [sale.occurrence_date for sale in report.created] == [
        date(2026, 11, 12),
        date(2026, 11, 13),
        date(2026, 11, 14),
    ]


def test_closing_days_are_skipped():
    organisation = OrganisationFactory()
    shop = PickupPointFactory(organisation=organisation)
    ClosingPeriodFactory(
        organisation=organisation, first_day=date(2026, 11, 6), last_day=date(2026, 11, 6)
    )
    services.drive_hours_set(organisation=organisation, hours=COOP_HOURS, now=NOW)
    services.drive_configure(organisation=organisation, pickup_point=shop, now=NOW)

    days = set(
        Sale.objects.filter(organisation=organisation).values_list("occurrence_date", flat=True)
    )
    assert days == {date(2026, 11, 5), date(2026, 11, 7)}


def test_members_see_the_next_bookable_slots_after_the_lead_time(coop):
    # Thursday 14:00 local: with 2 hours of lead time the first bookable slot is 16:00.
    now = local(THURSDAY, 14)
    slots = selectors.bookable_slots(organisation=coop, now=now, limit=3)
    assert [s.starts_at for s in slots] == [
        local(THURSDAY, 16),
        local(THURSDAY, 16, 15),
        local(THURSDAY, 16, 30),
    ]
    assert [s.remaining for s in slots] == [5, 5, 5]


def test_a_slot_whose_lead_time_has_passed_cannot_be_booked(coop):
    slot_1545 = Slot.objects.get(organisation=coop, starts_at=local(THURSDAY, 15, 45))
    slot_1600 = Slot.objects.get(organisation=coop, starts_at=local(THURSDAY, 16))
    now = local(THURSDAY, 14)
    sale = slot_1545.pickup.sale
    an_item(sale)

    with pytest.raises(order_errors.SlotTooLate) as caught:
        place_order(sale, pickup=slot_1545.pickup, slot=slot_1545, now=now)
    assert str(caught.value) == "This time slot can no longer be booked; choose a later one."
    slot_1545.refresh_from_db()
    assert slot_1545.booked == 0
    assert slot_1545.pickup.booked == 0

    place_order(sale, pickup=slot_1600.pickup, slot=slot_1600, now=now)  # exactly 2 hours before
    assert Slot.objects.get(pk=slot_1600.pk).booked == 1
    assert Pickup.objects.get(pk=slot_1600.pickup_id).booked == 1


def test_a_full_slot_is_no_longer_proposed(coop):
    slot = Slot.objects.get(organisation=coop, starts_at=local(THURSDAY, 16))
    sale = slot.pickup.sale
    an_item(sale)
    for _ in range(5):
        place_order(sale, pickup=slot.pickup, slot=slot, now=NOW)

    with pytest.raises(order_errors.SlotFull):
        place_order(sale, pickup=slot.pickup, slot=slot, now=NOW)

    slot.refresh_from_db()
    assert slot.booked == 5
    bookable = selectors.bookable_slots(organisation=coop, now=local(THURSDAY, 13), limit=2)
    assert [s.starts_at for s in bookable] == [local(THURSDAY, 15, 45), local(THURSDAY, 16, 15)]


def test_slot_length_that_does_not_divide_the_hours_is_refused_and_nothing_saved(coop):
    before = list(DriveHours.objects.filter(organisation=coop).values_list("pk", flat=True))

    with pytest.raises(errors.SlotLengthMismatch) as caught:
        services.drive_hours_set(
            organisation=coop, hours={0: [(time(15, 45), time(18, 20))]}, now=NOW
        )

    assert str(caught.value) == (
        "Slots of 15 minutes do not fit exactly in 15:45–18:20 (155 minutes). Choose a length "
        "that divides the opening hours, or change them."
    )
    assert list(DriveHours.objects.filter(organisation=coop).values_list("pk", flat=True)) == before


def test_changing_the_slot_length_must_still_divide_the_hours(coop):
    drive = selectors.drive_of(coop)
    with pytest.raises(errors.SlotLengthMismatch):
        services.drive_configure(
            organisation=coop, pickup_point=drive.pickup_point, slot_minutes=20, now=NOW
        )
    drive.refresh_from_db()
    assert drive.slot_minutes == 15


def test_overlapping_ranges_in_a_day_are_refused(coop):
    with pytest.raises(errors.DriveHoursOverlap) as caught:
        services.drive_hours_set(
            organisation=coop,
            hours={3: [(time(15, 45), time(18, 15)), (time(18, 0), time(19, 0))]},
            now=NOW,
        )
    assert str(caught.value) == (
        "On Thursday, the opening hours 15:45-18:15 and 18:00-19:00 overlap."
    )
    assert DriveHours.objects.filter(organisation=coop).count() == 6


@pytest.mark.parametrize("capacity", [0, -1])
def test_capacity_zero_or_negative_is_refused(coop, capacity):
    drive = selectors.drive_of(coop)
    with pytest.raises(errors.CapacityNotPositive):
        services.drive_configure(
            organisation=coop, pickup_point=drive.pickup_point, slot_capacity=capacity, now=NOW
        )
    drive.refresh_from_db()
    assert drive.slot_capacity == 5


def test_drive_days_keep_their_local_hours_across_the_end_of_summer_time():
    organisation = OrganisationFactory(timezone="Europe/Paris")
    shop = PickupPointFactory(organisation=organisation)
    services.drive_hours_set(
        organisation=organisation,
        hours={day: [(time(15, 45), time(18, 15))] for day in range(7)},
        now=NOW,
    )
    services.drive_configure(
        organisation=organisation,
        pickup_point=shop,
        days_ahead=4,
        now=datetime(2026, 10, 23, 8, 0, tzinfo=UTC),
    )

    starts = {
        pickup.sale.occurrence_date: pickup.starts_at
        for pickup in Pickup.objects.filter(organisation=organisation).select_related("sale")
    }
    assert starts == {
        date(2026, 10, 23): datetime(2026, 10, 23, 13, 45, tzinfo=UTC),  # UTC+2
        date(2026, 10, 24): datetime(2026, 10, 24, 13, 45, tzinfo=UTC),
        date(2026, 10, 25): datetime(2026, 10, 25, 14, 45, tzinfo=UTC),  # UTC+1 from the 25th
        date(2026, 10, 26): datetime(2026, 10, 26, 14, 45, tzinfo=UTC),
    }
    for pickup in Pickup.objects.filter(organisation=organisation):
        assert pickup.slots.count() == 10
