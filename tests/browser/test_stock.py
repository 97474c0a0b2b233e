"""The supply team's stock pages on a phone (390 px): the menu leads to them, a minimum is
set on the list and the product comes first, flagged; nothing is wider than the screen and
what is tapped is at least 44 px tall."""

from decimal import Decimal

import pytest

from cabas.accounts.tests.factories import UserFactory
from cabas.catalog import services
from cabas.catalog.tests.factories import ProductFactory
from cabas.orgs.tests.factories import MembershipFactory
from tests.browser.test_phone_pages import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_SHORT = """() => Array.from(document.querySelectorAll(
    'main input:not([type=hidden]), main select, main button, main a.button'))
  .filter(el => el.offsetParent !== null)
  .map(el => [el.textContent.trim() || el.name, el.getBoundingClientRect().height])
  .filter(([, height]) => height < 44)
  .map(([name, height]) => `${name} ${Math.round(height)}`)"""


def test_supply_member_sets_a_minimum_and_reads_the_reports(page, world):
    org = world.org_a
    org.kind = "cooperative"
    org.save(update_fields=["kind"])
    for name, stock in (("Farine de blé T80", 12), ("Yaourt nature", 2)):
        product = ProductFactory(
            organisation=org,
            producer=world.producer,
            name=name,
            stock_mode="shop",
            stock_quantity=Decimal("0"),
        )
        services.stock_adjust(
            product=product, delta=Decimal(stock), made_by=None, reason="reception"
        )
    supply = UserFactory(email="appro-a@example.org")
    MembershipFactory(organisation=org, user=supply, is_supply=True)
    _log_in(page, supply.email)
    page.goto(f"/o/{org.slug}/home/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Stock", exact=True).click()
    # Wait for the new page itself: a load state right after a click may be the old page's.
    page.get_by_role("heading", name="Stock des produits").wait_for()
    page.get_by_label("Stock minimum de Yaourt nature").fill("3")
    page.locator("tr", has_text="Yaourt nature").get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Le minimum de « Yaourt nature » a été enregistré.").wait_for()
    first_row = page.locator("tbody tr").first
    assert "Yaourt nature" in first_row.inner_text()
    assert "Sous le minimum" in first_row.inner_text()
    for path in (
        "stock/",
        "stock/movements/",
        "supply/cover/",
        "supply/losses/",
        "supply/stock-value/",
    ):
        page.goto(f"/o/{org.slug}/{path}")
        assert page.evaluate(_SHORT) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
