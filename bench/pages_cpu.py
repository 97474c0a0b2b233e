"""The CPU of the member's HTML pages: ``python -m bench.pages_cpu [--runs 40] [--profile shop]``.

Builds a database of its own (PostgreSQL ``cabas_pages_<timestamp>`` on the server of
``DATABASE_URL``, else a temporary SQLite file), migrates it, seeds the bench's scenario
(bench/scenario.py: 150 products, an open sale with 12 pickups of slots), logs members in with
Django's test client (``force_login``) and
measures, in this process, with production-like settings (DEBUG off):

- the shop page (``GET``), unfiltered and searched;
- a basket change (``POST …/basket/set/``), by htmx and without script (redirect);
- the checkout page (``GET``) of a basket of 5 products;
- the confirmation (``POST`` of the checkout: the order is placed), one member each time;
- the order's page the confirmation redirects to (``GET``, with its "confirmed" message);
- ``flow``: one member's whole order as the HTML rush's shopper makes it (``FLOW_STEPS``:
  the shop, two basket changes by htmx, the checkout, the point chosen, the confirmation and
  its redirect), a new member each time, with each step's CPU and queries beside the total.

For each: the median and p95 of the process CPU time (``time.process_time``: this process
only, so the database server's own work is not counted, the driver's is) over ``--runs``
requests after a warm-up, and the number of queries of one request. CPU time, not wall time:
the machine is shared. ``--profile PAGE`` prints the cProfile of that page's requests.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal

PAGES = (
    "shop", "shop_search", "add_htmx", "add_plain", "checkout", "confirm", "order", "flow",
    "login_password", "login_code",
)  # fmt: skip

# One member's order as the HTML rush's shopper makes it (bench/html_load.py), a new member
# each time, just logged in: the redirect of the confirmation followed.
FLOW_STEPS = (
    "shop", "basket_add", "basket_add", "checkout", "checkout_point", "confirm", "order_page",
)  # fmt: skip


LOGIN_EMAIL = "login@bench.invalid"
LOGIN_PASSWORD = secrets.token_urlsafe(16)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.pages_cpu", description=__doc__)
    parser.add_argument("--runs", type=int, default=40, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--profile", choices=PAGES, help="print the cProfile of this page")
    parser.add_argument("--profile-out", help="also write the profile's stats to this file")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (tottime...)")
    parser.add_argument("--pages", default=",".join(PAGES), help="which pages, comma-separated")
    parser.add_argument("--sql", action="store_true", help="print the queries of each page")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args(argv)


def _environment() -> object:
    """Production-like settings (as bench/run.py gives the server) on a database of our own."""
    from bench.run import BenchDatabase, configured_database_url

    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    database = BenchDatabase(configured_database_url(), f"pages_{stamp}")
    database.name = f"cabas_pages_{stamp}"
    if database.postgres:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(database.base_url)
        database.url = urlunsplit(parts._replace(path=f"/{database.name}"))
    database.create()
    os.environ.update(database.environment())
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0", "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING", "ACCOUNT_RATE_LIMITS": "false", "CACHE_KEY_PREFIX": f"pages{stamp}",
    })  # fmt: skip
    return database


class Bench:
    def __init__(self, args):
        from django.test import Client
        from django.urls import reverse

        from bench import scenario

        self.args = args
        # Members for the confirmations, the order pages and the flows.
        self.scenario = scenario.seed(members=3 * (args.warmup + args.runs) + 10)
        self.sale = self.scenario.sale
        slug = self.scenario.organisation.slug
        self.urls = {
            "shop": reverse("orders:sale_shop", args=[slug, self.sale.pk]),
            "set": reverse("orders:basket_set", args=[slug, self.sale.pk]),
            "checkout": reverse("orders:checkout", args=[slug, self.sale.pk]),
        }
        from cabas.accounts.models import User

        # A password hashed as in production (the tests use a fast hasher, the bench does not).
        User.objects.create_user(email=LOGIN_EMAIL, password=LOGIN_PASSWORD, first_name="Lou")
        self.members = [member.user_id for member in self.scenario.members]
        self.client_class = Client
        self.client = self._client(self.members.pop())
        items = list(self.sale.items.select_related("product").order_by("pk"))
        # Unlimited products (the hot ones run out during the confirmations).
        self.products = [i.product for i in items if i.quantity_available is None][:20]

    def _client(self, user_id: int):
        from django.utils import timezone

        from cabas.accounts.middleware import SessionRefreshMiddleware
        from cabas.accounts.models import User

        client = self.client_class()
        client.force_login(User.objects.get(pk=user_id))
        # As a login through the form leaves it: the day's refresh written with the login.
        session = client.session
        session[SessionRefreshMiddleware.KEY] = timezone.localdate().isoformat()
        session.save()
        return client

    def _fill(self, client, count: int = 5) -> None:
        for product in self.products[:count]:
            response = client.post(self.urls["set"], {
                "product": product.pk, "quantity": str(product.min_quantity or Decimal(1)),
            })  # fmt: skip
            assert response.status_code == 302, response.status_code

    def _place(self) -> str:
        from cabas.sales.models import Slot

        slots = list(Slot.objects.filter(pickup__sale=self.sale).order_by("pk"))
        self.slot_index = getattr(self, "slot_index", -1) + 1
        slot = slots[self.slot_index % len(slots)]
        return f"{slot.pickup_id}-{slot.pk}"

    def request(self, page: str):
        """One request of ``page``: (prepare, act) — only ``act`` is measured."""
        client = self.client
        if page == "shop":
            return None, lambda: client.get(self.urls["shop"])
        if page == "shop_search":
            return None, lambda: client.get(self.urls["shop"], {"q": "Produit 01"})
        if page in ("add_htmx", "add_plain"):
            product = self.products[self.counter % len(self.products)]
            quantity = str((product.min_quantity or Decimal(1)) * (1 + self.counter % 3))
            data = {"product": product.pk, "quantity": quantity, "next": self.urls["shop"]}
            headers = {"HX-Request": "true"} if page == "add_htmx" else {}
            return None, lambda: client.post(self.urls["set"], data, headers=headers)
        if page == "checkout":
            return (lambda: self._fill(client)), lambda: client.get(self.urls["checkout"])
        if page == "login_password":
            data = {"login": LOGIN_EMAIL, "password": LOGIN_PASSWORD}
            return None, lambda: self.client_class().post("/accounts/login/", data)
        if page == "login_code":
            return None, self._login_code
        if page == "confirm":
            member = self._client(self.members.pop())
            self._fill(member)
            data = {"place": self._place(), "note": "", "token": secrets.token_hex(16)}
            return None, lambda: member.post(self.urls["checkout"], data)
        if page == "order":  # the page the confirmation's redirect lands on
            member = self._client(self.members.pop())
            self._fill(member)
            data = {"place": self._place(), "note": "", "token": secrets.token_hex(16)}
            placed = {}

            def place():
                placed["url"] = member.post(self.urls["checkout"], data)["Location"]

            return place, lambda: member.get(placed["url"])
        if page == "flow":
            member = self._client(self.members.pop())
            return None, lambda: self._flow(member)
        raise ValueError(page)

    def _flow(self, member):
        """One member's order, step by step (``FLOW_STEPS``); each step's CPU is kept."""
        from django.db import connection

        place = self._place()
        pickup_id = place.split("-")[0]
        steps = {
            "shop": lambda: member.get(self.urls["shop"]),
            "checkout": lambda: member.get(self.urls["checkout"]),
            "checkout_point": lambda: member.get(self.urls["checkout"], {"pickup": pickup_id}),
            "confirm": lambda: member.post(
                self.urls["checkout"],
                {
                    "place": place,
                    "note": "",
                    "token": secrets.token_hex(16),
                },
            ),  # fmt: skip
        }
        added = 0
        response = None
        self.step_queries = []
        for step in FLOW_STEPS:
            counted = len(connection.queries_log)
            start = time.process_time()
            if step == "basket_add":
                product = self.products[(self.counter + added) % len(self.products)]
                added += 1
                response = member.post(
                    self.urls["set"],
                    {"product": product.pk, "quantity": str(product.min_quantity or Decimal(1))},
                    headers={"HX-Request": "true"},
                )
            elif step == "order_page":
                response = member.get(response["Location"])
            else:
                response = steps[step]()
            self.step_cpu.setdefault(step, []).append((time.process_time() - start) * 1000)
            if connection.force_debug_cursor:  # the one request whose queries are counted
                self.step_queries.append((step, len(connection.queries_log) - counted))
            expected = 302 if step == "confirm" else 200
            assert response.status_code == expected, (step, response.status_code)
        return response

    def _login_code(self):
        """Ask for a code by e-mail, then enter it (a new browser): both requests."""
        import re

        from cabas.notifications.models import OutboxMessage

        client = self.client_class()
        client.post("/accounts/login/code/", {"email": LOGIN_EMAIL})
        body = OutboxMessage.objects.filter(to__icontains=LOGIN_EMAIL).latest("pk").body
        code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.M).group(1)
        return client.post("/accounts/login/code/confirm/", {"code": code})

    def measure(self, page: str) -> dict:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.counter = 0
        self.step_cpu: dict[str, list[float]] = {}
        cpu: list[float] = []
        statuses = set()
        profile = cProfile.Profile(time.process_time) if self.args.profile == page else None
        for index in range(self.args.warmup + self.args.runs):
            self.counter = index
            prepare, act = self.request(page)
            if prepare:
                prepare()
            if profile and index >= self.args.warmup:
                profile.enable()
            start = time.process_time()
            response = act()
            elapsed = time.process_time() - start
            if profile:
                profile.disable()
            statuses.add(response.status_code)
            if index >= self.args.warmup:
                cpu.append(elapsed * 1000)
        prepare, act = self.request(page)
        if prepare:
            prepare()
        with CaptureQueriesContext(connection) as queries:
            response = act()
        if self.args.sql:
            for query in queries.captured_queries:
                print("   ", query["sql"][:300])
        if profile and self.args.profile_out:
            profile.dump_stats(self.args.profile_out)
        if profile:
            pstats.Stats(profile, stream=sys.stdout).sort_stats(self.args.sort).print_stats(70)
        cpu.sort()
        steps = []
        for step, count in getattr(self, "step_queries", []):
            # The measured runs of this step (after the warm-up, not the counted request).
            per_flow = FLOW_STEPS.count(step)
            times = self.step_cpu[step][self.args.warmup * per_flow :][: self.args.runs * per_flow]
            steps.append((step, statistics.median(times), count))
        self.step_queries = []
        return {
            "steps": steps,
            "median_ms": statistics.median(cpu),
            "p95_ms": cpu[min(len(cpu) - 1, round(0.95 * (len(cpu) - 1)))],
            "queries": len(queries),
            "status": ",".join(str(s) for s in sorted(statuses)),
            "bytes": len(response.content),
        }


def main(argv=None) -> int:
    args = parse_args(argv)
    database = _environment()
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from django.conf import settings
        from django.test.utils import override_settings

        # The static files' plain names: no collectstatic needed (the page is the same).
        plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
        override_settings(
            STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": plain}}
        ).enable()
        bench = Bench(args)
        print(f"load before: {open('/proc/loadavg').read().strip()}", flush=True)
        print(f"{'page':<12} {'median ms':>10} {'p95 ms':>8} {'queries':>8}  status  bytes")
        for page in args.pages.split(","):
            result = bench.measure(page)
            print(
                f"{page:<12} {result['median_ms']:>10.1f} {result['p95_ms']:>8.1f} "
                f"{result['queries']:>8}  {result['status']:<6}  {result['bytes']}",
                flush=True,
            )
            for step, median, queries in result["steps"]:
                print(f"  {step:<14} {median:>8.1f} {'':>8} {queries:>8}", flush=True)
        print(f"load after: {open('/proc/loadavg').read().strip()}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            database.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
