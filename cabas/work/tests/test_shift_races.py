"""The last places of a shift under members tapping at once, on PostgreSQL (transactional
tests with threads; skipped on SQLite, which runs one writer at a time)."""

from datetime import date

import pytest

from cabas.core.tests.concurrency import postgresql_only, run_together
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.work import services
from cabas.work.models import Signup, WorkPeriod
from cabas.work.tests.factories import ShiftPeriodFactory

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    postgresql_only()


def _outcomes(results) -> list[str]:
    return sorted(r.code if isinstance(r, Exception) else "signed" for r in results)


def test_ten_members_for_the_last_two_places_of_a_shift_exactly_two_get_one():
    organisation = OrganisationFactory(kind="cooperative")
    period = ShiftPeriodFactory(organisation=organisation, places=2)
    members = [MembershipFactory(organisation=organisation) for _ in range(10)]
    for membership in members:
        services.shift_member_set(
            membership=membership, regime="flying", starts_on=date(2024, 1, 1)
        )

    results = run_together(
        lambda i: services.signup_create(period=period, membership=members[i]), 10
    )

    assert _outcomes(results) == ["duty_full"] * 8 + ["signed"] * 2
    assert WorkPeriod.objects.get(pk=period.pk).taken == 2
    assert Signup.objects.filter(period=period).count() == 2


def test_five_members_for_one_offered_shift_exactly_one_takes_it():
    organisation = OrganisationFactory(kind="cooperative")
    period = ShiftPeriodFactory(organisation=organisation, places=1)
    members = [MembershipFactory(organisation=organisation) for _ in range(6)]
    for membership in members:
        services.shift_member_set(
            membership=membership, regime="flying", starts_on=date(2024, 1, 1)
        )
    offered = services.signup_create(period=period, membership=members[0])
    services.signup_ask_replacement(signup=offered)

    results = run_together(
        lambda i: services.shift_take_over(signup=offered, membership=members[i + 1]), 5
    )

    assert _outcomes(results) == ["no_replacement_wanted"] * 4 + ["signed"]
    assert WorkPeriod.objects.get(pk=period.pk).taken == 1
    assert Signup.objects.holding().filter(period=period).count() == 1


def test_ten_volunteers_for_the_last_two_places_of_a_duty_exactly_two_get_one():
    from cabas.orders.tests.factories import open_shop
    from cabas.work.tests.factories import TaskTypeFactory

    shop = open_shop()
    pickup = shop.pickup
    period = WorkPeriod.objects.create(
        organisation=shop.organisation,
        kind=WorkPeriod.Kind.DUTY,
        task_type=TaskTypeFactory(organisation=shop.organisation),
        pickup=pickup,
        starts_at=pickup.starts_at,
        ends_at=pickup.ends_at,
        places=2,
    )
    volunteers = [
        MembershipFactory(organisation=shop.organisation, is_volunteer=True) for _ in range(10)
    ]

    results = run_together(
        lambda i: services.signup_create(period=period, membership=volunteers[i]), 10
    )

    assert _outcomes(results) == ["duty_full"] * 8 + ["signed"] * 2
    assert WorkPeriod.objects.get(pk=period.pk).taken == 2
    assert Signup.objects.filter(period=period).count() == 2
