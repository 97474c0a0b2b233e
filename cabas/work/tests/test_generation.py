"""Duties from a pickup's templates and shifts from the cycle, at wall-clock times in the
organisation's time zone, made once however often generation runs."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from cabas.orgs.models import Organisation
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales.tests.factories import PickupFactory, PickupPointFactory, SaleFactory
from cabas.work import services
from cabas.work.models import ShiftMember, Signup, WorkPeriod, WorkSettings
from cabas.work.tests.factories import DutyTemplateFactory, ShiftTemplateFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _pickup_on(organisation, point, day: date, start: time, end: time):
    sale = SaleFactory(
        organisation=organisation,
        opens_at=datetime(2026, 1, 1, tzinfo=PARIS),
        closes_at=datetime.combine(day - timedelta(days=2), time(20), tzinfo=PARIS),
    )
    return PickupFactory(
        sale=sale,
        pickup_point=point,
        starts_at=datetime.combine(day, start, tzinfo=PARIS),
        ends_at=datetime.combine(day, end, tzinfo=PARIS),
    )


def test_a_pickup_gets_the_duties_of_its_point_and_of_every_point_once():
    organisation = OrganisationFactory()
    point, other = PickupPointFactory.create_batch(2, organisation=organisation)
    prepare = DutyTemplateFactory(organisation=organisation, pickup_point=point, places=3)
    welcome = DutyTemplateFactory(
        organisation=organisation, during_pickup=True, start_time=None, end_time=None, places=2
    )
    DutyTemplateFactory(organisation=organisation, pickup_point=other)
    DutyTemplateFactory(organisation=organisation, pickup_point=point, is_active=False)
    pickup = _pickup_on(organisation, point, date(2026, 12, 11), time(17), time(19))

    made = services.duties_generate_for_pickup(pickup=pickup)
    again = services.duties_generate_for_pickup(pickup=pickup)

    assert again == []
    by_template = {period.duty_template_id: period for period in made}
    assert set(by_template) == {prepare.pk, welcome.pk}
    assert by_template[prepare.pk].starts_at == datetime(2026, 12, 11, 14, tzinfo=PARIS)
    assert by_template[prepare.pk].ends_at == datetime(2026, 12, 11, 16, tzinfo=PARIS)
    assert by_template[prepare.pk].places == 3
    assert (by_template[welcome.pk].starts_at, by_template[welcome.pk].ends_at) == (
        pickup.starts_at,
        pickup.ends_at,
    )
    assert WorkPeriod.objects.filter(pickup=pickup).count() == 2


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)], ids=["spring", "autumn"])
def test_duty_hours_stay_on_the_wall_clock_across_a_daylight_saving_change(day):
    """The Sunday the clocks change: 14:00–16:00 in Paris is 12:00/13:00 UTC either side."""
    organisation = OrganisationFactory()
    point = PickupPointFactory(organisation=organisation)
    DutyTemplateFactory(organisation=organisation, pickup_point=point)
    pickup = _pickup_on(organisation, point, day, time(17), time(19))

    (period,) = services.duties_generate_for_pickup(pickup=pickup)

    local = period.starts_at.astimezone(PARIS)
    assert (local.date(), local.hour, local.minute) == (day, 14, 0)
    assert period.ends_at.astimezone(PARIS).hour == 16
    assert period.hours == 2


def _coop(**settings) -> Organisation:
    organisation = OrganisationFactory(kind=Organisation.Kind.COOPERATIVE)
    WorkSettings.objects.create(organisation=organisation, **settings)
    return organisation


def test_shifts_follow_the_cycle_weeks_and_keep_their_local_hours_across_dst():
    """A 4-week cycle counted from Monday 2026-01-05: Sunday 2026-03-29 (the spring change)
    is in week D; the Sunday 9:00 shift of week D falls on it and every 4 weeks from then."""
    organisation = _coop(cycle_starts_on=date(2026, 1, 5), shifts_ahead_weeks=8)
    template = ShiftTemplateFactory(organisation=organisation, week=3, weekday=6)
    assert WorkSettings.objects.get().cycle_week(date(2026, 3, 29)) == template.week
    now = datetime(2026, 3, 20, 12, tzinfo=PARIS)

    made = services.shifts_generate(organisation=organisation, now=now)
    services.shifts_generate(organisation=organisation, now=now)

    starts = [period.starts_at.astimezone(PARIS) for period in made]
    assert [start.date() for start in starts] == [date(2026, 3, 29), date(2026, 4, 26)]
    assert {(start.hour, start.minute) for start in starts} == {(9, 0)}
    assert WorkPeriod.objects.shifts().count() == 2


def test_a_new_shift_books_its_regular_members_except_the_exempted_ones():
    organisation = _coop(cycle_starts_on=date(2026, 11, 30), shifts_ahead_weeks=4)
    template = ShiftTemplateFactory(organisation=organisation, week=1, weekday=1, places=2)
    regulars = MembershipFactory.create_batch(3, organisation=organisation)
    for membership in regulars:
        services.shift_member_set(
            membership=membership,
            regime=ShiftMember.Regime.REGULAR,
            template=template,
            starts_on=date(2026, 11, 1),
        )
    services.exemption_add(
        membership=regulars[0], starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 10)
    )

    (period,) = services.shifts_generate(
        organisation=organisation, now=datetime(2026, 12, 2, 10, tzinfo=PARIS)
    )

    assert period.starts_at == datetime(2026, 12, 8, 9, tzinfo=PARIS)
    booked = Signup.objects.filter(period=period).order_by("pk")
    assert [s.membership_id for s in booked] == [regulars[1].pk, regulars[2].pk]
    assert all(s.is_regular for s in booked)
    period.refresh_from_db()
    assert period.taken == 2
