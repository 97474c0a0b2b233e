"""An inventory on a phone (390 px, French): a coordinator starts one for the grocery shelf,
a volunteer counts it, product by product, and the coordinator validates the differences.
The pages fit the screen, their buttons are big enough, axe finds nothing serious."""

import json
from decimal import Decimal

import pytest

from cabas.catalog import services
from cabas.catalog.models import InventorySession, Product, StockMovement
from cabas.catalog.tests.factories import ProductFactory

from .test_accessibility import _violations
from .test_phone_pages import _SMALL_TARGETS, _WIDE, PHONE_WIDTH, _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def _shelf(world):
    world.org_a.kind = "cooperative"
    world.org_a.save(update_fields=["kind"])
    common = {"organisation": world.org_a, "producer": world.producer, "stock_mode": "shop"}
    products = {
        "rice": ProductFactory(**common, name="Riz complet", category="grocery-flour",
                               stock_quantity=D("10"), price=D("4.22")),
        "lentils": ProductFactory(**common, name="Lentilles vertes", category="grocery-flour",
                                  stock_quantity=D("6")),
        "honey": ProductFactory(**common, name="Miel de châtaignier", category="grocery-preserves",
                                stock_quantity=D("4")),
        "tomme": ProductFactory(**common, name="Tomme", category="dairy-cheese",
                                stock_quantity=D("3")),
    }  # fmt: skip
    services.stock_openings_record(products=list(products.values()))
    return products


def _check_phone(page, found: dict) -> None:
    # Measured once the page's stylesheets have loaded (the 44 px come from them): right
    # after a click that navigates, the elements can exist before their CSS applies.
    page.wait_for_load_state("load")
    problems = {}
    if page.evaluate("document.documentElement.scrollWidth") > PHONE_WIDTH:
        problems["width"] = page.evaluate(_WIDE)
    if small := page.evaluate(_SMALL_TARGETS):
        problems["small targets"] = small
    if violations := _violations(page):
        problems["axe"] = violations
    if problems:
        found[page.url] = problems


def _count(page, product, quantity: str) -> None:
    card = page.locator(f"#product-{product.pk}")
    card.get_by_label("Quantité comptée").fill(quantity)
    card.get_by_role("button", name="Enregistrer").click()
    page.locator(f"#product-{product.pk}").get_by_text(f"Compté : {quantity}").wait_for()


# long: one walk through an inventory, as the coordinator and a volunteer do it on phones
def test_a_volunteer_counts_the_grocery_shelf_and_a_coordinator_validates(page, world):
    products = _shelf(world)
    slug = world.org_a.slug
    found: dict = {}

    # The coordinator starts the grocery shelf's inventory, counted blind.
    _log_in(page, world.users["coordinator"].email)
    page.goto(f"/o/{slug}/inventories/")
    _check_phone(page, found)
    page.get_by_role("link", name="Lancer un inventaire").click()
    page.get_by_label("Nom").fill("Rayon épicerie")
    page.get_by_label("Ce qui est compté").select_option("grocery")
    _check_phone(page, found)
    page.get_by_role("button", name="Lancer").click()
    page.get_by_text("0 / 3 comptés").wait_for()
    session = InventorySession.objects.get()

    # A volunteer finds it in the menu and counts the three products of the shelf.
    _log_in(page, world.users["volunteer"].email)
    page.goto(f"/o/{slug}/")
    assert page.locator(f'a[href="/o/{slug}/inventories/"]').count() >= 1
    page.goto(f"/o/{slug}/inventories/")
    page.get_by_role("link", name="Rayon épicerie").click()
    page.get_by_role("heading", name="Riz complet").wait_for()
    assert page.get_by_text("Tomme").count() == 0
    assert page.get_by_text("attendu").count() == 0
    _check_phone(page, found)
    _count(page, products["rice"], "8")
    _count(page, products["lentils"], "6")
    page.get_by_label("Chercher un produit").fill("miel")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("heading", name="Miel de châtaignier").wait_for()
    assert page.get_by_role("heading", name="Riz complet").count() == 0
    _count(page, products["honey"], "5")
    page.goto(f"/o/{slug}/inventories/{session.pk}/")
    page.get_by_text("3 / 3 comptés").wait_for()

    # The coordinator reads the differences and validates.
    _log_in(page, world.users["coordinator"].email)
    page.goto(f"/o/{slug}/inventories/{session.pk}/differences/")
    _check_phone(page, found)
    # a minus sign, not a hyphen
    assert page.locator("#inventory-total").inner_text().startswith("\u2212")
    page.get_by_role("button", name="Valider l’inventaire").click()
    page.get_by_text("L’inventaire est validé").wait_for()
    assert page.get_by_role("button", name="Valider l’inventaire").count() == 0

    stocks = {name: Product.objects.get(pk=p.pk).stock_quantity for name, p in products.items()}
    assert stocks == {"rice": D("8"), "lentils": D("6"), "honey": D("5"), "tomme": D("3")}
    assert sorted(
        StockMovement.objects.filter(reason="inventory").values_list("delta", flat=True)
    ) == [D("-2"), D("1")]
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
