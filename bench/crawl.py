"""The page crawl: every page a member, a producer, a volunteer or a coordinator reaches with
a GET, visited in-process with Django's test client and a logged-in session of that role,
several times each (the first visit is a warm-up, not counted in the percentiles but
reported apart: ``first_ms``, ``first_queries``; on a page that keeps a snapshot of its
figures, the dashboards, it is the visit that computes them when the cache has none), timing
each visit (wall and CPU of this process) and counting its queries.

The pages come from the URL resolver and the permission matrix (``cabas/*/tests/
permission_rows.py``): every named URL pattern whose row expects a 200 to a GET from one of
those roles is visited by the first such role (member, producer, volunteer, coordinator).
Its arguments come from the generated organisation (bench/big.py): the closed sale (the
open one for the shop), the check-in pickup, the member's order in the closed sale, a product
of the producer's farm… A pattern whose arguments the organisation has nothing for is listed
in ``skipped`` with the reason, so a new page is never silently forgotten.
"""

from __future__ import annotations

import gc
import importlib
import re
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cabas.orders.models import Order
from cabas.orgs.models import Membership
from cabas.sales.models import Slot
from cabas.work.models import ShiftTemplate, Signup, TaskType, WorkPeriod
from config.startup import gc_tune

ROLES = ("member", "producer", "volunteer", "coordinator")
EXEMPT = ("admin:", "account_", "anymail:", "set_language", "api:", "dfc:")
TARGET_P95_MS = 200
PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"


def matrix_rows() -> dict:
    """The permission matrix's rows (the same gathering as its test)."""
    rows: dict = {}
    for app_dir in sorted(Path(settings.BASE_DIR, "cabas").iterdir()):
        if (app_dir / "tests" / "permission_rows.py").exists():
            module = importlib.import_module(f"cabas.{app_dir.name}.tests.permission_rows")
            rows.update(module.ROWS)
    return rows


def _walk(patterns, prefix="", route=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from _walk(pattern.url_patterns, prefix + namespace, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name, route + str(pattern.pattern)


def _values(big) -> dict:
    """Argument values by (the route's segment before it, its name)."""
    member = big.people["member"]
    order = Order.objects.filter(sale=big.closed_sale, user=member).first()
    membership = Membership.objects.get(organisation=big.organisation, user=member)
    producer = Membership.objects.get(organisation=big.organisation, user=big.people["producer"])
    product = producer.producer.products.filter(organisation=big.organisation).first()
    slot = Slot.objects.filter(pickup=big.checkin_pickup).first()
    # The shifts of bench/big.py: the first dated one has regulars booked.
    shift = WorkPeriod.objects.filter(organisation=big.organisation, kind=WorkPeriod.Kind.SHIFT)
    shift = shift.order_by("starts_at").first()
    signup = Signup.objects.holding().filter(period=shift).order_by("pk").first()
    template = ShiftTemplate.objects.filter(organisation=big.organisation).order_by("pk").first()
    task = TaskType.objects.filter(organisation=big.organisation).order_by("pk").first()
    return {
        ("o", "slug"): big.organisation.slug,
        ("shop", "sale_id"): big.open_sale.pk,
        ("sales", "sale_id"): big.closed_sale.pk,
        ("pickups", "pickup_id"): big.checkin_pickup.pk,
        ("orders", "code"): order.code if order else None,
        ("catalog", "pk"): product.pk,
        ("products", "pk"): product.pk,
        ("products", "product_id"): product.pk,
        ("producers", "pk"): producer.producer_id,
        ("members", "membership_id"): membership.pk,
        ("members", "pk"): membership.pk,
        ("members", "user_id"): member.pk,
        ("pickup-points", "point_id"): big.checkin_pickup.pickup_point_id,
        ("slots", "slot_id"): slot.pk if slot else None,
        ("shifts", "pk"): shift.pk if shift else None,
        ("signups", "signup_id"): signup.pk if signup else None,
        ("cycle", "pk"): template.pk if template else None,
        ("tasks", "task_type_id"): task.pk if task else None,
        ("*", "file_format"): "csv",
    }


def _kwargs(route: str, values: dict) -> tuple[dict | None, str]:
    kwargs = {}
    segments = route.strip("/").split("/")
    for before, segment in zip(["", *segments], segments, strict=False):
        for name in re.findall(r"<(?:\w+:)?(\w+)>", segment):
            value = values.get((before, name), values.get(("*", name)))
            if value is None:
                return None, f"nothing in the generated organisation for {before}/<{name}>"
            kwargs[name] = value
    return kwargs, ""


def pages(big) -> tuple[list[dict], dict[str, str]]:
    """The pages to visit (name, url, role) and the skipped URL names with the reason."""
    rows, values = matrix_rows(), _values(big)
    visit, skipped = [], {}
    for name, route in _walk(get_resolver().url_patterns):
        if name.startswith(EXEMPT):
            continue
        row = rows.get(name)
        if row is None:
            skipped[name] = "no row in the permission matrix"
            continue
        role = next((r for r in ROLES if row.method == "get" and row.expect[r] == 200), None)
        if role is None:
            continue  # not a GET page of these roles (posts, public-only or supply pages)
        kwargs, reason = _kwargs(route, values)
        if kwargs is None:
            skipped[name] = reason
            continue
        visit.append({"name": name, "role": role, "url": reverse(name, kwargs=kwargs)})
    return visit, skipped


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def crawl(big, *, runs: int = 5, only=None) -> dict:
    """Every page ``runs`` times (plus a warm-up): p50/p95 wall and CPU milliseconds, the
    queries of each visit (their maximum), the status."""
    visit, skipped = pages(big)
    visit = [page for page in visit if not only or page["name"] in only]
    # The bench runs without DEBUG and without collectstatic: static URLs are not hashed.
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}}
    # The server's start-up step (config/wsgi.py): the collector's thresholds of production.
    previous = gc_tune()
    try:
        with override_settings(STORAGES=storages):
            return _visits(visit, skipped, big, runs)
    finally:
        gc.set_threshold(*previous)


