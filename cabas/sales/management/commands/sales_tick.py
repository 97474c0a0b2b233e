"""Open and close sales whose time has come and prepare the coming ones (for cron).

The database worker does this by itself (each sale has tasks at its opening and cutoff);
run this every minute from cron when the worker is not used, or as a safety net:
    * * * * *  cd /srv/cabas && .venv/bin/python manage.py sales_tick
"""

from django.core.management.base import BaseCommand

from cabas.sales import services


class Command(BaseCommand):
    help = "Open and close sales whose time has come; prepare the coming ones."

    def handle(self, *args, **options):
        report = services.sales_tick()
        self.stdout.write(
            f"created {report.created}, opened {report.opened}, closed {report.closed}"
        )
        if options["verbosity"] >= 2:
            for reason in report.skipped:
                self.stdout.write(f"skipped: {reason}")
