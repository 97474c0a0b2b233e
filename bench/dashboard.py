"""The dashboards over years of sales (bench/history.py): each variant is the whole page —
the view through Django's test client, with a logged-in coordinator (or producer): the
filters' form, every selector, the template — timed over a few runs, p50/p95/max in
milliseconds, with the number of queries and the database's own share of a run.

Variants: the coordinators' dashboard for the default period (26 weeks), for the whole
history, with a pickup point and with a producer chosen, and the producer's dashboard. The
target is under 500 ms each (issue 19), on PostgreSQL.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from .history import History

TARGET_MS = 500
RUNS = 7
PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _timed(client: Client, url: str, params: dict, runs: int) -> dict:
    """The first run (cold caches) apart; p50/p95/max of the others."""
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url, params)
        first_ms = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} {params}: HTTP {response.status_code}")
    queries = captured.captured_queries
    database_ms = sum(float(query["time"]) for query in queries) * 1000
    reset_queries()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
    slowest = max(queries, key=lambda query: float(query["time"]), default=None)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(_percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
        "first_ms": round(first_ms, 1),
        "runs": runs,
        "queries": len(queries),
        "database_ms": round(database_ms, 1),
        "slowest_query_ms": round(float(slowest["time"]) * 1000, 1) if slowest else None,
        "bytes": len(response.content),
        "within_target": max(times) < TARGET_MS,
    }


def dashboards_time(history: History, runs: int = RUNS, host: str = "localhost") -> dict:
    """Every variant of the dashboards over the history (see the module); ``host`` is one of
    ``ALLOWED_HOSTS`` (the bench's server settings allow localhost)."""
    slug = history.organisation.slug
    today = timezone.localdate()
    whole = {"start": (today - timedelta(weeks=history.sales + 1)).isoformat(),
             "end": today.isoformat()}  # fmt: skip
    coordinator = Client(HTTP_HOST=host)
    coordinator.force_login(history.coordinator)
    producer = Client(HTTP_HOST=host)
    producer.force_login(history.producer_person)
    board = reverse("insights:dashboard", kwargs={"slug": slug})
    own = reverse("insights:producer_dashboard", kwargs={"slug": slug})
    variants = {
        "default_26_weeks": (coordinator, board, {}),
        "whole_history": (coordinator, board, whole),
        "point_filter": (coordinator, board, {"point": history.point_ids[0]}),
        "producer_filter": (coordinator, board, {"producer": history.producer_ids[0]}),
        "producer_dashboard": (producer, own, {}),
        "producer_dashboard_whole": (producer, own, whole),
    }
    # The static files' plain names: a bench needs no collectstatic (the page is the same).
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}}
    with override_settings(STORAGES=storages):
        figures = {
            name: _timed(client, url, params, runs)
            for name, (client, url, params) in variants.items()
        }
    return {
        "sales": history.sales,
        "orders": history.orders,
        "lines": history.lines,
        "members": history.members,
        "pickup_points": len(history.point_ids),
        "producers": len(history.producer_ids),
        "generated_s": history.seconds,
        "generation_steps_s": history.steps,
        "target_ms": TARGET_MS,
        "variants": figures,
        "all_within_target": all(v["within_target"] for v in figures.values()),
    }


def table_lines(figures: dict) -> list[str]:
    """The dashboards' part of the bench's printed table."""
    lines = [
        f"Dashboards: {figures['sales']} weekly sales, {figures['orders']} orders, "
        f"{figures['lines']} lines, {figures['members']} members, {figures['pickup_points']} "
        f"points, {figures['producers']} producers (generated in {figures['generated_s']} s)",
        f"{'variant':<26}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}{'db ms':>9}"
        f"  (target < {figures['target_ms']} ms)",
    ]
    for name, row in figures["variants"].items():
        lines.append(
            f"{name:<26}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['max_ms']:>9}"
            f"{row['queries']:>9}{row['database_ms']:>9}"
            f"  {'ok' if row['within_target'] else 'SLOW'}"
        )
    return lines
