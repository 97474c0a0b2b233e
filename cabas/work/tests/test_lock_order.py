"""Duties and shifts follow the global lock order (cabas/core/lock_order.py): a sign-up
takes its period's place counter, a replacement or an attendance locks the sign-up, then a
counter. Recorded on PostgreSQL (SQLite takes no row lock)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cabas.core.tests.locks import locks_of, skip_unless_postgresql
from cabas.orgs.models import Organisation
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.work import services
from cabas.work.models import ShiftMember, Signup
from cabas.work.tests.factories import ShiftPeriodFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 2, 10, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _postgresql_only():
    skip_unless_postgresql()


def test_sign_up_swap_and_attendance_lock_in_the_global_order():
    organisation = OrganisationFactory(kind=Organisation.Kind.COOPERATIVE)
    shift = ShiftPeriodFactory(
        organisation=organisation, starts_at=datetime(2026, 12, 8, 9, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 8, 12, tzinfo=PARIS),
    )  # fmt: skip
    first, second = MembershipFactory.create_batch(2, organisation=organisation)
    for membership in (first, second):
        services.shift_member_set(
            membership=membership, regime=ShiftMember.Regime.FLYING, starts_on=date(2026, 1, 1)
        )

    signup, recording = locks_of(
        lambda: services.signup_create(period=shift, membership=first, now=NOW)
    )
    assert recording.tables() == ["work_workperiod"]

    services.signup_ask_replacement(signup=signup, now=NOW)
    taken, recording = locks_of(
        lambda: services.signup_take_over(signup=signup, membership=second, now=NOW)
    )
    assert recording.tables() == ["work_signup"]

    _r, recording = locks_of(
        lambda: services.signup_attendance_record(
            signup=taken, attendance=Signup.Attendance.PRESENT, by=None, now=NOW
        )
    )
    assert recording.tables() == ["work_signup", "work_shiftmember"]
