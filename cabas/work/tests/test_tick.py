"""The periodic sweep: generation through ``work_tick`` across a daylight-saving change,
cycles closed, and the chain of ``work_tick`` tasks that keeps it running."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales.tests.factories import PickupFactory, PickupPointFactory, SaleFactory
from cabas.work import services
from cabas.work.models import CounterEntry, ShiftMember, WorkPeriod, WorkSettings
from cabas.work.tasks import WORK_TICK_PATH, work_tick_schedule
from cabas.work.tests.factories import DutyTemplateFactory, ShiftTemplateFactory

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def local_starts(periods, organisation):
    return [
        (timezone.localtime(p.starts_at, organisation.tzinfo).date(),
         timezone.localtime(p.starts_at, organisation.tzinfo).time())
        for p in periods
    ]  # fmt: skip


def test_shifts_made_by_the_sweep_stay_at_9_local_across_the_spring_change():
    organisation = OrganisationFactory()
    WorkSettings.objects.create(organisation=organisation, cycle_weeks=1, shifts_ahead_weeks=3)
    ShiftTemplateFactory(organisation=organisation, weekday=6, start_time=time(9, 0))
    now = datetime(2027, 3, 20, 8, 0, tzinfo=UTC)  # Saturday before the change of 28 March

    report = services.work_tick(now=now)

    shifts = WorkPeriod.objects.shifts().order_by("starts_at")
    assert report.shifts == 3
    assert local_starts(shifts, organisation) == [
        (date(2027, 3, 21), time(9, 0)),
        (date(2027, 3, 28), time(9, 0)),
        (date(2027, 4, 4), time(9, 0)),
    ]
    # 9:00 in Paris is 8:00 UTC before the change and 7:00 UTC after it.
    assert [p.starts_at.astimezone(UTC).hour for p in shifts] == [8, 7, 7]
    assert services.work_tick(now=now + timedelta(minutes=15)).shifts == 0
    assert WorkPeriod.objects.count() == 3


def test_duties_made_by_the_sweep_stay_at_their_local_hours_across_the_autumn_change():
    organisation = OrganisationFactory()
    point = PickupPointFactory(organisation=organisation)
    sale = SaleFactory(
        organisation=organisation,
        opens_at=datetime(2026, 10, 1, 8, 0, tzinfo=UTC),
        closes_at=datetime(2026, 10, 15, 8, 0, tzinfo=UTC),
    )
    for day in (datetime(2026, 10, 18, 7, 0, tzinfo=UTC), datetime(2026, 10, 25, 8, 0, tzinfo=UTC)):
        PickupFactory(
            sale=sale, pickup_point=point, starts_at=day, ends_at=day + timedelta(hours=3)
        )
    DutyTemplateFactory(organisation=organisation, start_time=time(9, 0), end_time=time(12, 0))
    now = datetime(2026, 10, 16, 8, 0, tzinfo=UTC)

    assert services.work_tick(now=now).duties == 2
    assert services.work_tick(now=now).duties == 0
    duties = WorkPeriod.objects.duties().order_by("starts_at")
    assert local_starts(duties, organisation) == [
        (date(2026, 10, 18), time(9, 0)),
        (date(2026, 10, 25), time(9, 0)),
    ]


def test_the_sweep_closes_the_ended_cycles_once():
    organisation = OrganisationFactory()
    WorkSettings.objects.create(organisation=organisation, cycle_weeks=1)
    member = MembershipFactory(organisation=organisation)
    ShiftMember.objects.create(
        organisation=organisation, membership=member, starts_on=date(2026, 9, 28)
    )
    # Due from the first cycle starting on or after 28 September: three weeks have ended.
    now = datetime(2026, 10, 21, 8, 0, tzinfo=UTC)

    assert services.work_tick(now=now).dues == 3
    assert services.work_tick(now=now).dues == 0
    assert CounterEntry.objects.filter(reason="due").count() == 3


def test_a_quiet_sweep_reads_a_few_rows_whatever_the_number_of_organisations():
    def count():
        with CaptureQueriesContext(connection) as queries:
            services.work_tick(now=datetime(2026, 10, 16, 8, 0, tzinfo=UTC))
        return len(queries)

    OrganisationFactory()
    one = count()
    for _ in range(4):
        OrganisationFactory()
    assert count() == one


def test_the_task_queues_its_next_run_once(settings):
    settings.TASKS = DATABASE_TASKS
    now = timezone.now()
    assert work_tick_schedule(now=now) is True
    assert work_tick_schedule(now=now) is False  # one waiting already: no second chain
    call_command("work_tick", stdout=open("/dev/null", "w"))  # noqa: SIM115
    [waiting] = DBTaskResult.objects.filter(task_path=WORK_TICK_PATH)
    assert waiting.status == "READY"
    assert waiting.run_after == now + timedelta(minutes=15)


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_sweep_and_queues_the_next_one(settings):
    settings.TASKS = DATABASE_TASKS
    work_tick_schedule(now=timezone.now() - timedelta(minutes=20))  # due now
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    statuses = sorted(
        DBTaskResult.objects.filter(task_path=WORK_TICK_PATH).values_list("status", flat=True)
    )
    assert statuses == ["READY", "SUCCESSFUL"]


def test_the_alert_of_a_gap_holds_only_its_duty_row():
    """Each step of the sweep is its own transaction; the alert's is the only one that holds
    a row (its duty, marked by a conditional UPDATE) while it records the e-mails."""
    from cabas.core.tests.locks import locks_of, skip_unless_postgresql
    from cabas.work.tests.calendar_fixtures import collective

    skip_unless_postgresql()
    world = collective(places=3)
    settings = WorkSettings.objects.create(organisation=world.organisation)
    alerted, recording = locks_of(
        lambda: services.gap_alerts_record(
            organisation=world.organisation,
            settings=settings,
            now=datetime(2026, 10, 22, 12, 0, tzinfo=UTC),
        )
    )
    assert (alerted, recording.tables()) == (1, ["work_workperiod"])
