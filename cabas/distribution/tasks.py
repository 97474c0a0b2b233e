"""Background work of the distribution app (django-tasks; the database worker runs them)."""

from django_tasks import task


@task()
def sale_summaries(*, sale_id: int) -> int:
    """E-mail a closed sale's summaries to its producers and coordinators (once each)."""
    from . import dispatch

    return dispatch.sale_summaries_send(sale_id=sale_id)
