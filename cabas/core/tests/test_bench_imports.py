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
    ],
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
