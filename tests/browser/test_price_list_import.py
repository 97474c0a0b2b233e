"""The supply team updates a wholesaler's prices from its price list on a phone: the preview
shows the old and new purchase prices and the line not in the catalogue, then the prices are
applied once."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from cabas.accounts.tests.factories import UserFactory
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.supply.models import PriceProposal, SupplierItem
from cabas.supply.tests.price_listing import relais_vert
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRICE_LIST = Path(__file__).resolve().parents[2] / "cabas/supply/tests/files/relais-vert-latin1.csv"


def test_a_price_list_is_checked_then_applied_on_a_phone(page, live_server):
    coop = OrganisationFactory(name="Épicerie du Panier", slug="panier", kind="cooperative")
    relais = relais_vert(coop)
    person = UserFactory(email="appro@example.org")
    MembershipFactory(organisation=coop, user=person, is_supply=True)
    start = f"/o/{coop.slug}/supply/suppliers/{relais.supplier.pk}/prices/import/"
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    log_in(page, person.email, start)

    page.set_input_files("input[name=file]", str(PRICE_LIST))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.wait_for_url(re.compile(r"/supply/price-lists/\d+/$"))
    status = page.locator("#import-status")
    status.get_by_text("2 produits à modifier").wait_for()
    assert "1 ligne absente de votre catalogue" in status.inner_text()
    assert "1,20 € → 1,35 €" in status.inner_text().replace("\xa0", " ")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert SupplierItem.objects.get(pk=relais.flour.pk).purchase_price == Decimal("1.2")

    page.get_by_role("button", name="Appliquer ces prix").click()
    page.get_by_text("Les prix du fournisseur ont été mis à jour.").wait_for()
    assert SupplierItem.objects.get(pk=relais.flour.pk).purchase_price == Decimal("1.35")
    assert PriceProposal.objects.filter(product=relais.flour.product).count() == 1
    assert errors == []
