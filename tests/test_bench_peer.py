"""The peer beside the HTML rush (bench/peer_oscar.py): the bench's options, and how the
phases of both sides become the ratio the ``html_orders_per_s`` target reads. No peer server
here (it lives in a virtual environment of its own); the figures are given."""

from __future__ import annotations

from bench import html_rush, peer_oscar, run


def _phase(shoppers, orders_per_s, app_cpu):
    """A phase's figures as both sides give them."""
    return {"shoppers": shoppers, "orders_per_s": orders_per_s, "app_cpu_ms_per_order": app_cpu}


def test_without_the_peer_options_the_bench_runs_no_phase():
    args = run.parse_args(["--quick"])

    assert args.peer_url == ""
    assert args.peer_pid is None
    assert args.peer_database == ""


def test_the_peer_options_are_read():
    args = run.parse_args(
        ["--peer-url", "http://127.0.0.1:8001", "--peer-pid", "4242", "--peer-database", "oscar"]
    )

    assert (args.peer_url, args.peer_pid, args.peer_database) == (
        "http://127.0.0.1:8001",
        4242,
        "oscar",
    )


def test_each_shopper_count_is_compared_with_the_peer_phase_of_the_same_count():
    rows = peer_oscar.compare(
        [_phase(8, 30.0, 80.0), _phase(64, 44.0, 55.0)],
        [_phase(64, 2.0, 700.0), _phase(8, 1.5, 800.0)],
    )

    assert [row["shoppers"] for row in rows] == [8, 64]
    assert rows[0]["orders_per_s_ratio"] == 20.0
    assert rows[0]["app_cpu_per_order_ratio"] == 0.1
    assert rows[1]["orders_per_s_ratio"] == 22.0
    assert rows[1]["peer_app_cpu_ms_per_order"] == 700.0
    assert rows[1]["peer_error"] == ""


def test_a_failed_peer_phase_gives_no_ratio_and_leaves_the_target_unmeasured():
    rows = peer_oscar.compare(
        [_phase(8, 30.0, 60.0), _phase(64, 44.0, 55.0)],
        [_phase(8, 1.0, None), {"shoppers": 64, "seconds": 8, "error": "connection refused"}],
    )
    results = {"html": {"phases": [], "peer": {"url": "http://peer", "compared": rows}}}

    assert rows[0]["app_cpu_per_order_ratio"] is None  # its server's CPU was not measured
    assert rows[1]["orders_per_s_ratio"] is None
    assert rows[1]["peer_error"] == "connection refused"
    assert html_rush.target(results)["met"] is None


def test_with_the_peer_the_html_target_is_the_worst_ratio_to_it():
    rows = peer_oscar.compare(
        [_phase(8, 30.0, 60.0), _phase(64, 38.0, 55.0)],
        [_phase(8, 1.5, 800.0), _phase(64, 2.0, 700.0)],
    )
    results = {"html": {"phases": [], "peer": {"url": "http://peer", "compared": rows}}}

    checked = html_rush.target(results)

    assert checked["measured"] == 19.0
    assert checked["met"] is False
    assert "20× peer" in checked["target"]
    assert checked["peer"] == "http://peer"


def test_without_the_peer_the_html_target_is_the_absolute_rate():
    results = {"html": {"phases": [{"orders_per_s": 25.0}, {"orders_per_s": 21.0}],
                        "peer": "not run"}}  # fmt: skip

    checked = html_rush.target(results)

    assert (checked["measured"], checked["met"], checked["peer"]) == (21.0, True, "not run")
