"""The DFC pages on a phone (390 px, French): a producer opens "Connexions DFC" from the menu,
creates a token, sees its secret once and revokes it; then opens the DFC catalog import from the
product import page, sends a small JSON-LD catalog and reaches the preview. Nothing is wider
than the screen, no serious axe violation, primary buttons are big enough to tap."""

import re

import pytest

from cabas.catalog.models import ProductImport
from cabas.dfc.models import DfcToken

from .test_accessibility import _violations
from .test_phone_pages import _SMALL_TARGETS, _WIDE, PHONE_WIDTH, _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CATALOG = """{
  "@context": "https://w3id.org/dfc/ontology/context/context_1.16.0.json",
  "@graph": [
    {"@id": "https://ofn.example/api/dfc/enterprises/1/catalog_items/1",
     "@type": "dfc-b:CatalogItem",
     "dfc-b:references": "https://ofn.example/api/dfc/enterprises/1/supplied_products/1",
     "dfc-b:sku": "MIEL-500",
     "dfc-b:offeredThrough": "https://ofn.example/api/dfc/enterprises/1/offers/1"},
    {"@id": "https://ofn.example/api/dfc/enterprises/1/supplied_products/1",
     "@type": "dfc-b:SuppliedProduct",
     "dfc-b:name": "Miel de châtaignier",
     "dfc-b:hasQuantity": {"@type": "dfc-b:QuantitativeValue", "dfc-b:hasUnit": "dfc-m:Gram",
                           "dfc-b:value": 500}},
    {"@id": "https://ofn.example/api/dfc/enterprises/1/offers/1",
     "@type": "dfc-b:Offer",
     "dfc-b:hasPrice": {"@type": "dfc-b:Price", "dfc-b:value": 8.5, "dfc-b:VATrate": 5.5,
                        "dfc-b:hasUnit": "dfc-m:Euro"},
     "dfc-b:offeredItem": "https://ofn.example/api/dfc/enterprises/1/catalog_items/1"}
  ]
}"""


_OVERFLOW = """() => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible')
  .slice(-3).map(el => el.tagName + '.' + el.className + ' ' + el.textContent.slice(0, 60))"""


def _fits_a_phone(page):
    page.wait_for_load_state()  # the style sheet applied, not only the element there
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, page.evaluate(_WIDE) + page.evaluate(_OVERFLOW)
    assert page.evaluate(_SMALL_TARGETS) == []
    assert _violations(page) == []


def test_a_producer_creates_and_revokes_a_dfc_token_on_a_phone(page, world):
    _log_in(page, world.users["producer"].email)
    page.goto(f"/o/{world.org_a.slug}/home/")

    page.locator(".menu-toggle").click()
    page.get_by_role("link", name="Connexions DFC", exact=True).click()
    page.wait_for_url(f"**/o/{world.org_a.slug}/dfc/tokens/")
    page.get_by_role("heading", name="Connexions DFC").wait_for()
    _fits_a_phone(page)

    page.get_by_label("Nom").fill("Open Food Network")
    page.get_by_label(re.compile(r"\(products:read\)")).check()
    page.get_by_role("button", name="Créer le jeton").click()

    secret = page.locator(".token-secret").inner_text()
    token = DfcToken.objects.get()
    assert secret.startswith(token.prefix) and len(secret) > 20
    assert token.scopes == ["products:read"]
    _fits_a_phone(page)
    page.reload()  # the creation redirected: a reload shows the page again, makes nothing
    assert secret not in page.content()  # shown once
    assert DfcToken.objects.count() == 1

    page.get_by_role("button", name=re.compile("Révoquer")).first.click()
    page.get_by_text("a été révoqué").wait_for()
    token.refresh_from_db()
    assert token.revoked_at is not None
    _fits_a_phone(page)


def test_a_producer_imports_a_dfc_catalog_file_on_a_phone(page, world, tmp_path):
    catalog = tmp_path / "catalogue.jsonld"
    catalog.write_text(CATALOG, encoding="utf-8")
    _log_in(page, world.users["producer"].email)
    page.goto(f"/o/{world.org_a.slug}/catalog/import/")

    page.get_by_role("link", name=re.compile("Importer un catalogue DFC")).click()
    page.wait_for_url(f"**/o/{world.org_a.slug}/dfc/import/")
    _fits_a_phone(page)
    page.set_input_files("input[name=file]", str(catalog))
    page.locator("main form [type=submit]").first.click()

    page.wait_for_url(re.compile(r"/catalog/import/\d+/$"))
    page.get_by_text("Miel de châtaignier").first.wait_for()
    assert "1 nouveau produit" in page.locator("main").inner_text()
    assert ProductImport.objects.get().file_format == "dfc"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
