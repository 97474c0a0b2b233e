"""Make the coming duties and shifts, close the ended cycles, record the due reminders and
the alerts about unfilled duties; then make sure the worker's periodic sweep is queued.

``make run`` runs it at each start (a catch-up, and the worker's chain of ``work_tick``
tasks is started: cabas/work/tasks.py). Without the database worker, run it from cron:
    */15 * * * *  cd /srv/cabas && .venv/bin/python manage.py work_tick
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cabas.work import services
from cabas.work.tasks import work_tick_schedule


class Command(BaseCommand):
    help = (
        "Prepare the coming duties and shifts, close ended cycles, record due reminders "
        "and unfilled-duty alerts."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        report = services.work_tick(now=now)
        work_tick_schedule(now=now)
        self.stdout.write(
            f"duties {report.duties}, shifts {report.shifts}, dues {report.dues}, "
            f"reminders {report.reminders}, alerts {report.gap_alerts}"
        )
        for slug in report.failed:
            self.stderr.write(f"failed: {slug}")
