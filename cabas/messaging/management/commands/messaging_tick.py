"""Record the automatic reminders that are due (a sale opened, the last call before the
cutoff, the pickup reminder); then make sure the worker's periodic sweep is queued.

``make run`` runs it at each start (a catch-up, and the worker's chain of
``messaging_tick`` tasks is started: cabas/messaging/reminders/tasks.py). Without the
database worker, run it from cron:
    */15 * * * *  cd /srv/cabas && .venv/bin/python manage.py messaging_tick
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cabas.messaging.reminders import services
from cabas.messaging.reminders.tasks import messaging_tick_schedule


class Command(BaseCommand):
    help = "Record the automatic reminders that are due (sale opened, last call, pickup)."

    def handle(self, *args, **options):
        now = timezone.now()
        report = services.messaging_tick(now=now)
        messaging_tick_schedule(now=now)
        self.stdout.write(
            f"sale opened {report.sale_opened}, last call {report.last_call}, "
            f"pickup {report.pickup}"
        )
        for slug in report.failed:
            self.stderr.write(f"failed: {slug}")
