"""The member's e-mails that list an order's lines (confirmation, change, cancellation; the
pickup reminder) star an amount only while it is an estimate, as the order page does: a
variable-weight line not weighed yet, on an order whose total is not final. The footnote
saying why comes only with a star, in the text and the HTML parts; a weighed line is the
amount paid. Rendering reads the lines already loaded: as many queries for 3 or 7 lines."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cabas.catalog.tests.factories import ProductFactory
from cabas.messaging.reminders.emails import reminder_email
from cabas.messaging.reminders.texts import Kind
from cabas.orders import services
from cabas.orders.fulfilment import order_line_weigh
from cabas.orders.models import Order
from cabas.orders.notifications import order_email_message
from cabas.orders.tests.factories import open_shop
from cabas.sales import services as sales_services

pytestmark = pytest.mark.django_db

FOOTNOTE = "Les produits à poids variable sont estimés ; le prix final est fixé à la pesée."


def _order_email(order):
    return order_email_message(order_id=order.pk, event="changed")


def _reminder(order):
    return reminder_email(kind=Kind.PICKUP, order_id=order.pk)


RENDERERS = [pytest.param(_order_email, id="order"), pytest.param(_reminder, id="reminder")]


def _place(*, extra_products: int = 0, names=("bread", "chicken", "duck")):
    """An order of bread (fixed price), chicken and duck (both variable weight)."""
    shop = open_shop(extra_products=extra_products)
    shop.products["duck"] = ProductFactory(
        organisation=shop.organisation, producer=shop.products["chicken"].producer,
        name="Canard", price=Decimal("20.00"), variable_weight=True,
        price_per_kg=Decimal("12.50"), estimated_weight_kg=Decimal("1.600"),
    )  # fmt: skip
    sales_services.sale_items_sync(sale=shop.sale)
    member = shop.member(language="fr")
    order = services.order_place(
        user=member, sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
        lines=[(shop.products[name].pk, Decimal(1)) for name in names], notify=False,
    )  # fmt: skip
    return shop, member, order


def _weigh(order, product_name: str, by) -> None:
    line = order.lines.get(product_name=product_name)
    order_line_weigh(line=line, weighed_kg=Decimal("1.1"), by=by)


def _text_stars(body: str) -> dict[str, bool]:
    """Each line's product (and the total) → whether its amount is starred, in the text."""
    stars = {}
    for row in body.splitlines():
        if row.startswith("- "):
            stars[row[2:].split(" · ")[0].split(" : ")[0]] = row.endswith(" *")
        elif row.startswith("Total : "):
            stars["Total"] = row.endswith(" *")
    return stars


def _html_stars(html: str) -> dict[str, bool]:
    """Each row's first cell → whether its amount (the right-aligned cell) is starred."""
    row = r"<tr><t[dh][^>]*>([^<]*)</t[dh]>.*?<td align=\"right\">(.*?)</td></tr>"
    cells = re.findall(row, html)
    return {name: amount.endswith(" *") for name, amount in cells}


@pytest.mark.parametrize("render", RENDERERS)
def test_only_the_lines_not_weighed_yet_are_starred_with_the_footnote(render):
    shop, member, order = _place()
    _weigh(order, "Poulet", member)

    message = render(order)
    html = message.alternatives[0][0]

    expected = {"Canard": True, "Pain de campagne": False, "Poulet": False, "Total": True}
    assert _text_stars(message.body) == expected
    assert _html_stars(html) == expected
    assert f"* {FOOTNOTE}" in message.body and f"* {FOOTNOTE}" in html


@pytest.mark.parametrize("render", RENDERERS)
def test_once_every_weight_is_known_nothing_is_starred_nor_explained(render):
    shop, member, order = _place()
    _weigh(order, "Poulet", member)
    _weigh(order, "Canard", member)

    message = render(order)
    html = message.alternatives[0][0]

    expected = {"Canard": False, "Pain de campagne": False, "Poulet": False, "Total": False}
    assert _text_stars(message.body) == expected
    assert _html_stars(html) == expected
    assert FOOTNOTE not in message.body and FOOTNOTE not in html
    assert "*" not in html.split("<table", 1)[1]


@pytest.mark.parametrize("render", RENDERERS)
def test_a_final_total_has_no_star_even_with_a_line_not_weighed(render):
    _shop, _member, order = _place()
    Order.objects.filter(pk=order.pk).update(finalised_at=order.created_at)

    message = render(order)

    assert not any(_text_stars(message.body).values())
    assert not any(_html_stars(message.alternatives[0][0]).values())
    assert FOOTNOTE not in message.body and FOOTNOTE not in message.alternatives[0][0]


@pytest.mark.parametrize("render", RENDERERS)
def test_an_order_without_variable_weight_has_no_footnote(render):
    _shop, _member, order = _place(names=("bread", "cheese"))

    message = render(order)

    assert FOOTNOTE not in message.body and FOOTNOTE not in message.alternatives[0][0]


@pytest.mark.parametrize("render", RENDERERS)
def test_rendering_takes_as_many_queries_for_3_or_7_lines(render):
    def queries(extra: int) -> int:
        names = ("bread", "chicken", "duck", *(f"extra{n}" for n in range(extra)))
        _shop, _member, order = _place(extra_products=extra, names=names)
        with CaptureQueriesContext(connection) as captured:
            render(order)
        return len(captured)

    assert queries(0) == queries(4)


@pytest.mark.parametrize("render", RENDERERS)
def test_a_product_name_is_escaped_in_the_html_part(render):
    shop, _member, order = _place(names=("bread",))
    order.lines.update(product_name='<img src=x onerror="alert(1)">')

    html = render(order).alternatives[0][0]

    assert "<img" not in html and "&lt;img src=x" in html
