"""A producer on a phone (390 × 844, in French): changes a product's price and quantity from
"Mes produits" and sees it saved, then opens last sale's summary from "Mes ventes". No page
is wider than the screen, and axe finds nothing serious."""

import json
import re
from decimal import Decimal

import pytest

from cabas.catalog.models import Product
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.sales import services as sales_services
from tests.browser.conftest import log_in

from .test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def _fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _shop_with_a_closed_sale():
    shop = open_shop()
    for n, slot in enumerate(shop.slots[:2]):
        order_services.order_place(
            user=shop.member(first_name="Client", last_name=f"Numéro {n}"), sale=shop.sale,
            pickup_id=shop.pickup.pk, slot_id=slot.pk,
            lines=[(shop.products["cheese"].pk, D(1)), (shop.products["bread"].pk, D(2))],
            notify=False,
        )  # fmt: skip
    sales_services.sale_close_now(sale=shop.sale)
    producer = shop.member(email="fromager@example.org", first_name="Marc")
    Membership.objects.filter(user=producer).update(
        is_producer=True, producer=shop.products["cheese"].producer
    )
    return shop, producer


# long: one walk through the producer's two pages, as a producer does it on a phone
def test_a_producer_edits_a_product_then_reads_last_sales_summary(page, live_server):
    shop, producer = _shop_with_a_closed_sale()
    slug = shop.organisation.slug
    cheese = shop.products["cheese"]
    log_in(page, producer.email, f"/o/{slug}/catalog/")
    # Again, without the login's message (base.html's <ul role="status"> of messages is an
    # axe "listitem" violation of its own, not this page's).
    page.goto(f"/o/{slug}/catalog/")

    # "Mes produits": each product a card; the Tomme's price and quantity per sale, saved.
    page.get_by_role("heading", name="Mes produits").wait_for()
    row = page.locator(f"#product-{cheese.pk}")
    row.get_by_label("Prix").fill("7.10")
    row.get_by_label("Quantité disponible par vente").fill("12")
    save = row.get_by_role("button", name="Enregistrer")
    save.scroll_into_view_if_needed()
    box = save.bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] >= 0
    assert box["x"] + box["width"] <= 390  # Save is on the screen, not beside it
    _fits_the_screen(page)
    save.click()
    row = page.locator(f"#product-{cheese.pk}")
    row.get_by_role("status").filter(has_text="Enregistré.").wait_for()
    assert re.fullmatch(r"7[.,]10?", row.get_by_label("Prix").input_value())
    quantity = row.get_by_label("Quantité disponible par vente").input_value()
    assert re.fullmatch(r"12([.,]0+)?", quantity)
    cheese.refresh_from_db()
    assert (cheese.price, cheese.default_quantity_per_sale) == (D("7.10"), D("12"))
    assert Product.objects.get(pk=shop.products["bread"].pk).price == D("4.20")  # untouched
    assert _violations(page) == [], json.dumps(_violations(page), indent=1)

    # "Mes ventes": the closed sale is among the past ones, its summary one tap away.
    page.goto(f"/o/{slug}/producer/sales/")
    past = page.locator(".past-sales li", has_text=shop.sale.title)
    past.get_by_text("fermée").wait_for()
    _fits_the_screen(page)
    assert _violations(page) == [], json.dumps(_violations(page), indent=1)
    past.get_by_role("link", name=re.compile("Mon récapitulatif")).click()

    page.wait_for_url(re.compile(rf"/sales/{shop.sale.pk}/summary/$"))
    heading = re.compile(r"^Récapitulatif de .* — Ferme du Cérou")
    page.get_by_role("heading", name=heading).wait_for()
    text = page.locator("main").inner_text()
    assert "Commandes closes le " in text and "Totaux par produit" in text
    assert "Tomme" in text and "Pain de campagne" in text and "Total à 5,5 % de TVA" in text
    assert "Client Numéro 0" in text and "Client Numéro 1" in text
    _fits_the_screen(page)
    assert _violations(page) == [], json.dumps(_violations(page), indent=1)
