from time import perf_counter

from django.core.management.base import BaseCommand

from cabas.demo.seed import demo_seed


class Command(BaseCommand):
    help = "Load the demo organisations, people, catalog and sales (idempotent)."

    def handle(self, *args, **options):
        started = perf_counter()
        report = demo_seed()
        created = ", ".join(f"{count} {what}" for what, count in report.created.items() if count)
        self.stdout.write(
            f"Demo ready in {perf_counter() - started:.1f} s"
            + (f" (created {created})." if created else " (nothing to add).")
        )
