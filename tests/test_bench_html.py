"""The HTML rush's generator (bench/html_load.py) against the real pages, served by a live
server: what it reads of the shop, basket, checkout and login pages (form field names and
URLs) must stay in sync with the templates, or the bench would measure refusals. One shopper
for a moment, the orders checked against the database as the bench does, and a real login."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from bench import html_load, html_rush, invariants
from bench import scenario as bench_scenario
from cabas.orders.models import Order

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene():
    return bench_scenario.seed(members=6, seed=3)


def _run(config: dict) -> dict:
    """The generator's own event loop, in a thread of its own: a browser test earlier in the
    same process may leave Playwright's loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(html_load.run(config))).result()


def test_a_shopper_orders_through_the_pages_as_the_browser_does(scene, live_server):
    prepared = html_rush.prepare(scene, shoppers=[1], seconds=1, logins=1)
    members = [m for group in prepared["members"] for m in group][:3]
    config = {**prepared["config"], "base_url": live_server.url, "seed": 1,
              "members": members, "shoppers": 1, "seconds": 30}  # fmt: skip
    results = _run(config)

    steps = {step for step, _status, _ms, _at in results.requests}
    assert {"shop", "basket_add", "checkout", "confirm", "order_page"} <= steps
    assert results.members_exhausted  # the three members ordered within the 30 s
    assert len(results.orders) == 3, results.refusals
    assert not results.refusals
    assert all(status in (200, 302) for _step, status, _ms, _at in results.requests)
    assert Order.objects.filter(sale=prepared["sale"]).count() == 3
    load = {"orders": results.orders, "rejected_keys": results.rejected_keys,
            "succeeded_keys": results.succeeded_keys}  # fmt: skip
    checked = invariants.check(
        sale=prepared["sale"], starting_shop_stock=bench_scenario.SHOP_STOCK, load=load
    )
    assert checked["violations"] == 0, checked["samples"]
    assert checked["checked_client_orders"] == 3

    # A real login through the login form (the bench times a sample of them).
    accounts = html_rush.login_accounts([scene.members[-1].user_id])
    config = {**config, "mode": "logins", "accounts": accounts, "concurrency": 1}
    results = _run(config)
    assert [(step, status) for step, status, _ms, _at in results.requests] == [
        ("login_page", 200),
        ("login", 302),
    ]


def test_the_page_reader_takes_field_names_and_urls_not_layout():
    page = """<form class="x" method="post" action="/o/b/shop/3/basket/set/"
      hx-post="/o/b/shop/3/basket/set/">
      <input type="hidden" name="csrfmiddlewaretoken" value="tok&amp;1">
      <input name="product" type="hidden" value="17"><input value="0.5" name="quantity" size=4>
      </form><a href="/o/b/shop/3/checkout/">Checkout</a>
      <form method="post"><input type="hidden" name="token" value="u-1">
      <input type="radio" name="place" value="4-9" disabled>
      <input type="radio" name="place" value="4-10">
      </form>"""
    (form,) = html_load.basket_forms(page)
    assert form.fields() == {"csrfmiddlewaretoken": "tok&1", "product": "17", "quantity": "0.5"}
    assert "hx-post" in form.attrs
    assert html_load.checkout_url(page, "/o/b/shop/3/") == "/o/b/shop/3/checkout/"
    assert html_load.checkout_form(page).radios("place") == ["4-10"]
    assert html_load.order_code("/o/b/orders/0b6e4c52-8f0e-4d51-9a43-07a8e21b2f90/") == (
        "0b6e4c52-8f0e-4d51-9a43-07a8e21b2f90"
    )


def test_the_invariants_read_quantities_as_the_basket_form_sends_them():
    """The basket's boxes show « 0,5 » (a French decimal comma): the HTML rush's client sends
    them so, and the invariants compare them with the database's 0.500."""
    assert invariants._quantity("0,5") == invariants._quantity(Decimal("0.500")) == Decimal("0.5")
    assert invariants._quantity("2") == Decimal("2")
