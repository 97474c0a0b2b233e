"""Signing up, withdrawing in time, asking for a replacement and taking someone's place."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales.tests.factories import PickupFactory
from cabas.work import errors, services
from cabas.work.models import DutyAudience, Signup, WorkPeriod, WorkSettings
from cabas.work.tests.factories import TaskTypeFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 2, 10, tzinfo=PARIS)


@pytest.fixture
def duty():
    organisation = OrganisationFactory()
    pickup = PickupFactory(
        sale__organisation=organisation,
        starts_at=datetime(2026, 12, 11, 17, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 11, 19, tzinfo=PARIS),
    )
    return WorkPeriod.objects.create(
        organisation=organisation,
        kind=WorkPeriod.Kind.DUTY,
        task_type=TaskTypeFactory(organisation=organisation),
        pickup=pickup,
        starts_at=datetime(2026, 12, 11, 14, tzinfo=PARIS),
        ends_at=datetime(2026, 12, 11, 16, tzinfo=PARIS),
        places=2,
    )


def _volunteer(organisation, **kwargs):
    return MembershipFactory(organisation=organisation, is_volunteer=True, **kwargs)


def _state(period):
    period.refresh_from_db()
    return period.taken, list(Signup.objects.order_by("pk").values_list("membership", "state"))


def test_volunteers_fill_the_places_and_the_next_one_is_refused(duty):
    first, second, third = (_volunteer(duty.organisation) for _ in range(3))
    services.signup_create(period=duty, membership=first, now=NOW)
    services.signup_create(period=duty, membership=second, now=NOW)
    before = _state(duty)

    with pytest.raises(errors.PeriodFull):
        services.signup_create(period=duty, membership=third, now=NOW)

    assert _state(duty) == before
    assert before[0] == 2


def test_twice_the_same_person_is_refused_and_the_place_is_not_counted(duty):
    volunteer = _volunteer(duty.organisation)
    services.signup_create(period=duty, membership=volunteer, now=NOW)
    with pytest.raises(errors.AlreadySignedUp):
        services.signup_create(period=duty, membership=volunteer, now=NOW)
    assert _state(duty)[0] == 1


def test_members_need_the_volunteer_role_unless_duties_are_open_to_all(duty):
    member = MembershipFactory(organisation=duty.organisation)
    with pytest.raises(errors.NotAllowedToSignUp):
        services.signup_create(period=duty, membership=member, now=NOW)
    assert _state(duty) == (0, [])

    WorkSettings.objects.create(organisation=duty.organisation, duties_open_to=DutyAudience.MEMBERS)
    services.signup_create(period=duty, membership=member, now=NOW)
    assert _state(duty)[0] == 1


def test_a_coordinator_assigns_any_active_member(duty):
    coordinator = MembershipFactory(organisation=duty.organisation, is_coordinator=True)
    member = MembershipFactory(organisation=duty.organisation)
    signup = services.signup_create(period=duty, membership=member, by=coordinator.user, now=NOW)
    assert signup.assigned_by == coordinator.user


def test_no_sign_up_once_the_duty_started_or_when_it_is_cancelled(duty):
    volunteer = _volunteer(duty.organisation)
    with pytest.raises(errors.PeriodStarted):
        services.signup_create(period=duty, membership=volunteer, now=duty.starts_at)
    duty.is_cancelled = True
    duty.save()
    with pytest.raises(errors.PeriodCancelled):
        services.signup_create(period=duty, membership=volunteer, now=NOW)
    assert _state(duty) == (0, [])


def test_withdrawing_frees_the_place_until_the_delay_then_a_replacement_is_needed(duty):
    early, late = _volunteer(duty.organisation), _volunteer(duty.organisation)
    first = services.signup_create(period=duty, membership=early, now=NOW)
    second = services.signup_create(period=duty, membership=late, now=NOW)
    deadline = duty.starts_at - timedelta(hours=48)

    services.signup_withdraw(signup=first, now=deadline)
    with pytest.raises(errors.TooLateToWithdraw) as refused:
        services.signup_withdraw(signup=second, now=deadline + timedelta(minutes=1))

    assert "48" in str(refused.value)
    assert _state(duty) == (1, [(early.pk, "withdrawn"), (late.pk, "signed")])
    with pytest.raises(errors.SignupNotHolding):
        services.signup_withdraw(signup=first, now=NOW)


def test_a_replacement_takes_the_place_without_changing_the_count(duty):
    leaving, taking = _volunteer(duty.organisation), _volunteer(duty.organisation)
    offered = services.signup_create(period=duty, membership=leaving, now=NOW)
    with pytest.raises(errors.NoReplacementWanted):
        services.signup_take_over(signup=offered, membership=taking, now=NOW)

    services.signup_ask_replacement(signup=offered, now=NOW)
    with pytest.raises(errors.CannotReplaceYourself):
        services.signup_take_over(signup=offered, membership=leaving, now=NOW)
    taken = services.signup_take_over(signup=offered, membership=taking, now=NOW)

    assert taken.replaces_id == offered.pk
    assert _state(duty) == (1, [(leaving.pk, "handed_over"), (taking.pk, "signed")])
    with pytest.raises(errors.NoReplacementWanted):
        services.signup_take_over(signup=offered, membership=_volunteer(duty.organisation))


def test_someone_already_on_the_duty_cannot_take_a_second_place_by_replacement(duty):
    leaving, staying = _volunteer(duty.organisation), _volunteer(duty.organisation)
    offered = services.signup_create(period=duty, membership=leaving, now=NOW)
    services.signup_create(period=duty, membership=staying, now=NOW)
    services.signup_ask_replacement(signup=offered, now=NOW)
    before = _state(duty)

    with pytest.raises(errors.AlreadySignedUp):
        services.signup_take_over(signup=offered, membership=staying, now=NOW)

    assert _state(duty) == before
