"""How a cycle adds up on a member's counter (services/counters.py): a shift done pays the
cycle's due, a missed one leaves a make-up to do, without notice it costs one more."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cabas.orgs.models import Organisation
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.work import selectors, services
from cabas.work.models import CounterEntry, ShiftMember, Signup, WorkSettings
from cabas.work.selectors import ShiftStatus
from cabas.work.tests.factories import ShiftPeriodFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
CYCLE = date(2026, 11, 2)  # a Monday, first day of a 4-week cycle
SHIFT_DAY = datetime(2026, 11, 10, 9, tzinfo=PARIS)
AFTER_CYCLE = datetime(2026, 12, 1, 8, tzinfo=PARIS)


@pytest.fixture
def coop():
    organisation = OrganisationFactory(kind=Organisation.Kind.COOPERATIVE)
    WorkSettings.objects.create(organisation=organisation, cycle_starts_on=CYCLE)
    return organisation


def _member_on_shift(coop):
    membership = MembershipFactory(organisation=coop)
    services.shift_member_set(
        membership=membership, regime=ShiftMember.Regime.FLYING, starts_on=CYCLE
    )
    shift = ShiftPeriodFactory(
        organisation=coop, starts_at=SHIFT_DAY, ends_at=SHIFT_DAY + timedelta(hours=3)
    )
    signup = services.signup_create(
        period=shift, membership=membership, now=SHIFT_DAY - timedelta(days=3)
    )
    return membership, signup


def _counter(membership) -> int:
    return ShiftMember.objects.get(membership=membership).counter


@pytest.mark.parametrize(
    ("attendance", "expected"),
    [
        (Signup.Attendance.PRESENT, 0),
        (Signup.Attendance.EXCUSED, -1),
        (Signup.Attendance.ABSENT, -2),
    ],
)
def test_a_cycle_ends_at_zero_done_minus_one_excused_minus_two_without_notice(
    coop, attendance, expected
):
    membership, signup = _member_on_shift(coop)
    services.signup_attendance_record(
        signup=signup, attendance=attendance, by=None, now=SHIFT_DAY + timedelta(hours=3)
    )

    assert services.cycles_close(organisation=coop, now=AFTER_CYCLE) == 1
    assert services.cycles_close(organisation=coop, now=AFTER_CYCLE) == 0

    assert _counter(membership) == expected
    ledger = CounterEntry.objects.filter(membership=membership)
    assert sum(ledger.values_list("delta", flat=True)) == expected


def test_replaced_on_the_day_the_substitute_earns_the_point(coop):
    membership, signup = _member_on_shift(coop)
    substitute = MembershipFactory(organisation=coop)
    services.shift_member_set(
        membership=substitute, regime=ShiftMember.Regime.FLYING, starts_on=CYCLE
    )

    services.signup_attendance_record(
        signup=signup, attendance="replaced", substitute=substitute, by=None, now=SHIFT_DAY
    )

    assert (_counter(membership), _counter(substitute)) == (0, 1)


def test_changing_an_attendance_reverses_the_points_and_logs_the_correction(coop):
    membership, signup = _member_on_shift(coop)
    services.signup_attendance_record(signup=signup, attendance="present", by=None, now=SHIFT_DAY)
    services.signup_attendance_record(signup=signup, attendance="present", by=None, now=SHIFT_DAY)
    assert _counter(membership) == 1

    services.signup_attendance_record(signup=signup, attendance="absent", by=None, now=SHIFT_DAY)

    assert _counter(membership) == -1
    reasons = list(
        CounterEntry.objects.filter(membership=membership)
        .order_by("pk")
        .values_list("reason", "delta")
    )
    assert reasons == [("done", 1), ("correction", -1), ("unexcused", -1)]


def test_no_due_for_an_exempted_cycle_nor_the_cycle_of_joining(coop):
    joining_late = MembershipFactory(organisation=coop)
    services.shift_member_set(
        membership=joining_late, regime="flying", starts_on=CYCLE + timedelta(days=3)
    )
    on_holiday = MembershipFactory(organisation=coop)
    services.shift_member_set(membership=on_holiday, regime="flying", starts_on=CYCLE)
    services.exemption_add(
        membership=on_holiday, starts_on=date(2026, 11, 20), ends_on=date(2026, 11, 25)
    )

    services.cycles_close(organisation=coop, now=AFTER_CYCLE)

    assert (_counter(joining_late), _counter(on_holiday)) == (0, 0)


def test_status_up_to_date_alert_then_suspended_by_counter_or_by_time(coop):
    settings = selectors.work_settings_of(coop)
    membership, _signup = _member_on_shift(coop)
    member = ShiftMember.objects.get(membership=membership)
    today = date(2026, 12, 1)
    assert selectors.shift_status(member, settings, today) == ShiftStatus.UP_TO_DATE

    services.counter_correct(membership=membership, delta=-1, note="test", by=None, now=AFTER_CYCLE)
    member.refresh_from_db()
    assert member.negative_since == today
    assert selectors.shift_status(member, settings, today) == ShiftStatus.ALERT
    later = today + timedelta(days=settings.alert_days + 1)
    assert selectors.shift_status(member, settings, later) == ShiftStatus.SUSPENDED

    services.counter_correct(membership=membership, delta=-1, note="test", by=None, now=AFTER_CYCLE)
    member.refresh_from_db()
    assert selectors.shift_status(member, settings, today) == ShiftStatus.SUSPENDED

    services.counter_correct(membership=membership, delta=2, note="rattrapé", by=None)
    member.refresh_from_db()
    assert (member.counter, member.negative_since) == (0, None)
    assert selectors.shift_status(member, settings, later) == ShiftStatus.UP_TO_DATE
