"""Schedules: sales and pickups for the next weeks, idempotent, closing days skipped, right
across the end of daylight-saving time (last Sunday of October 2026 = the 25th)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales import errors, services
from cabas.sales.models import Pickup, Sale, Schedule, SchedulePickup, Slot, SlotMode
from cabas.sales.services import SchedulePickupSpec
from cabas.sales.tests.factories import ClosingPeriodFactory, PickupFactory, PickupPointFactory

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

# Friday 9 October 2026, 11:00 in Paris (UTC+2, summer time).
NOW = datetime(2026, 10, 9, 9, 0, tzinfo=UTC)
TUESDAY = 1


@pytest.fixture
def organisation():
    return OrganisationFactory(timezone="Europe/Paris")


@pytest.fixture
def points(organisation):
    return [
        PickupPointFactory(organisation=organisation, name="Mirandol"),
        PickupPointFactory(organisation=organisation, name="Jouqueviel"),
    ]


def weekly(organisation, points, **overrides):
    """Pickups on Tuesday 17:00–19:00 at two points, 15-minute slots of 5 orders; orders open
    the Monday before (8 days) at 08:00 and close the Saturday before (3 days) at 20:00."""
    options = {
        "organisation": organisation,
        "name": "Vente du mardi",
        "first_week": date(2026, 10, 12),
        "opens_days_before": 8,
        "opens_time": time(8, 0),
        "closes_days_before": 3,
        "closes_time": time(20, 0),
        "weeks_ahead": 4,
        "pickups": [
            SchedulePickupSpec(
                pickup_point=point,
                weekday=TUESDAY,
                starts_time=time(17, 0),
                ends_time=time(19, 0),
                slot_minutes=15,
                slot_capacity=5,
            )
            for point in points
        ],
        "now": NOW,
    }
    options.update(overrides)
    return services.schedule_create(**options)


def test_generates_the_next_four_weeks_in_local_time_across_the_end_of_october(
    organisation, points
):
    schedule = weekly(organisation, points)

    sales = list(Sale.objects.filter(schedule=schedule).order_by("closes_at"))
    assert [s.occurrence_date for s in sales] == [
        date(2026, 10, 12),
        date(2026, 10, 19),
        date(2026, 10, 26),
        date(2026, 11, 2),
    ]
    assert [s.title for s in sales] == [
        "Vente du mardi · 13/10/2026",
        "Vente du mardi · 20/10/2026",
        "Vente du mardi · 27/10/2026",
        "Vente du mardi · 03/11/2026",
    ]
    week_of_change = sales[2]
    # Opens Monday 19 Oct 08:00 and closes Saturday 24 Oct 20:00, summer time (UTC+2)…
    assert week_of_change.opens_at == datetime(2026, 10, 19, 6, 0, tzinfo=UTC)
    assert week_of_change.closes_at == datetime(2026, 10, 24, 18, 0, tzinfo=UTC)
    # …the pickup is on Tuesday 27 Oct 17:00–19:00, winter time (UTC+1).
    pickups = list(Pickup.objects.filter(sale=week_of_change).order_by("pickup_point__name"))
    assert [p.pickup_point.name for p in pickups] == ["Jouqueviel", "Mirandol"]
    for pickup in pickups:
        assert pickup.starts_at == datetime(2026, 10, 27, 16, 0, tzinfo=UTC)
        assert pickup.ends_at == datetime(2026, 10, 27, 18, 0, tzinfo=UTC)
        slots = list(pickup.slots.order_by("starts_at"))
        assert len(slots) == 8
        assert slots[0].starts_at == datetime(2026, 10, 27, 16, 0, tzinfo=UTC)
        assert slots[-1].ends_at == datetime(2026, 10, 27, 18, 0, tzinfo=UTC)
    # The week before is still in summer time: 17:00 local is 15:00 UTC.
    assert Pickup.objects.filter(sale=sales[1]).first().starts_at == datetime(
        2026, 10, 20, 15, 0, tzinfo=UTC
    )


def test_statuses_follow_the_clock(organisation, points):
    schedule = weekly(organisation, points)

    statuses = list(
        Sale.objects.filter(schedule=schedule)
        .order_by("closes_at")
        .values_list("status", flat=True)
    )
    # The first cycle opened on Monday 5 Oct: it is open; the others are waiting.
    assert statuses == ["open", "scheduled", "scheduled", "scheduled"]


def test_generation_is_idempotent(organisation, points):
    schedule = weekly(organisation, points)

    report = services.schedule_generate(schedule=schedule, now=NOW)
    again = services.schedule_generate(schedule=schedule, now=NOW + timedelta(hours=1))

    assert report.created == again.created == []
    assert Sale.objects.filter(schedule=schedule).count() == 4
    assert Pickup.objects.filter(sale__schedule=schedule).count() == 8
    assert Slot.objects.filter(pickup__sale__schedule=schedule).count() == 64


def test_a_week_later_exactly_one_more_cycle_is_prepared(organisation, points):
    schedule = weekly(organisation, points)

    report = services.schedule_generate(schedule=schedule, now=NOW + timedelta(weeks=1))

    assert [sale.occurrence_date for sale in report.created] == [date(2026, 11, 9)]


def test_a_cycle_whose_cutoff_has_passed_is_not_created(organisation, points):
    # Saturday 17 Oct 21:00: the cutoff of Tuesday 20's sale has passed.
    schedule = weekly(organisation, points, now=datetime(2026, 10, 17, 19, 0, tzinfo=UTC))

    dates = list(
        Sale.objects.filter(schedule=schedule)
        .order_by("occurrence_date")
        .values_list("occurrence_date", flat=True)
    )
    assert dates == [date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9)]


def test_every_two_weeks_from_the_first_week(organisation, points):
    schedule = weekly(organisation, points, every_n_weeks=2, first_week=date(2026, 10, 21))

    dates = sorted(Sale.objects.filter(schedule=schedule).values_list("occurrence_date", flat=True))
    assert dates == [date(2026, 10, 19), date(2026, 11, 2)]


def test_closing_days_are_skipped(organisation, points):
    ClosingPeriodFactory(
        organisation=organisation,
        first_day=date(2026, 10, 26),
        last_day=date(2026, 11, 1),
        reason="Vacances de la Toussaint",
    )
    ClosingPeriodFactory(organisation=OrganisationFactory(), first_day=date(2026, 11, 3))

    schedule = weekly(organisation, points)

    dates = sorted(Sale.objects.filter(schedule=schedule).values_list("occurrence_date", flat=True))
    assert dates == [date(2026, 10, 12), date(2026, 10, 19), date(2026, 11, 2)]


def test_a_pickup_that_would_overlap_another_at_its_point_is_skipped(organisation, points):
    other_sale = services.sale_create(
        organisation=organisation,
        title="Vente spéciale",
        opens_at=NOW,
        closes_at=datetime(2026, 10, 15, 20, 0, tzinfo=UTC),
    )
    PickupFactory(
        sale=other_sale,
        pickup_point=points[0],
        starts_at=datetime(2026, 10, 20, 16, 0, tzinfo=UTC),
        ends_at=datetime(2026, 10, 20, 17, 0, tzinfo=UTC),
    )

    schedule = weekly(organisation, points, weeks_ahead=2)

    sale = Sale.objects.get(schedule=schedule, occurrence_date=date(2026, 10, 19))
    assert [p.pickup_point for p in sale.pickups.all()] == [points[1]]


def test_a_cutoff_after_the_first_pickup_is_refused_and_nothing_saved(organisation, points):
    with pytest.raises(errors.PickupBeforeCutoff):
        weekly(organisation, points, closes_days_before=0, closes_time=time(18, 0))

    assert Schedule.objects.count() == 0
    assert SchedulePickup.objects.count() == 0
    assert Sale.objects.count() == 0


def test_opening_after_the_cutoff_is_refused(organisation, points):
    with pytest.raises(errors.SaleDatesInvalid):
        weekly(organisation, points, opens_days_before=2)
    assert Schedule.objects.count() == 0


def test_slot_length_not_dividing_the_hours_is_refused(organisation, points):
    spec = SchedulePickupSpec(
        pickup_point=points[0],
        weekday=TUESDAY,
        starts_time=time(17, 0),
        ends_time=time(19, 0),
        slot_minutes=25,
        slot_capacity=5,
    )
    with pytest.raises(errors.SlotLengthMismatch):
        weekly(organisation, points, pickups=[spec])
    assert Schedule.objects.count() == 0


def test_overlapping_pickups_at_the_same_point_are_refused(organisation, points):
    specs = [
        SchedulePickupSpec(
            pickup_point=points[0],
            weekday=TUESDAY,
            starts_time=start,
            ends_time=end,
            slot_mode=SlotMode.UNLIMITED,
        )
        for start, end in ((time(17, 0), time(19, 0)), (time(18, 0), time(20, 0)))
    ]
    with pytest.raises(errors.PickupOverlap):
        weekly(organisation, points, pickups=specs)
    assert Schedule.objects.count() == 0


@pytest.mark.parametrize("capacity", [0, -3])
def test_capacity_zero_or_negative_is_refused(organisation, points, capacity):
    spec = SchedulePickupSpec(
        pickup_point=points[0],
        weekday=TUESDAY,
        starts_time=time(17, 0),
        ends_time=time(19, 0),
        slot_mode=SlotMode.CAPACITY,
        capacity=capacity,
    )
    with pytest.raises(errors.CapacityNotPositive):
        weekly(organisation, points, pickups=[spec])
    assert Schedule.objects.count() == 0


def test_a_point_of_another_organisation_is_refused(organisation, points):
    foreign = PickupPointFactory()
    spec = SchedulePickupSpec(
        pickup_point=foreign, weekday=TUESDAY, starts_time=time(17), ends_time=time(19)
    )
    with pytest.raises(errors.OtherOrganisation):
        weekly(organisation, points, pickups=[spec])
    assert Schedule.objects.count() == 0


def test_update_changes_the_next_cycles_only(organisation, points):
    schedule = weekly(organisation, points, weeks_ahead=1)
    assert Sale.objects.filter(schedule=schedule).count() == 1

    services.schedule_update(
        schedule=schedule,
        pickups=[
            SchedulePickupSpec(
                pickup_point=points[0],
                weekday=TUESDAY,
                starts_time=time(18, 0),
                ends_time=time(19, 0),
                slot_mode=SlotMode.CAPACITY,
                capacity=30,
            )
        ],
        weeks_ahead=2,
        now=NOW,
    )

    first, second = Sale.objects.filter(schedule=schedule).order_by("closes_at")
    assert first.pickups.count() == 2
    assert [(p.slot_mode, p.capacity) for p in second.pickups.all()] == [("capacity", 30)]
    assert second.pickups.get().slots.count() == 0


def test_a_generated_sale_can_be_deleted_once_its_days_are_closing_days(organisation, points):
    schedule = weekly(organisation, points, weeks_ahead=2)
    sale = Sale.objects.get(schedule=schedule, occurrence_date=date(2026, 10, 19))

    with pytest.raises(errors.GeneratedSaleWouldReturn):
        services.sale_delete(sale=sale)
    assert Sale.objects.filter(pk=sale.pk).exists()

    services.closing_period_create(
        organisation=organisation, first_day=date(2026, 10, 20), last_day=date(2026, 10, 20)
    )
    services.sale_delete(sale=sale)
    services.schedule_generate(schedule=schedule, now=NOW)
    assert not Sale.objects.filter(schedule=schedule, occurrence_date=date(2026, 10, 19)).exists()
