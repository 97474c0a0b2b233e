"""The supply team's supplier and pricing pages on a phone (390 px): the menu leads to them,
a wholesaler is added with its delivery days, a product with its purchase price, and the
price change it proposes is accepted with "All"; nothing is wider than the screen and what
is tapped is at least 44 px tall."""

from decimal import Decimal

import pytest

from cabas.catalog.tests.factories import ProductFactory
from cabas.supply import services
from cabas.supply.models import Supplier
from tests.browser.test_phone_pages import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Fields and buttons under 44 px; a checkbox counts by the label it sits in.
_SHORT = """() => Array.from(document.querySelectorAll(
    'main input:not([type=hidden]):not([type=checkbox]), main select, main button, ' +
    'main a.button, main label:has(> input[type=checkbox])'))
  .filter(el => el.offsetParent !== null)
  .map(el => [el.textContent.trim() || el.name, el.getBoundingClientRect().height])
  .filter(([, height]) => height < 44)
  .map(([name, height]) => `${name} ${Math.round(height)}`)"""


def _fits(page, path):
    # Measured once the page's stylesheets have loaded (the 44 px come from them).
    page.wait_for_load_state("load")
    assert page.evaluate(_SHORT) == [], path
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_supply_member_adds_a_wholesaler_an_item_and_accepts_the_new_price(page, world):
    org = world.org_a
    org.kind = "cooperative"
    org.save(update_fields=["kind"])
    services.supply_settings_update(organisation=org, default_coefficient=Decimal("1.30"))
    ProductFactory(
        organisation=org,
        producer=world.producer,
        name="Farine de blé T80",
        stock_mode="shop",
        stock_quantity=Decimal("0"),
        price=Decimal("3.00"),
        vat_rate=Decimal("5.50"),
    )
    _log_in(page, world.users["supply"].email)
    page.goto(f"/o/{org.slug}/home/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Fournisseurs", exact=True).click()
    page.get_by_role("heading", name="Fournisseurs").wait_for()
    _fits(page, "suppliers")

    page.get_by_role("link", name="Ajouter un fournisseur").click()
    page.get_by_role("heading", name="Nouveau fournisseur").wait_for()
    _fits(page, "supplier_new")
    page.locator("#id_name").fill("Relais Vert")
    page.locator("#id_order_email").fill("commandes@relais.example.org")
    page.get_by_label("mardi").check()
    page.get_by_label("vendredi").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", name="Relais Vert").wait_for()
    assert Supplier.objects.get().delivery_days == [2, 5]
    _fits(page, "supplier")

    page.locator("#id_product").select_option(label="Farine de blé T80")
    page.locator("#id_purchase_price").fill("2")
    page.locator("#id_package_size").fill("10")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    page.get_by_text("« Farine de blé T80 » a été ajouté.").wait_for()
    row = page.locator("tbody tr", has_text="Farine de blé T80")
    assert "2,00\xa0€" in row.inner_text() and "3,00\xa0€" in row.inner_text()

    page.get_by_role("link", name="1 changement de prix à décider").click()
    page.get_by_role("heading", name="Changements de prix à décider").wait_for()
    _fits(page, "price_proposals")
    page.get_by_label("Tous").check()
    assert page.get_by_label("Farine de blé T80").is_checked()  # "All" ticked the rows
    page.get_by_role("button", name="Accepter les prix cochés").click()
    page.get_by_text("1 prix modifié.").wait_for()
    page.get_by_text("Aucun changement de prix à décider.").wait_for()

    for path in ("supply/coefficients/", "supply/settings/"):
        page.goto(f"/o/{org.slug}/{path}")
        _fits(page, path)
