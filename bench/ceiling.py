"""What Django's request cycle alone costs here: ``python -m bench.ceiling [--runs 400]``.

Issue 21's ratios (the HTML flow at 20× the peer's orders/s, the API at half the raw-SQL
floor) are budgets of CPU per order on this machine's two cores. This measures the part of
every request that no view can remove: the production middleware, the session and the person
read for a page (a member logged in as the HTML rush's shoppers are), the token checked for an
API call — each through Django's WSGI handler, as gunicorn calls it, with views that do
nothing else (``bench/ceiling_urls.py``). For each kind of request: this process's CPU and the
PostgreSQL server process's CPU (its ``/proc`` counters, same machine) per request.

With the results JSON of a full run (``bench/results/latest.json`` or ``--results``) it
writes the budgets beside them: the CPU per order the target allows at the run's measured
rates, and how much of it these empty requests already take, at the run's own requests per
order. Builds its database as ``bench.pages_cpu`` does (PostgreSQL when ``DATABASE_URL`` names
one, dropped at the end).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

KINDS = ("page_anonymous", "page_member", "api_token")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.ceiling", description=__doc__)
    parser.add_argument("--runs", type=int, default=400, help="measured requests per kind")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument(
        "--results", default="bench/results/latest.json", help="a full run's results JSON"
    )
    parser.add_argument(
        "--peer-results",
        default="bench/results/with-peer.json",
        help="the peer's rates when --results has none (the last run of make bench-peer)",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    return parser.parse_args(argv)


def _backend_cpu_s(pid: int | None) -> float:
    """The PostgreSQL backend's CPU seconds so far (0 on SQLite: the driver is in process)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


class Requests:
    """Requests made through Django's WSGI handler, as gunicorn's worker makes them."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()

    def get(self, path: str, headers: dict) -> tuple[str, bytes]:
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1", "HTTP_ACCEPT_ENCODING": "gzip", "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
            **headers,
        }  # fmt: skip
        started = []
        response = self.handler(environ, lambda status, headers, exc=None: started.append(status))
        body = b"".join(response)
        response.close()  # request_finished, as the server calls it
        return started[0], body


def _member_and_token():
    """A member with a session as a login through the form leaves it, and an API token."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from cabas.accounts.middleware import SessionRefreshMiddleware
    from cabas.accounts.models import User
    from cabas.api.services import token_create

    user = User.objects.create_user(email="ceiling@bench.invalid", first_name="Lou")
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session[SessionRefreshMiddleware.KEY] = timezone.localdate().isoformat()
    session.save()
    return session.session_key, token_create(user=user, name="ceiling").secret


def measure(runs: int, warmup: int) -> dict:
    from django.conf import settings
    from django.db import connection

    session_key, secret = _member_and_token()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_key}"
    kinds = {
        "page_anonymous": ("/bench-ceiling/page/", {}, b"anonymous"),
        "page_member": ("/bench-ceiling/page/", {"HTTP_COOKIE": cookie}, b"member"),
        "api_token": ("/bench-ceiling/api/empty", {"HTTP_AUTHORIZATION": f"Bearer {secret}"},
                      b'{"ok": true}'),
    }  # fmt: skip
    requests = Requests()
    figures = {}
    for kind, (path, headers, expected) in kinds.items():
        for _ in range(warmup):
            status, body = requests.get(path, headers)
            assert status.startswith("200") and body == expected, (kind, status, body[:200])
        pid = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
        times = []
        database_before = _backend_cpu_s(pid)
        for _ in range(runs):
            start = time.process_time()
            requests.get(path, headers)
            times.append((time.process_time() - start) * 1000)
        database_ms = (_backend_cpu_s(pid) - database_before) * 1000 / runs
        times.sort()
        figures[kind] = {
            "process_ms_median": round(statistics.median(times), 3),
            "process_ms_mean": round(statistics.fmean(times), 3),
            "database_ms_mean": round(database_ms, 3),
            "total_ms_mean": round(statistics.fmean(times) + database_ms, 3),
        }
    return figures


def peer_phases(results: dict) -> list[dict]:
    """The peer's phases in a bench run's results; none when the peer did not run (its
    ``html.peer`` then says "not run") or the HTML rush was skipped."""
    peer = (results.get("html") or {}).get("peer")
    return (peer.get("phases") or []) if isinstance(peer, dict) else []


