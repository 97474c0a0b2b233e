"""Schedules and the drive built from "now", whatever day and hour now is.

The other schedule and drive tests fix their own instant and assert exact dates; these take the
test clock's instant (swept over every day of a week and both daylight-saving changes, see
conftest.CLOCK_SWEEP) and assert what must hold on any day: local hours kept, cutoffs in the
future, sales opened exactly when their opening has passed, slots bookable only after the lead
time, generation idempotent.
"""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales import selectors, services
from cabas.sales.models import Pickup, Sale, SlotMode
from cabas.sales.services import SchedulePickupSpec
from cabas.sales.tests.factories import PickupPointFactory

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]

TUESDAY = 1
DRIVE_HOURS = {
    3: [(time(15, 45), time(18, 15)), (time(18, 30), time(21, 0))],  # Thursday
    4: [(time(15, 45), time(18, 15))],  # Friday
    5: [(time(10, 15), time(12, 45))],  # Saturday
}


def local_wall(moment: datetime, organisation) -> tuple[int, int, int]:
    """(weekday, hour, minute) of ``moment`` on the organisation's clock."""
    local = moment.astimezone(organisation.tzinfo)
    return local.weekday(), local.hour, local.minute


def test_a_weekly_schedule_made_now_keeps_its_local_hours_and_future_cutoffs():
    now = timezone.now()
    organisation = OrganisationFactory(timezone="Europe/Paris")
    point = PickupPointFactory(organisation=organisation)
    today = timezone.localdate(now, organisation.tzinfo)
    schedule = services.schedule_create(
        organisation=organisation,
        name="Vente du mardi",
        first_week=today - timedelta(days=today.weekday()),
        opens_days_before=8,
        opens_time=time(8, 0),
        closes_days_before=3,
        closes_time=time(20, 0),
        weeks_ahead=4,
        pickups=[
            SchedulePickupSpec(
                pickup_point=point,
                weekday=TUESDAY,
                starts_time=time(17, 0),
                ends_time=time(19, 0),
                slot_minutes=15,
                slot_capacity=5,
            )
        ],
        now=now,
    )

    sales = list(Sale.objects.filter(schedule=schedule).order_by("closes_at"))
    # Four weeks from this one, less this week's when its cutoff has passed.
    assert len(sales) in (3, 4)
    days = [sale.occurrence_date for sale in sales]
    assert days == [days[0] + timedelta(weeks=n) for n in range(len(days))]
    for sale in sales:
        assert sale.closes_at > now
        assert local_wall(sale.opens_at, organisation)[1:] == (8, 0)
        assert local_wall(sale.closes_at, organisation)[1:] == (20, 0)
        assert sale.status == ("open" if sale.opens_at <= now else "scheduled")
        pickup = Pickup.objects.get(sale=sale)
        assert sale.closes_at < pickup.starts_at
        assert local_wall(pickup.starts_at, organisation) == (TUESDAY, 17, 0)
        assert local_wall(pickup.ends_at, organisation) == (TUESDAY, 19, 0)
        slots = list(pickup.slots.order_by("starts_at"))
        assert [local_wall(s.starts_at, organisation)[1:] for s in slots] == [
            (17 + n // 4, 15 * (n % 4)) for n in range(8)
        ]

    assert services.schedule_generate(schedule=schedule, now=now).created == []


def test_the_drive_made_now_offers_only_slots_after_the_lead_time():
    now = timezone.now()
    organisation = OrganisationFactory(
        kind="cooperative", members_only=True, timezone="Europe/Paris"
    )
    shop = PickupPointFactory(organisation=organisation)
    services.drive_hours_set(organisation=organisation, hours=DRIVE_HOURS, now=now)
    services.drive_configure(
        organisation=organisation,
        pickup_point=shop,
        slot_minutes=15,
        slot_capacity=5,
        lead_time_minutes=120,
        days_ahead=7,
        now=now,
    )

    sales = list(Sale.objects.filter(organisation=organisation, kind=Sale.Kind.DRIVE))
    # Seven days ahead hold one Thursday, one Friday and one Saturday, one sale each (today's
    # is left out once its last slot can no longer be booked).
    days = sorted(sale.occurrence_date.weekday() for sale in sales)
    assert set(days) <= {3, 4, 5} and len(days) == len(set(days)) >= 2
    for sale in sales:
        assert sale.closes_at > now
        for pickup in sale.pickups.all():
            weekday, hour, minute = local_wall(pickup.starts_at, organisation)
            assert (time(hour, minute), pickup.ends_at.astimezone(organisation.tzinfo).time()) in (
                DRIVE_HOURS[weekday]
            )
            assert pickup.slot_mode == SlotMode.SLOTS

    bookable = selectors.bookable_slots(organisation=organisation, now=now, limit=50)
    assert bookable
    assert all(slot.starts_at >= now + timedelta(minutes=120) for slot in bookable)
    assert [s.starts_at for s in bookable] == sorted(s.starts_at for s in bookable)

    before = Sale.objects.filter(organisation=organisation).count()
    services.drive_generate(organisation=organisation, now=now)
    assert Sale.objects.filter(organisation=organisation).count() == before