def _visits(visit: list[dict], skipped: dict, big, runs: int) -> dict:
    clients = {}
    for role in ROLES:
        clients[role] = Client(HTTP_HOST="localhost", raise_request_exception=False)
        clients[role].force_login(big.people[role])
    results = {}
    for page in visit:
        client, walls, cpus, queries, status = clients[page["role"]], [], [], [], None
        for run in range(runs + 1):
            # Django keeps the last 9,000 queries: once full, a capture would count none.
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(page["url"])
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            status = response.status_code
            if run:
                walls.append(wall * 1000)
                cpus.append(cpu * 1000)
                queries.append(len(captured.captured_queries))
            else:  # the first visit: a cache's miss where the page keeps one (the dashboards')
                first = (round(wall * 1000, 1), len(captured.captured_queries))
        results[page["name"]] = {
            "role": page["role"], "url": page["url"], "status": status,
            "first_ms": first[0], "first_queries": first[1],
            "p50_ms": round(statistics.median(walls), 1),
            "p95_ms": round(_percentile(walls, 0.95), 1),
            "cpu_p50_ms": round(statistics.median(cpus), 1), "queries": max(queries),
        }  # fmt: skip
    return {"runs": runs, "pages": results, "skipped": skipped}


def compare(small: dict, large: dict) -> dict:
    """Side by side; flagged: p95 at 10× at or over the target, queries that differ, an
    error status (4xx: the organisation lacks what the page shows, e.g. a member not on the
    shifts)."""
    rows, flagged = {}, {}
    for name, big_row in large["pages"].items():
        small_row = small["pages"].get(name, {})
        row = {"role": big_row["role"], "status": big_row["status"],
               "small": {k: small_row.get(k) for k in ("p50_ms", "p95_ms", "queries")},
               "large": {k: big_row[k] for k in ("p50_ms", "p95_ms", "cpu_p50_ms",
                                                 "queries")}}  # fmt: skip
        rows[name] = row
        why = []
        if big_row["p95_ms"] >= TARGET_P95_MS:
            why.append(f"p95 {big_row['p95_ms']} ms")
        if small_row.get("queries") != big_row["queries"]:
            why.append(f"queries {small_row.get('queries')} → {big_row['queries']}")
        if big_row["status"] >= 400 or (small_row.get("status") or 500) >= 400:
            why.append(f"status {small_row.get('status')}/{big_row['status']}")
        if why:
            flagged[name] = "; ".join(why)
    worst = max((r["large"]["p95_ms"] for r in rows.values()), default=None)
    return {"pages": rows, "flagged": flagged, "max_p95_ms": worst,
            "queries_equal": not any("queries" in w for w in flagged.values()),
            "skipped": large["skipped"], "runs": large["runs"]}  # fmt: skip


def table_lines(result: dict) -> list[str]:
    out = [f"Page crawl ({result['runs']} visits each after a warm-up): 1× and 10× organisations",
           f"{'page':<40}{'role':<12}{'1× p50/p95 ms q':>20}{'10× p50/p95 ms q':>22}"]  # fmt: skip
    for name, row in sorted(result["pages"].items(), key=lambda i: -i[1]["large"]["p95_ms"]):
        s, b = row["small"], row["large"]
        mark = " !" if name in result["flagged"] else ""
        small = f"{s['p50_ms']}/{s['p95_ms']} {s['queries']}"
        large = f"{b['p50_ms']}/{b['p95_ms']} {b['queries']}"
        out.append(f"{name[:39]:<40}{row['role']:<12}{small:>20}{large:>22}{mark}")
    out.append(f"skipped: {len(result['skipped'])} URL names (see results JSON for reasons)")
    return out


def crawl_run(*, past_sales: int, runs: int, seed: int, log) -> dict:
    """Builds the 1× and the 10× organisations (bench/big.py) and crawls both."""
    from . import big

    figures = {}
    for label, sizes in (("1x", {**big.ONE_TIME, "past_sales": past_sales}),
                         ("10x", {"past_sales": past_sales})):  # fmt: skip
        built = big.big_build(seed=seed, **sizes)
        log(f"crawl: {label} organisation {built.counts} generated in {built.seconds} s "
            f"({built.steps}); crawling")  # fmt: skip
        started = time.perf_counter()
        figures[label] = {"build": {"counts": built.counts, "seconds": built.seconds,
                                    "steps": built.steps},
                          **crawl(built, runs=runs)}  # fmt: skip
        figures[label]["crawl_s"] = round(time.perf_counter() - started, 1)
    result = compare(figures["1x"], figures["10x"])
    result["build"] = {label: figures[label]["build"] for label in figures}
    result["crawl_s"] = {label: figures[label]["crawl_s"] for label in figures}
    return result


def targets(result: dict | None) -> dict:
    """The crawl's targets for bench/run.py."""
    worst = (result or {}).get("max_p95_ms")
    equal = (result or {}).get("queries_equal")
    return {
        "crawl_max_p95_ms": {"target": f"< {TARGET_P95_MS} (every page, 10×)",
                             "measured": worst,
                             "met": None if worst is None else worst < TARGET_P95_MS},
        "crawl_queries_equal": {"target": "same at 1× and 10×", "measured": equal,
                                "met": equal},
    }  # fmt: skip
