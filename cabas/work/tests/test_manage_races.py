"""A coordinator's changes of a duty racing volunteers' sign-ups (PostgreSQL)."""

import pytest

from cabas.accounts.tests.factories import UserFactory
from cabas.core.errors import DomainError
from cabas.core.tests.concurrency import postgresql_only, run_together
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales.tests.factories import PickupFactory
from cabas.work import services
from cabas.work.models import Signup, WorkPeriod
from cabas.work.tests.factories import TaskTypeFactory

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]

VOLUNTEERS = 10


@pytest.fixture(autouse=True)
def _postgresql_only():
    postgresql_only()


def _duty_and_volunteers(places):
    organisation = OrganisationFactory()
    duty = services.duty_add(
        pickup=PickupFactory(sale__organisation=organisation),
        task_type=TaskTypeFactory(organisation=organisation),
        places=places,
        during_pickup=True,
    )
    people = [
        MembershipFactory(organisation=organisation, user=UserFactory(), is_volunteer=True)
        for _ in range(VOLUNTEERS)
    ]
    return duty, people


def _outcome(action):
    try:
        action()
    except DomainError as error:
        return type(error).__name__
    return "ok"


def _holding(duty) -> int:
    return Signup.objects.holding().filter(period=duty).count()


def test_fewer_places_racing_sign_ups_never_leaves_more_people_than_places():
    duty, people = _duty_and_volunteers(places=4)

    def act(index):
        period = WorkPeriod.objects.get(pk=duty.pk)
        if index == 0:
            return "places", _outcome(lambda: services.duty_set_places(period=period, places=2))
        return "sign-up", _outcome(
            lambda: services.signup_create(period=period, membership=people[index])
        )

    results = run_together(act, VOLUNTEERS)  # in the order they finished

    duty.refresh_from_db()
    places = [outcome for who, outcome in results if who == "places"]
    signups = [outcome for who, outcome in results if who == "sign-up"]
    assert duty.taken == _holding(duty) == signups.count("ok") <= duty.places
    assert duty.places == (2 if places == ["ok"] else 4)
    assert set(signups) <= {"ok", "PeriodFull"}


def test_cancelling_racing_sign_ups_leaves_nobody_on_the_duty():
    duty, people = _duty_and_volunteers(places=5)

    def act(index):
        period = WorkPeriod.objects.get(pk=duty.pk)
        if index == 0:
            return "cancel", _outcome(lambda: services.duty_cancel(period=period))
        return "sign-up", _outcome(
            lambda: services.signup_create(period=period, membership=people[index])
        )

    results = run_together(act, VOLUNTEERS)  # in the order they finished

    duty.refresh_from_db()
    assert ("cancel", "ok") in results
    assert duty.is_cancelled
    assert (duty.taken, _holding(duty)) == (0, 0)
    signups = {outcome for who, outcome in results if who == "sign-up"}
    assert signups <= {"ok", "PeriodCancelled", "PeriodFull"}
