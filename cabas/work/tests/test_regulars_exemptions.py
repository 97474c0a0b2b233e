"""A regular member is booked on a generated shift unless an exemption covers its day: one
exemption has to cover it, not the start of one and the end of another."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.work import services
from cabas.work.models import ShiftMember, Signup, WorkSettings
from cabas.work.tests.factories import ShiftTemplateFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 2, 1, 8, 0, tzinfo=PARIS)  # a Sunday


def _regular_on_a_shift():
    organisation = OrganisationFactory(kind="cooperative")
    WorkSettings.objects.create(organisation=organisation, cycle_weeks=1, shifts_ahead_weeks=1)
    template = ShiftTemplateFactory(organisation=organisation, weekday=1, places=2)  # Tuesdays
    membership = MembershipFactory(organisation=organisation)
    services.shift_member_set(
        membership=membership,
        regime=ShiftMember.Regime.REGULAR,
        template=template,
        starts_on=date(2026, 1, 1),
        now=NOW,
    )
    return organisation, membership


def test_a_regular_between_two_exemptions_is_booked_on_the_shift():
    # given an exemption that ended before Tuesday 3 February and one that starts after it
    organisation, membership = _regular_on_a_shift()
    services.exemption_add(
        membership=membership, starts_on=date(2026, 1, 5), ends_on=date(2026, 1, 10)
    )
    services.exemption_add(
        membership=membership, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 10)
    )

    # when the shifts are generated
    made = services.shifts_generate(organisation=organisation, now=NOW)

    # then the regular is on Tuesday's shift
    assert [p.starts_at for p in made] == [datetime.combine(date(2026, 2, 3), time(9), PARIS)]
    assert list(Signup.objects.values_list("membership_id", "is_regular")) == [
        (membership.pk, True)
    ]
    made[0].refresh_from_db()
    assert made[0].taken == 1


def test_a_regular_exempted_that_day_is_not_booked():
    organisation, membership = _regular_on_a_shift()
    services.exemption_add(
        membership=membership, starts_on=date(2026, 2, 2), ends_on=date(2026, 2, 2) + timedelta(1)
    )

    made = services.shifts_generate(organisation=organisation, now=NOW)

    assert len(made) == 1
    assert not Signup.objects.exists()
    made[0].refresh_from_db()
    assert made[0].taken == 0
