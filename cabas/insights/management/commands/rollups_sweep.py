"""Refresh the dashboards' stale and missing rollups of closed sales (a batch) and the
dashboards' default views (``tasks.sweep_run``); then make sure the worker's periodic sweep is
queued.

``make run`` runs it at each start (a catch-up, and the worker's chain of ``rollups_sweep``
tasks is started: cabas/insights/tasks.py). Without the database worker, run it from cron:
    */15 * * * *  cd /srv/cabas && .venv/bin/python manage.py rollups_sweep
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cabas.insights.tasks import rollups_sweep_schedule, sweep_run


class Command(BaseCommand):
    help = "Refresh the dashboards' stale and missing rollups of closed sales."

    def handle(self, *args, **options):
        now = timezone.now()
        refreshed = sweep_run(now=now)
        rollups_sweep_schedule(now=now)
        self.stdout.write(f"rollups refreshed: {refreshed}")
