"""A delivery and a shelf on a phone (390 px, French): a member of the supply team receives
a delivery against a sent purchase order (everything as ordered in one tap, one line
corrected, validated after a confirmation) and sees the stock updated, then counts a shelf
in an inventory and validates it. The pages fit the screen, their buttons are big enough,
axe finds nothing serious."""

import json
from decimal import Decimal

import pytest

from cabas.catalog import services
from cabas.catalog.models import Product, StockMovement
from cabas.supply.models import PurchaseOrder
from cabas.supply.tests.factories import (
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    ShopProductFactory,
    SupplierFactory,
)

from .test_inventory import _check_phone
from .test_phone_pages import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def _delivery(world):
    world.org_a.kind = "cooperative"
    world.org_a.save(update_fields=["kind"])
    common = {"organisation": world.org_a, "producer": world.producer}
    flour = ShopProductFactory(**common, name="Farine T65", stock_quantity=D("3"))
    rice = ShopProductFactory(**common, name="Riz complet", stock_quantity=D("2"))
    services.stock_openings_record(products=[flour, rice])
    supplier = SupplierFactory(organisation=world.org_a, name="Biocoop Grossiste")
    order = PurchaseOrderFactory(supplier=supplier, number=7, status="sent")
    PurchaseOrderLineFactory(purchase_order=order, product=flour, quantity=D("12"))
    PurchaseOrderLineFactory(purchase_order=order, product=rice, quantity=D("6"))
    return order, {"flour": flour, "rice": rice}


def _stock(name: str) -> Decimal:
    return Product.objects.get(name=name).stock_quantity


# long: one walk through a delivery and a shelf count, as the supply team does it on a phone
def test_the_supply_team_receives_a_delivery_and_counts_a_shelf(page, world):
    order, products = _delivery(world)
    slug = world.org_a.slug
    found: dict = {}

    # The menu leads to the receptions; the sent order waits there.
    _log_in(page, world.users["supply"].email)
    page.goto(f"/o/{slug}/")
    assert page.locator(f'a[href="/o/{slug}/supply/receptions/"]').count() >= 1
    page.goto(f"/o/{slug}/supply/receptions/")
    page.get_by_role("heading", name="Réceptions", exact=True).wait_for()
    page.get_by_text("BC-0007 · Biocoop Grossiste").wait_for()
    _check_phone(page, found)
    page.get_by_role("button", name="Réceptionner BC-0007").click()
    page.get_by_text("0 / 2 comptés").wait_for()
    _check_phone(page, found)

    # Everything as ordered, in one tap; then the flour is corrected: 10 good, 1 damaged.
    page.get_by_role("button", name="Tout est conforme").click()
    page.get_by_text("2 lignes reçues telles que commandées.").wait_for()
    page.get_by_text("2 / 2 comptés").wait_for()
    flour_line = page.locator("li.card", has=page.get_by_role("heading", name="Farine T65"))
    flour_line.get_by_label("Reçu en bon état").fill("10")
    flour_line.get_by_label("Abîmé").fill("1")
    flour_line.get_by_label("Remarque").fill("1 sac percé")
    flour_line.get_by_role("button", name="Enregistrer").click()
    page.locator("li.card", has_text="Farine T65").get_by_text("Enregistré.").wait_for()
    assert "Reçu : 10" in page.locator("li.card", has_text="Farine T65").inner_text()
    _check_phone(page, found)

    # Validation, after a confirmation that shows the differences.
    page.get_by_role("link", name="Valider la réception").click()
    page.get_by_role("button", name="Confirmer et valider").wait_for()
    assert "Farine T65" in page.locator("#differences").inner_text()
    _check_phone(page, found)
    page.get_by_role("button", name="Confirmer et valider").click()
    page.get_by_text("La réception est validée : la marchandise est en stock.").wait_for()
    assert "1 sac percé" in page.locator("#differences").inner_text()
    _check_phone(page, found)
    assert (_stock("Farine T65"), _stock("Riz complet")) == (D("13"), D("8"))
    assert PurchaseOrder.objects.get(pk=order.pk).status == "partly_received"

    # The stock page shows it.
    page.goto(f"/o/{slug}/stock/")
    row = page.locator("tr", has_text="Farine T65")
    assert row.locator("td.num").inner_text() == "13"

    # Then a shelf is counted: 12 bags of flour (one more was damaged on the shelf).
    page.goto(f"/o/{slug}/inventories/")
    page.get_by_role("link", name="Lancer un inventaire").click()
    page.get_by_label("Nom").fill("Rayon épicerie")
    page.get_by_role("button", name="Lancer").click()
    page.get_by_text("0 / 2 comptés").wait_for()
    card = page.locator(f"#product-{products['flour'].pk}")
    card.get_by_label("Quantité comptée").fill("12")
    card.get_by_role("button", name="Enregistrer").click()
    page.locator(f"#product-{products['flour'].pk}").get_by_text("Compté : 12").wait_for()
    _check_phone(page, found)
    page.get_by_role("link", name="Écarts et validation").click()
    page.get_by_role("button", name="Valider l’inventaire").click()
    page.get_by_text("L’inventaire est validé").wait_for()

    assert (_stock("Farine T65"), _stock("Riz complet")) == (D("12"), D("8"))
    assert list(
        StockMovement.objects.filter(product=products["flour"])
        .order_by("pk")
        .values_list("reason", "delta", "quantity_after")
    ) == [("opening", D("3"), D("3")), ("reception", D("10"), D("13")),
          ("inventory", D("-1"), D("12"))]  # fmt: skip
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
