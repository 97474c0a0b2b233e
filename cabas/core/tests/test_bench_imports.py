"""`make bench` is not part of the suite (timings live there, not here), so a module it reads
that moves must still fail a test: each bench module imports, and the application functions the
bench calls from inside its functions exist."""

import importlib

import pytest

from cabas.catalog import imports
from cabas.orders import pricing, summaries
from cabas.sales import services as sales_services


@pytest.mark.parametrize(
    "name",
    [
        "big",
        "crawl",
        "floor",
        "html_load",
        "html_rush",
        "invariants",
        "load",
        "peer_oscar",
        "reimport",
        "run",
        "scaling",
        "scenario",
        "pages_cpu",
    ],  # fmt: skip
)
def test_each_bench_module_imports(name):
    importlib.import_module(f"bench.{name}")


def test_the_functions_the_bench_calls_exist():
    assert callable(pricing.unit_price)
    for name in ("producer_totals", "producer_pickup_totals", "customer_lines"):
        assert callable(getattr(summaries, name))
    assert callable(sales_services.sale_close_now)
    for name in ("start", "check", "confirm", "apply"):
        assert callable(getattr(imports, f"product_import_{name}"))


def test_the_crawl_fills_a_routes_arguments_or_says_what_is_missing():
    from bench import crawl

    values = {("o", "slug"): "c", ("pickups", "pickup_id"): 7, ("*", "file_format"): "csv"}
    route = "o/<slug:slug>/pickups/<id:pickup_id>/sheet.<str:file_format>"
    assert crawl._kwargs(route, values) == ({"slug": "c", "pickup_id": 7, "file_format": "csv"}, "")
    kwargs, reason = crawl._kwargs("o/<slug:slug>/messages/<id:pk>/", values)
    assert kwargs is None and "messages/<pk>" in reason