def budgets(figures: dict, results: dict, peer_results: dict | None = None) -> dict:
    """The targets' CPU per order at the full run's measured rates, and the empty requests'
    share of it at that run's requests per order. A run without the peer takes the peer's
    rates from ``peer_results`` (a run with it)."""
    out = {}
    peer = peer_phases(results)
    if not peer and peer_results:
        peer = peer_phases(peer_results)
    for phase in results.get("html", {}).get("phases", []):
        peer_rate = next(
            (p["orders_per_s"] for p in peer if p.get("shoppers") == phase["shoppers"]), None
        )
        if not peer_rate or not phase.get("placed_orders"):
            continue
        busy = phase["cpu"]["machine_busy"]
        cores = results.get("machine", {}).get("cores", 2)
        requests_per_order = phase["requests"] / phase["placed_orders"]
        needed = 20 * peer_rate
        budget = cores * 1000 * busy / needed
        generator = phase.get("generator_cpu_ms_per_request", 0) * requests_per_order
        empty = figures["page_member"]["total_ms_mean"] * requests_per_order
        out[f"html_{phase['shoppers']}"] = {
            "peer_orders_per_s": peer_rate,
            "needed_orders_per_s": round(needed, 1),
            "cpu_ms_per_order_allowed": round(budget, 1),
            "requests_per_order": round(requests_per_order, 2),
            "load_generator_ms_per_order": round(generator, 1),
            "empty_requests_ms_per_order": round(empty, 1),
            "left_for_the_pages_ms": round(budget - generator - empty, 1),
            "measured_server_ms_per_order": phase.get("server_cpu_ms_per_order"),
        }
    big = [p for p in results.get("html", {}).get("phases", []) if p.get("requests")]
    if big:
        # Shoppers without pause: a request waits, on average, shoppers ÷ requests per second
        # (Little's law). A p95 under 200 ms needs at least that average under 200 ms.
        phase = max(big, key=lambda p: p["shoppers"])
        cores = results.get("machine", {}).get("cores", 2)
        needed = phase["shoppers"] / 0.2
        budget = cores * 1000 * phase["cpu"]["machine_busy"] / needed
        generator = phase.get("generator_cpu_ms_per_request", 0)
        empty = figures["page_member"]["total_ms_mean"]
        requests_per_order = phase["requests"] / phase["placed_orders"]
        out[f"shop_p95_{phase['shoppers']}"] = {
            "needed_requests_per_s": round(needed, 1),
            "cpu_ms_per_request_allowed": round(budget, 2),
            "load_generator_ms_per_request": round(generator, 2),
            "empty_request_ms": round(empty, 2),
            "left_for_the_pages_ms": round(budget - generator - empty, 2),
            "measured_server_ms_per_request": round(
                phase["server_cpu_ms_per_order"] / requests_per_order, 2
            ),
        }
    http, floor = results.get("http"), results.get("floor")
    if http and floor and http.get("placed_orders"):
        cpu = http["cpu"]
        cores = results.get("machine", {}).get("cores", 2)
        needed = 0.5 * floor["orders_per_s"]
        budget = cores * 1000 * cpu["machine_busy"] / needed
        requests_per_order = http["requests"] / http["placed_orders"]
        postgres = cpu["cpu_s"]["postgres"] * 1000 / http["placed_orders"]
        generator = cpu["cpu_s"]["load_generator"] * 1000 / http["placed_orders"]
        # This process's part only: the database's is in the run's PostgreSQL figure.
        empty = figures["api_token"]["process_ms_mean"] * requests_per_order
        out["api"] = {
            "floor_orders_per_s": floor["orders_per_s"],
            "needed_orders_per_s": round(needed, 1),
            "cpu_ms_per_order_allowed": round(budget, 1),
            "requests_per_order": round(requests_per_order, 2),
            "postgres_ms_per_order_measured": round(postgres, 1),
            "load_generator_ms_per_order": round(generator, 1),
            "empty_requests_ms_per_order": round(empty, 1),
            "left_for_the_calls_ms": round(budget - postgres - generator - empty, 1),
            "measured_app_server_ms_per_order": round(
                cpu["cpu_s"]["app_server"] * 1000 / http["placed_orders"], 1
            ),
        }
    return out


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench.pages_cpu import _environment

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic
    database = _environment()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.test.utils import override_settings

        call_command("migrate", verbosity=0)
        override_settings(ROOT_URLCONF="bench.ceiling_urls").enable()
        load_before = open("/proc/loadavg").read().strip()
        figures = measure(args.runs, args.warmup)
        load_after = open("/proc/loadavg").read().strip()
        print(f"load before: {load_before}  after: {load_after}")
        print(f"{'request':<16} {'process ms':>10} {'(mean)':>8} {'database ms':>12} {'total':>7}")
        for kind in KINDS:
            f = figures[kind]
            print(
                f"{kind:<16} {f['process_ms_median']:>10.2f} {f['process_ms_mean']:>8.2f} "
                f"{f['database_ms_mean']:>12.2f} {f['total_ms_mean']:>7.2f}"
            )
        out = {"requests": figures, "load": [load_before, load_after]}
        results = Path(args.results)
        if results.exists():
            peer_path = Path(args.peer_results)
            peer = json.loads(peer_path.read_text()) if peer_path.exists() else None
            run = json.loads(results.read_text())
            out["budgets"] = budgets(figures, run, peer)
            out["budgets_from"] = str(results)
            if peer and not peer_phases(run):
                out["peer_rates_from"] = {
                    "file": str(peer_path), "commit": peer.get("git", {}).get("commit"),
                    "started_at": peer.get("run", {}).get("started_at"),
                }  # fmt: skip
            print(f"budgets at the rates of {results}:")
            print(json.dumps(out["budgets"], indent=2))
        if args.json:
            Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    finally:
        from django.db import connections

        connections.close_all()
        database.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
