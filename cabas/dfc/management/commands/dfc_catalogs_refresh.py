"""Read again the DFC catalogs whose refresh time has come (daily or weekly), then make sure
the worker's periodic sweep is queued.

``make run`` runs it at each start (a catch-up, and the worker's chain of
``catalog_sources_sweep`` tasks is started: cabas/dfc/tasks.py). Without the database worker,
run it from cron:
    */30 * * * *  cd /srv/cabas && .venv/bin/python manage.py dfc_catalogs_refresh
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cabas.dfc import catalog_sources
from cabas.dfc.tasks import catalog_sources_sweep_schedule


class Command(BaseCommand):
    help = "Read again the DFC catalogs whose refresh time has come."

    def handle(self, *args, **options):
        now = timezone.now()
        outcomes = [
            catalog_sources.catalog_source_refresh(source_id=source_id, now=now)
            for source_id in catalog_sources.catalog_sources_due(now=now)
        ]
        catalog_sources_sweep_schedule(now=now)
        self.stdout.write(f"DFC catalogs read again: {len(outcomes)}")
