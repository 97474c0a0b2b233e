"""Background work of the sales app (django-tasks; the database worker runs them).

``sale_advance`` is enqueued twice per scheduled sale, to run at its opening date and at its
cutoff; it is idempotent, so a stale run (dates moved) or a duplicate does nothing.
``sales_tick`` does the same for every sale at once: the ``sales_tick`` management command
runs it for deployments that prefer cron.
"""

from django.utils import timezone
from django_tasks import task

from cabas.orgs.models import Organisation

from . import services


@task()
def sale_advance(*, sale_id: int) -> dict:
    """Open or close one sale if its time has come."""
    advance = services.sale_lifecycle_advance(sale_id=sale_id, now=timezone.now())
    return {"opened": advance.opened, "closed": advance.closed}


@task()
def sale_after_cutoff(*, sale_id: int) -> bool:
    """The work after a sale's cutoff: record that the sale was processed (once), then, on
    that commit, ``signals.sale_closed``: the distribution app enqueues the summaries to its
    producers and coordinators (``cabas.distribution.tasks.sale_summaries``). All idempotent:
    a retried task completes what a failed one left, and e-mails nothing twice. Tasks queued
    before the signal existed run this same path."""
    return services.sale_after_cutoff_record(sale_id=sale_id, now=timezone.now())


@task()
def sales_generate(*, organisation_id: int) -> int:
    """Prepare the next sales of an organisation's schedules and drive (after each close)."""
    organisation = Organisation.objects.filter(pk=organisation_id, is_active=True).first()
    if organisation is None:
        return 0
    report = services.sales_generate_for_organisation(organisation=organisation, now=timezone.now())
    return len(report.created)


@task()
def sales_tick() -> dict:
    """Prepare coming sales and open/close every sale whose time has come."""
    report = services.sales_tick(now=timezone.now())
    return {"created": report.created, "opened": report.opened, "closed": report.closed}
