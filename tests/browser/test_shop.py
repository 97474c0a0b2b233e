"""A member shops on a phone (390 × 844, French): finds the goat cheese by typing "chevre",
jumps between categories, fills the basket from the shop while the basket bar follows, then
changes and removes lines on the basket page, whose amounts and total follow each change."""

import json
import re
from decimal import Decimal

import pytest

from cabas.catalog.tests.factories import ProductFactory
from cabas.orders.models import BasketLine
from cabas.orders.tests.factories import open_shop
from cabas.sales import services as sales_services
from tests.browser.conftest import log_in

from .test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def _shop_with_cheese_and_beer():
    shop = open_shop(extra_products=30)  # a long page: the categories are far apart
    common = {"organisation": shop.organisation, "producer": shop.products["bread"].producer}
    shop.products["goat"] = ProductFactory(
        **common, name="Crottin de chèvre", category="dairy-cheese", price=Decimal("3.20")
    )
    shop.products["beer"] = ProductFactory(
        **common, name="Bière blonde", category="drinks-beer", unit_label="bouteille",
        price=Decimal("3.50"),
    )  # fmt: skip
    sales_services.sale_items_sync(sale=shop.sale)
    return shop


def _log_in(page, shop, url):
    member = shop.member(email="lea@example.org", first_name="Léa")
    log_in(page, member.email, url)
    return member


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width} px wide"


def _tap_target(locator):
    box = locator.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, box


def _add(page, shop, name, quantity, bar_text):
    form = page.locator(f"#qty-{shop.products[name].pk}")
    form.locator("input[name=quantity]").fill(quantity)
    _tap_target(form.locator("button"))
    form.locator("button").click()
    page.locator("#basket-summary").get_by_text(bar_text).wait_for()


def _in_view(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844


def test_a_member_searches_browses_fills_and_adjusts_the_basket_on_a_phone(page):
    shop = _shop_with_cheese_and_beer()
    shop_url = f"/o/{shop.organisation.slug}/shop/{shop.sale.pk}/"
    member = _log_in(page, shop, shop_url)
    page.goto(shop_url)  # without the "logged in" message (its list is base.html's concern)
    assert _violations(page) == [], json.dumps(_violations(page), indent=1)
    _fits_the_phone(page)
    bullets = (
        "[...document.querySelectorAll('main ul')].map(e => getComputedStyle(e).listStyleType)"
    )
    assert set(page.evaluate(bullets)) == {"none"}  # cards and chips, not a bulleted list

    # Search without the accent: the goat cheese, and only what matches.
    page.get_by_role("searchbox", name="Rechercher un produit").fill("chevre")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.wait_for_url(re.compile(r"\?.*q=chevre"))
    main = page.locator("main")
    assert main.get_by_role("link", name="Crottin de chèvre").is_visible()
    assert main.get_by_text("Pain de campagne").count() == 0

    # Back to everything; the category bar jumps to the drinks, and stays on screen.
    page.goto(shop_url)
    categories = page.get_by_role("navigation", name="Catégories")
    categories.get_by_role("link", name="Boissons").click()
    page.wait_for_url(re.compile(r"#cat-drinks$"))
    assert _in_view(page.get_by_role("heading", name="Boissons", exact=True))
    assert _in_view(categories)
    assert _in_view(page.locator("#basket-summary"))  # the basket bar, at the bottom

    # A bottle, a product by the kilo, a piece: the bar counts them and adds up.
    _add(page, shop, "beer", "2", "7,00 €")
    assert page.locator("#basket-summary").get_by_text("Panier : 1 produit").is_visible()
    categories.get_by_role("link", name="Légumes").click()
    _add(page, shop, "tomatoes", "1.5", "13,00 €")
    categories.get_by_role("link", name="Pain et boulangerie").click()
    _add(page, shop, "bread", "1", "17,20 €")
    bar = page.locator("#basket-summary")
    assert bar.get_by_text("Panier : 3 produits").is_visible() and _in_view(bar)
    checkout = bar.get_by_role("link", name="Commander")
    _tap_target(checkout)
    _fits_the_phone(page)

    # The basket page: each change moves the line's amount and the total; 0 removes the line.
    bar.get_by_role("link", name=re.compile("Panier")).click()
    page.wait_for_url(re.compile(r"/basket/$"))
    _fits_the_phone(page)
    assert _violations(page) == [], json.dumps(_violations(page), indent=1)
    bread_line = page.locator(f"#line-{shop.products['bread'].pk}")
    bread_line.locator("input[name=quantity]").fill("3")
    bread_line.get_by_role("button", name="Modifier").click()
    bread_line.get_by_text("12,60 €").wait_for()
    page.locator("tfoot").get_by_text("25,60 €").wait_for()
    beer_line = page.locator(f"#line-{shop.products['beer'].pk}")
    beer_line.locator("input[name=quantity]").fill("0")
    beer_line.get_by_role("button", name="Modifier").click()
    page.locator("tfoot").get_by_text("18,60 €").wait_for()
    assert beer_line.count() == 0
    assert page.locator("#basket-summary").get_by_text("Panier : 2 produits").is_visible()
    _fits_the_phone(page)

    lines = BasketLine.objects.filter(basket__user=member).order_by("sale_item__product__name")
    assert [(line.sale_item.product.name, line.quantity) for line in lines] == [
        ("Pain de campagne", Decimal("3")),
        ("Tomates", Decimal("1.5")),
    ]
