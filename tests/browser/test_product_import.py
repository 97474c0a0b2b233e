"""A coordinator coming from Open Food Network imports a product list on a phone: the preview
says which lines had no VAT category, the import is confirmed, and the new products are added
to the sale already open from the import's page."""

import re
from pathlib import Path

import pytest

from cabas.catalog.models import Product
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.sales.models import SaleItem
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFN_FILE = Path(__file__).resolve().parents[2] / "cabas/catalog/tests/files/ofn-sans-tva.csv"


def test_an_ofn_list_is_imported_then_offered_in_the_open_sale(page, live_server):
    shop = open_shop()
    ProducerLinkFactory(organisation=shop.organisation,
                        producer=ProducerFactory(name="Ferme du Ségala"))  # fmt: skip
    coordinator = shop.member(email="coordination@example.org")
    Membership.objects.filter(user=coordinator).update(is_coordinator=True)
    start = f"/o/{shop.organisation.slug}/catalog/import/"
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    log_in(page, coordinator.email, start)

    page.set_input_files("input[name=file]", str(OFN_FILE))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.wait_for_url(re.compile(r"/catalog/import/\d+/$"))
    status = page.locator("#import-status")
    assert "2 produits sans catégorie de TVA : 5,5 % appliqué." in status.inner_text()
    assert "3 nouveaux produits" in status.inner_text()
    assert Product.objects.filter(organisation=shop.organisation).count() == 5  # not yet

    page.get_by_role("button", name="Importer ces produits").click()
    page.get_by_text("Le fichier a été importé").wait_for()
    # The sales form comes in from the sales app once the page is loaded.
    page.get_by_role("heading", name="Proposer ces produits dans les ventes").wait_for()
    choice = page.get_by_label(re.compile("Vente du vendredi"))
    assert choice.is_checked()
    page.get_by_role("button", name="Ajouter les produits à ces ventes").click()

    page.get_by_text("3 produits ajoutés à Vente du vendredi.").wait_for()
    imported = Product.objects.filter(organisation=shop.organisation, reference__startswith="OFN")
    assert set(SaleItem.objects.filter(sale=shop.sale, product__in=imported)
               .values_list("product__reference", flat=True)) == {
        "OFN-FRO-1", "OFN-PAIN", "OFN-OEUFS",
    }  # fmt: skip
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
