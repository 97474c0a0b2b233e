"""Background work of the work app (django-tasks; the database worker runs them)."""

from django_tasks import task

from cabas.core.tasks import enqueue_on_commit

from . import services


@task()
def duties_generate_for_pickups(*, pickup_ids: list[int]) -> int:
    """Make the duties new pickups need, from the duty templates (idempotent)."""
    return services.duties_generate_for_pickups(pickup_ids=pickup_ids)


def pickups_created_received(sender, *, pickup_ids: list[int], **kwargs) -> None:
    """Receiver of ``cabas.sales.signals.pickups_created`` (connected in apps.py): enqueue
    the pickups' duties, nothing else."""
    enqueue_on_commit(duties_generate_for_pickups, pickup_ids=list(pickup_ids))
