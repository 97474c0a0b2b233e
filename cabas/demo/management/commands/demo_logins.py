from django.core.management.base import BaseCommand

from cabas.demo.data import DEMO_PASSWORD
from cabas.demo.people import DEMO_LOGINS


class Command(BaseCommand):
    help = "Print the demo accounts (all share one password)."

    def handle(self, *args, **options):
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        width = max(len(login.email) for login in DEMO_LOGINS)
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.email:<{width}}  {login.role} — {login.organisation}")
