"""Background work of the distribution app (django-tasks; the database worker runs them)."""

from django_tasks import task

from cabas.core.tasks import enqueue_on_commit

from . import dispatch


@task()
def sale_summaries(*, sale_id: int) -> int:
    """E-mail a closed sale's summaries to its producers and coordinators (once each)."""
    return dispatch.sale_summaries_send(sale_id=sale_id)


def sale_closed_received(sender, *, sale_id: int, **kwargs) -> None:
    """Receiver of ``cabas.sales.signals.sale_closed`` (connected in apps.py): enqueue the
    summaries, nothing else."""
    enqueue_on_commit(sale_summaries, sale_id=sale_id)
