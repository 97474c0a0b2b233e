"""Sales open and close by themselves, once: the worker's tasks, the sweep and the cron
command all go through the same idempotent conditional UPDATEs."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cabas.catalog.tests.factories import ProducerLinkFactory, ProductFactory
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales import errors, services
from cabas.sales.models import Sale, SlotMode
from cabas.sales.tests.factories import PickupPointFactory

pytestmark = pytest.mark.any_day

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def scheduled_sale(*, now, opens_in, closes_in, organisation=None):
    organisation = organisation or OrganisationFactory()
    sale = services.sale_create(
        organisation=organisation,
        title="Vente du vendredi",
        opens_at=now + opens_in,
        closes_at=now + closes_in,
    )
    services.pickup_create(
        sale=sale,
        pickup_point=PickupPointFactory(organisation=organisation),
        starts_at=now + closes_in + timedelta(days=1),
        ends_at=now + closes_in + timedelta(days=1, hours=2),
        slot_mode=SlotMode.UNLIMITED,
    )
    return services.sale_schedule(sale=sale, now=now)


@pytest.mark.django_db
def test_a_scheduled_sale_opens_at_its_opening_then_closes_at_its_cutoff(
    django_capture_on_commit_callbacks,
):
    sale = scheduled_sale(now=NOW, opens_in=timedelta(hours=1), closes_in=timedelta(days=2))
    assert sale.status == Sale.Status.SCHEDULED

    early = services.sale_lifecycle_advance(sale_id=sale.pk, now=NOW + timedelta(minutes=59))
    sale.refresh_from_db()
    assert (early.opened, early.closed, sale.status) == (False, False, "scheduled")

    opening = NOW + timedelta(hours=1)
    advance = services.sale_lifecycle_advance(sale_id=sale.pk, now=opening)
    sale.refresh_from_db()
    assert (advance.opened, sale.status, sale.opened_at) == (True, "open", opening)

    cutoff = NOW + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        advance = services.sale_lifecycle_advance(sale_id=sale.pk, now=cutoff)
    sale.refresh_from_db()
    assert (advance.closed, sale.status, sale.closed_at) == (True, "closed", cutoff)
    # The after-cutoff task (and the roll-forward of schedules) were enqueued on commit and ran;
    # the after-cutoff record's commit sent sale_closed, which enqueued the summaries and the
    # dashboards' rollup.
    assert len(callbacks) == 5
    assert sale.after_cutoff_at is not None


@pytest.mark.django_db
def test_advancing_twice_does_the_work_once(django_capture_on_commit_callbacks):
    sale = scheduled_sale(now=NOW, opens_in=timedelta(hours=1), closes_in=timedelta(days=2))
    later = NOW + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True) as first_callbacks:
        services.sale_lifecycle_advance(sale_id=sale.pk, now=later)
    sale.refresh_from_db()
    closed_at, after_cutoff_at = sale.closed_at, sale.after_cutoff_at

    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = services.sale_lifecycle_advance(sale_id=sale.pk, now=later + timedelta(hours=1))
        services.sales_lifecycle_sweep(now=later + timedelta(hours=1))

    sale.refresh_from_db()
    # A sale whose whole window passed while nothing ran is closed directly.
    assert sale.status == "closed"
    assert (second.opened, second.closed) == (False, False)
    assert (sale.closed_at, sale.after_cutoff_at) == (closed_at, after_cutoff_at)
    # The after-cutoff task, the roll-forward, sale_closed and the summaries and the rollup it
    # enqueued.
    assert len(first_callbacks) == 5
    assert second_callbacks == []
    assert services.sale_after_cutoff_record(sale_id=sale.pk, now=later) is False


@pytest.mark.django_db
def test_draft_sales_never_open_by_themselves():
    organisation = OrganisationFactory()
    sale = services.sale_create(
        organisation=organisation,
        title="Brouillon",
        opens_at=NOW - timedelta(days=1),
        closes_at=NOW + timedelta(days=1),
    )
    report = services.sales_lifecycle_sweep(now=NOW)
    sale.refresh_from_db()
    assert (report.opened, report.closed, sale.status) == ([], [], "draft")


@pytest.mark.django_db
def test_opening_adds_the_products_created_since_the_sale_was_prepared():
    organisation = OrganisationFactory()
    link = ProducerLinkFactory(organisation=organisation)
    ProductFactory(organisation=organisation, producer=link.producer, name="Tomme")
    sale = scheduled_sale(
        now=NOW,
        opens_in=timedelta(hours=1),
        closes_in=timedelta(days=2),
        organisation=organisation,
    )
    ProductFactory(organisation=organisation, producer=link.producer, name="Faisselle")

    services.sale_lifecycle_advance(sale_id=sale.pk, now=NOW + timedelta(hours=1))

    assert sorted(sale.items.values_list("product__name", flat=True)) == ["Faisselle", "Tomme"]


@pytest.mark.django_db
def test_the_sweep_opens_and_closes_every_due_sale():
    due_to_open = scheduled_sale(now=NOW, opens_in=timedelta(hours=1), closes_in=timedelta(days=1))
    due_to_close = scheduled_sale(now=NOW, opens_in=timedelta(0), closes_in=timedelta(minutes=30))
    not_yet = scheduled_sale(now=NOW, opens_in=timedelta(days=1), closes_in=timedelta(days=2))

    report = services.sales_lifecycle_sweep(now=NOW + timedelta(hours=1))

    assert (report.opened, report.closed) == ([due_to_open.pk], [due_to_close.pk])
    statuses = {
        sale.pk: sale.status
        for sale in Sale.objects.filter(pk__in=[due_to_open.pk, due_to_close.pk, not_yet.pk])
    }
    assert statuses == {due_to_open.pk: "open", due_to_close.pk: "closed", not_yet.pk: "scheduled"}


@pytest.mark.django_db
def test_the_cron_command_does_the_same():
    sale = scheduled_sale(
        now=timezone.now(), opens_in=timedelta(seconds=1), closes_in=timedelta(days=1)
    )
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=sale.opens_at):
        call_command("sales_tick", stdout=out)
    sale.refresh_from_db()
    assert sale.status == "open"
    assert out.getvalue() == "created 0, opened 1, closed 0\n"


@pytest.mark.django_db
def test_close_now_and_status_changes(django_capture_on_commit_callbacks):
    sale = scheduled_sale(now=NOW, opens_in=timedelta(0), closes_in=timedelta(days=2))
    assert sale.status == "open"

    with pytest.raises(errors.SaleStatusInvalid) as caught:
        services.sale_mark_distributed(sale=sale, now=NOW)
    assert str(caught.value) == "This sale is open: this change is not possible."

    with django_capture_on_commit_callbacks(execute=True):
        services.sale_close_now(sale=sale, now=NOW + timedelta(hours=3))
    sale.refresh_from_db()
    assert (sale.status, sale.closes_at) == ("closed", NOW + timedelta(hours=3))
    assert sale.after_cutoff_at is not None
    assert services.sale_mark_distributed(sale=sale, now=NOW).status == "distributed"
    assert services.sale_archive(sale=sale, now=NOW).status == "archived"


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_opens_and_closes_the_sale_on_time_and_once(settings):
    """The real path: deferred tasks in the database, run by `manage.py db_worker`."""
    settings.TASKS = DATABASE_TASKS
    start = timezone.now()
    sale = scheduled_sale(now=start, opens_in=timedelta(minutes=10), closes_in=timedelta(hours=1))

    advance_tasks = DBTaskResult.objects.filter(task_path="cabas.sales.tasks.sale_advance")
    assert sorted(advance_tasks.values_list("run_after", flat=True)) == [
        sale.opens_at,
        sale.closes_at,
    ]

    def run_worker_at(moment):
        with mock.patch("django.utils.timezone.now", return_value=moment):
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
        sale.refresh_from_db()

    run_worker_at(start + timedelta(minutes=5))
    assert sale.status == "scheduled"

    run_worker_at(sale.opens_at + timedelta(seconds=30))
    assert (sale.status, sale.opened_at) == ("open", sale.opens_at + timedelta(seconds=30))

    run_worker_at(sale.closes_at + timedelta(seconds=30))
    assert (sale.status, sale.closed_at) == ("closed", sale.closes_at + timedelta(seconds=30))
    after_cutoff = DBTaskResult.objects.get(task_path="cabas.sales.tasks.sale_after_cutoff")
    assert after_cutoff.status == "SUCCESSFUL"
    assert sale.after_cutoff_at == sale.closes_at + timedelta(seconds=30)

    # A duplicate of the opening task, a later run and the cron command change nothing.
    from cabas.sales.tasks import sale_advance

    sale_advance.enqueue(sale_id=sale.pk)
    run_worker_at(sale.closes_at + timedelta(minutes=5))
    assert (sale.status, sale.closed_at) == ("closed", sale.closes_at + timedelta(seconds=30))
    assert DBTaskResult.objects.filter(task_path="cabas.sales.tasks.sale_after_cutoff").count() == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db
def test_the_tick_prepares_the_coming_sales_of_every_schedule():
    from datetime import time

    from cabas.sales.models import Schedule

    organisation = OrganisationFactory()
    point = PickupPointFactory(organisation=organisation)
    schedule = services.schedule_create(
        organisation=organisation,
        name="Vente du vendredi",
        first_week=NOW.date(),
        weeks_ahead=2,
        pickups=[
            services.SchedulePickupSpec(
                pickup_point=point, weekday=4, starts_time=time(17), ends_time=time(19)
            )
        ],
        now=NOW,
    )
    assert schedule.sales.count() == 2
    Schedule.objects.create(
        organisation=OrganisationFactory(), name="Sans retrait", first_week=NOW.date()
    )

    report = services.sales_tick(now=NOW + timedelta(weeks=1))

    assert report.created == 1
    assert schedule.sales.count() == 3
    assert services.sales_tick(now=NOW + timedelta(weeks=1)).created == 0
