"""Record the supply team's weekly e-mail where it is due; then make sure the worker's
periodic sweep is queued.

``make run`` runs it at each start (a catch-up, and the worker's chain of ``supply_tick``
tasks is started: cabas/supply/tasks_tick.py). Without the database worker, run it from cron:
    */15 * * * *  cd /srv/cabas && .venv/bin/python manage.py supply_tick
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cabas.supply import services
from cabas.supply.tasks_tick import supply_tick_schedule


class Command(BaseCommand):
    help = "Record the supply team's weekly e-mail where it is due."

    def handle(self, *args, **options):
        now = timezone.now()
        report = services.supply_tick(now=now)
        supply_tick_schedule(now=now)
        self.stdout.write(f"weekly e-mails {report.weekly_emails}")
        for slug in report.failed:
            self.stderr.write(f"failed: {slug}")
