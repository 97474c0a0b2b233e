"""The request cycle's ceiling (bench/ceiling.py): its empty requests really go through the
site's middleware as a logged-in member and a token holder (the views answer who they saw),
and the budgets are the arithmetic the performance guide states."""

from __future__ import annotations

import json

import pytest
from django.core import signals
from django.db import close_old_connections
from django.test import override_settings

from bench import ceiling

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection_kept():
    """The ceiling calls Django's WSGI handler as a server does: at each request's start and
    end, a connection not in autocommit (the test's transaction) is closed. As Django's test
    client does, keep it open for the test."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@override_settings(ROOT_URLCONF="bench.ceiling_urls")
def test_the_empty_requests_see_the_member_and_the_token(connection_kept):
    figures = ceiling.measure(runs=3, warmup=1)  # asserts each answer (member, anonymous, JSON)

    assert set(figures) == set(ceiling.KINDS)
    for kind in ceiling.KINDS:
        assert figures[kind]["process_ms_mean"] > 0
        assert figures[kind]["total_ms_mean"] >= figures[kind]["process_ms_mean"]


def test_budgets_from_a_runs_rates():
    figures = {
        "page_member": {"process_ms_mean": 1.4, "total_ms_mean": 2.0},
        "api_token": {"process_ms_mean": 1.0, "total_ms_mean": 1.2},
    }
    results = {
        "machine": {"cores": 2},
        "html": {
            "phases": [{
                "shoppers": 8, "placed_orders": 100, "requests": 600,
                "cpu": {"machine_busy": 1.0}, "generator_cpu_ms_per_request": 1.0,
                "server_cpu_ms_per_order": 80.0,
            }],
            "peer": {"phases": [{"shoppers": 8, "orders_per_s": 4.0}]},
        },
        "http": {
            "placed_orders": 100, "requests": 400,
            "cpu": {"machine_busy": 1.0,
                    "cpu_s": {"postgres": 1.0, "load_generator": 0.5, "app_server": 2.0}},
        },
        "floor": {"orders_per_s": 200.0},
    }  # fmt: skip

    budgets = ceiling.budgets(figures, results)

    html = budgets["html_8"]
    assert html["needed_orders_per_s"] == 80.0  # 20 × the peer's 4 orders/s
    assert html["cpu_ms_per_order_allowed"] == 25.0  # 2 cores × 1,000 ms ÷ 80
    assert html["load_generator_ms_per_order"] == 6.0  # 6 requests × 1 ms
    assert html["empty_requests_ms_per_order"] == 12.0  # 6 requests × 2 ms
    assert html["left_for_the_pages_ms"] == 7.0
    shop = budgets["shop_p95_8"]  # the phase with the most shoppers
    assert shop["needed_requests_per_s"] == 40.0  # 8 shoppers ÷ 0.2 s
    assert shop["cpu_ms_per_request_allowed"] == 50.0
    assert shop["left_for_the_pages_ms"] == 50.0 - 1.0 - 2.0
    assert shop["measured_server_ms_per_request"] == pytest.approx(80.0 / 6, abs=0.01)
    api = budgets["api"]
    assert api["needed_orders_per_s"] == 100.0  # half the floor
    assert api["cpu_ms_per_order_allowed"] == 20.0
    # PostgreSQL 10 ms and the generator 5 ms per order, measured in the run; 4 calls × 1 ms.
    assert api["left_for_the_calls_ms"] == 20.0 - 10.0 - 5.0 - 4.0
    assert api["measured_app_server_ms_per_order"] == 20.0


def test_a_run_without_the_peer_takes_its_rates_from_a_run_with_it():
    figures = {"page_member": {"process_ms_mean": 1.0, "total_ms_mean": 1.0}}
    phase = {"shoppers": 64, "placed_orders": 10, "requests": 60, "cpu": {"machine_busy": 1.0},
             "server_cpu_ms_per_order": 90.0}  # fmt: skip
    # As a run without the peer writes it (html_rush: "not run").
    run = {"machine": {"cores": 2}, "html": {"phases": [phase], "peer": "not run"}}
    with_peer = {"html": {"peer": {"phases": [{"shoppers": 64, "orders_per_s": 5.0}]}}}

    assert "html_64" not in ceiling.budgets(figures, run)
    assert ceiling.budgets(figures, run, with_peer)["html_64"]["needed_orders_per_s"] == 100.0


def test_only_a_run_beside_the_peer_is_kept_as_the_run_with_it(tmp_path):
    """``make bench`` without the peer writes its results and leaves the last run with the
    peer in place (its ``html.peer`` is the text "not run"); a run with the peer replaces it."""
    from bench.run import write_results

    write_results({"html": {"phases": [], "peer": "not run"}}, tmp_path, "alone")
    assert (tmp_path / "latest.json").exists() and not (tmp_path / "with-peer.json").exists()
    beside = {"html": {"phases": [], "peer": {"phases": [{"shoppers": 8}]}}}
    write_results(beside, tmp_path, "beside")
    write_results({"run": {}}, tmp_path, "no-html")
    assert json.loads((tmp_path / "with-peer.json").read_text()) == beside
    assert json.loads((tmp_path / "latest.json").read_text()) == {"run": {}}
