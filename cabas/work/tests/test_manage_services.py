"""A coordinator's services: settings, task types, templates, a pickup's duties, appeals."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cabas.accounts.tests.factories import UserFactory
from cabas.notifications.models import OutboxMessage
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales.tests.factories import PickupFactory, PickupPointFactory
from cabas.work import errors, selectors, services
from cabas.work.models import DutyTemplate, Signup, TaskType, WorkPeriod, WorkSettings
from cabas.work.tests.factories import DutyTemplateFactory, TaskTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory()


@pytest.fixture
def pickup(org):
    return PickupFactory(sale__organisation=org)


def _volunteer(org, **user):
    return MembershipFactory(organisation=org, user=UserFactory(**user), is_volunteer=True)


def _duty(pickup, places=2, **kwargs):
    task_type = TaskTypeFactory(organisation=pickup.organisation)
    return services.duty_add(
        pickup=pickup, task_type=task_type, places=places, during_pickup=True, **kwargs
    )


# --- Settings -------------------------------------------------------------------------------


def test_work_settings_save_creates_then_changes_the_settings(org):
    services.work_settings_save(organisation=org, withdraw_hours_before=24)
    services.work_settings_save(
        organisation=org, compensation="per_run", compensation_amount=Decimal("12.50")
    )

    settings = WorkSettings.objects.get(organisation=org)
    assert settings.withdraw_hours_before == 24
    assert settings.compensation_amount == Decimal("12.50")


@pytest.mark.parametrize(
    "fields",
    [
        {"cycle_starts_on": date(2026, 1, 6)},  # a Tuesday
        {"suspended_at": 0},
        {"compensation_amount": Decimal("-1")},
    ],
)
def test_work_settings_save_refuses_bad_values_and_changes_nothing(org, fields):
    services.work_settings_save(organisation=org, withdraw_hours_before=24)

    with pytest.raises((errors.CycleStartNotMonday, ValidationError)):
        services.work_settings_save(organisation=org, **fields)

    settings = WorkSettings.objects.get(organisation=org)
    assert (settings.cycle_starts_on, settings.suspended_at) == (date(2024, 1, 1), -2)
    assert settings.compensation_amount == Decimal("0.00")


# --- Task types -----------------------------------------------------------------------------


def test_task_type_save_adds_and_edits_with_a_unique_name(org):
    task_type = services.task_type_save(organisation=org, name=" Accueil ", instructions="Gilet")
    assert (task_type.name, task_type.instructions) == ("Accueil", "Gilet")

    services.task_type_save(organisation=org, task_type=task_type, name="Caisse")
    assert TaskType.objects.get(pk=task_type.pk).name == "Caisse"

    with pytest.raises(errors.TaskTypeNameTaken):
        services.task_type_save(organisation=org, name="caisse")
    with pytest.raises(errors.TaskTypeNameMissing):
        services.task_type_save(organisation=org, name="  ")
    assert TaskType.objects.filter(organisation=org).count() == 1
    # Another organisation may use the same name.
    services.task_type_save(organisation=OrganisationFactory(), name="Caisse")


def test_task_type_delete_refused_while_in_use(org):
    used = DutyTemplateFactory(organisation=org).task_type
    unused = TaskTypeFactory(organisation=org)

    with pytest.raises(errors.TaskTypeInUse) as refused:
        services.task_type_delete(task_type=used)
    services.task_type_delete(task_type=unused)

    assert used.name in str(refused.value)
    assert list(TaskType.objects.filter(organisation=org)) == [used]


# --- Duty templates and generation ------------------------------------------------------------


def test_duty_template_save_then_generation_for_the_coming_pickups(org, pickup):
    task_type = TaskTypeFactory(organisation=org)
    template = services.duty_template_save(
        organisation=org, task_type=task_type, start_time=time(14), end_time=time(16), places=3
    )
    made = services.duties_generate(organisation=org, now=timezone.now())

    assert made == 1
    duty = WorkPeriod.objects.get(duty_template=template)
    assert (duty.pickup, duty.places) == (pickup, 3)
    assert timezone.localtime(duty.starts_at, org.tzinfo).time() == time(14)
    assert services.duties_generate(organisation=org, now=timezone.now()) == 0


@pytest.mark.parametrize(
    ("hours", "error"),
    [
        ({"start_time": None, "end_time": time(16)}, errors.DutyHoursMissing),
        ({"start_time": time(16), "end_time": time(14)}, errors.DutyEndsBeforeStart),
        ({"during_pickup": True, "places": 0}, errors.DutyPlacesOutOfRange),
    ],
)
def test_duty_template_save_refusals_change_nothing(org, hours, error):
    task_type = TaskTypeFactory(organisation=org)
    with pytest.raises(error):
        services.duty_template_save(organisation=org, task_type=task_type, **hours)
    assert not DutyTemplate.objects.exists()


def test_duty_template_save_at_one_point_and_deactivate(org):
    point = PickupPointFactory(organisation=org)
    other = PickupFactory(sale__organisation=org)
    mine = PickupFactory(sale__organisation=org, pickup_point=point)
    template = services.duty_template_save(
        organisation=org,
        task_type=TaskTypeFactory(organisation=org),
        pickup_point=point,
        during_pickup=True,
        places=2,
    )
    services.duties_generate(organisation=org, now=timezone.now())
    assert list(WorkPeriod.objects.values_list("pickup", flat=True)) == [mine.pk]
    assert WorkPeriod.objects.get().starts_at == mine.starts_at

    services.duty_template_set_active(template=template, is_active=False)
    newer = PickupFactory(sale__organisation=org, pickup_point=point)
    services.duties_generate_for_pickups(pickup_ids=[newer.pk, other.pk])
    assert WorkPeriod.objects.count() == 1


def test_duty_template_of_another_organisation_is_refused(org):
    with pytest.raises(ValueError):
        services.duty_template_save(
            organisation=org, task_type=TaskTypeFactory(), during_pickup=True
        )


# --- One pickup's duties ------------------------------------------------------------------------


def test_duty_add_at_the_pickup_day_in_local_time(org, pickup):
    task_type = TaskTypeFactory(organisation=org)
    duty = services.duty_add(
        pickup=pickup, task_type=task_type, places=2, start_time=time(8), end_time=time(9, 30)
    )
    local = timezone.localtime(duty.starts_at, org.tzinfo)
    assert local.date() == timezone.localtime(pickup.starts_at, org.tzinfo).date()
    assert (local.time(), duty.duty_template, duty.kind) == (time(8), None, "duty")


def test_duty_add_refused_when_the_pickup_is_over(org, pickup):
    with pytest.raises(errors.PickupOver):
        _duty(pickup, now=pickup.ends_at)
    assert not WorkPeriod.objects.exists()


def test_duty_set_places_never_below_taken(org, pickup):
    duty = _duty(pickup, places=3)
    for _n in range(2):
        services.signup_create(period=duty, membership=_volunteer(org))

    with pytest.raises(errors.PlacesBelowTaken) as refused:
        services.duty_set_places(period=duty, places=1)
    assert "2" in str(refused.value)
    assert WorkPeriod.objects.get(pk=duty.pk).places == 3

    services.duty_set_places(period=duty, places=2)
    assert WorkPeriod.objects.get(pk=duty.pk).places == 2


def test_duty_cancel_withdraws_and_tells_each_person_once(
    org, pickup, django_capture_on_commit_callbacks
):
    duty = _duty(pickup, places=3)
    first = _volunteer(org, email="ana@example.org")
    second = _volunteer(org, email="ben@example.org")
    for membership in (first, second):
        services.signup_create(period=duty, membership=membership)

    with django_capture_on_commit_callbacks(execute=True):
        services.duty_cancel(period=duty)

    duty.refresh_from_db()
    assert (duty.is_cancelled, duty.taken) == (True, 0)
    assert set(Signup.objects.values_list("state", flat=True)) == {"withdrawn"}
    outbox = OutboxMessage.objects.order_by("to")
    assert [m.to for m in outbox] == ["ana@example.org", "ben@example.org"]
    from django.core import mail

    assert len(mail.outbox) == 2
    assert duty.task_type.name in mail.outbox[0].subject
    with pytest.raises(errors.PeriodCancelled):
        services.duty_cancel(period=duty)
    with pytest.raises(errors.PeriodCancelled):
        services.signup_create(period=duty, membership=_volunteer(org))
    assert OutboxMessage.objects.count() == 2


# --- Gaps and appeals -----------------------------------------------------------------------


def test_duty_audience_is_may_sign_up_for_duties_as_a_query(org):
    people = [
        MembershipFactory(organisation=org),
        MembershipFactory(organisation=org, is_volunteer=True),
        MembershipFactory(organisation=org, is_coordinator=True),
        MembershipFactory(organisation=org, is_volunteer=True, status="left"),
    ]
    for open_to in ("volunteers", "members"):
        settings = WorkSettings(organisation=org, duties_open_to=open_to)
        expected = {m.pk for m in people if selectors.may_sign_up_for_duties(m, settings)}
        assert set(selectors.duty_audience(org, settings).values_list("pk", flat=True)) == expected


def test_duty_gap_appeal_writes_once_to_each_available_person(org, pickup):
    duty = _duty(pickup, places=2)
    on_it = _volunteer(org, email="on@example.org")
    services.signup_create(period=duty, membership=on_it)
    _volunteer(org, email="free@example.org")
    MembershipFactory(organisation=org, user=UserFactory(email="member@example.org"))

    assert services.duty_gap_appeal(period=duty, appeal="token-0001") == 1
    # A double click (same page token) sends nothing more; a new appeal writes again.
    assert services.duty_gap_appeal(period=duty, appeal="token-0001") == 0
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["free@example.org"]
    assert services.duty_gap_appeal(period=duty, appeal="token-0002") == 1


@pytest.mark.parametrize("case", ["bad_token", "full", "cancelled", "started"])
def test_duty_gap_appeal_refusals_send_nothing(org, pickup, case):
    duty = _duty(pickup, places=1)
    _volunteer(org, email="free@example.org")
    appeal, now = "token-0001", None
    if case == "bad_token":
        appeal = "x"
    elif case == "full":
        services.signup_create(period=duty, membership=_volunteer(org))
    elif case == "cancelled":
        services.duty_cancel(period=duty)
    else:
        now = duty.starts_at + timedelta(minutes=1)

    with pytest.raises(
        (errors.AppealFormExpired, errors.DutyNoGap, errors.PeriodCancelled, errors.PeriodStarted)
    ):
        services.duty_gap_appeal(period=duty, appeal=appeal, now=now)
    assert not OutboxMessage.objects.filter(key__startswith="work:duty-appeal").exists()


def test_appeal_email_is_in_the_persons_language_with_the_duty(org, pickup):
    from cabas.work.duty_emails import duty_email_message

    duty = _duty(pickup)
    person = _volunteer(org, email="en@example.org", language="en")
    with transaction.atomic():
        message = duty_email_message(period_id=duty.pk, membership_id=person.pk, event="appeal")
    assert message.subject.startswith("Help wanted: ")
    assert duty.task_type.instructions in message.body
    assert f"/o/{org.slug}/duties/" in message.body
    assert message.to == ["en@example.org"]


def test_duty_email_subject_stays_on_one_line(org, pickup):
    from cabas.work.duty_emails import duty_email_message

    duty = _duty(pickup)
    TaskType.objects.filter(pk=duty.task_type_id).update(name="Caisse\nBcc: x@example.org")
    person = _volunteer(org, email="ana@example.org")
    message = duty_email_message(period_id=duty.pk, membership_id=person.pk, event="cancelled")
    assert "\n" not in message.subject and "Caisse Bcc" in message.subject
    message.message()  # a header with a line break would raise BadHeaderError


def test_a_duty_cancelled_after_it_was_read_takes_nobody(org, pickup):
    duty = _duty(pickup, places=2)
    stale = WorkPeriod.objects.get(pk=duty.pk)
    services.duty_cancel(period=duty)

    with pytest.raises(errors.PeriodCancelled):
        services.signup_create(period=stale, membership=_volunteer(org))

    assert not Signup.objects.exists()
    assert WorkPeriod.objects.get(pk=duty.pk).taken == 0
