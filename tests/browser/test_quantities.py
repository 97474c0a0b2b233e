"""A French member orders lemons by the kilo on a phone, typing "0,5" the way they write it
(a number field dropped the comma in Chromium: "0,5" became 5 kg)."""

import re
from decimal import Decimal

import pytest

from cabas.catalog.tests.factories import ProductFactory
from cabas.orders.models import BasketLine
from cabas.orders.tests.factories import open_shop
from cabas.sales import services as sales_services
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NBSP = "\u00a0"


def _logged_in_at_a_shop_with_lemons(page):
    """The shop with lemons by the kilo (from 0.5 kg, by 0.1 kg), a member logged in on it."""
    shop = open_shop()
    lemons = ProductFactory(
        organisation=shop.organisation, producer=shop.products["bread"].producer,
        name="Citrons", unit_kind="weight", price=Decimal("3.10"),
        min_quantity=Decimal("0.5"), quantity_step=Decimal("0.1"),
    )  # fmt: skip
    sales_services.sale_items_sync(sale=shop.sale)
    member = shop.member(email="lea@example.org")
    shop_url = f"/o/{shop.organisation.slug}/shop/{shop.sale.pk}/"
    log_in(page, member.email, shop_url)
    return shop, lemons, shop_url


def test_a_member_types_half_a_kilo_then_one_kilo(page, live_server):
    shop, lemons, shop_url = _logged_in_at_a_shop_with_lemons(page)

    form = page.locator(f"#qty-{lemons.pk}")
    field = form.locator("input[name=quantity]")
    # The browser itself finds the quantities a French person types valid, and not the others.
    validity = {}
    for typed in ("0,5", "1", "1.5", "2,3", "abc", "1,2,3"):
        field.fill(typed)
        validity[typed] = field.evaluate("input => input.checkValidity()")
    assert validity == {"0,5": True, "1": True, "1.5": True, "2,3": True,
                        "abc": False, "1,2,3": False}  # fmt: skip

    # Typed key by key, as on a phone: half a kilo (shown as 500 g, as every weight under a kilo).
    field.fill("")
    field.press_sequentially("0,5")
    form.get_by_role("button", name="Ajouter").click()
    form.get_by_text(f"500{NBSP}g dans le panier").wait_for()
    page.locator("#basket-summary").get_by_text(f"1,55{NBSP}€").wait_for()
    assert BasketLine.objects.get().quantity == Decimal("0.5")

    # Then one kilo.
    field = page.locator(f"#qty-{lemons.pk} input[name=quantity]")
    assert field.input_value() == "0,5"
    field.fill("")
    field.press_sequentially("1")
    page.locator(f"#qty-{lemons.pk}").get_by_role("button", name="Modifier").click()
    page.locator(f"#qty-{lemons.pk}").get_by_text(f"1{NBSP}kg dans le panier").wait_for()
    page.locator("#basket-summary").get_by_text(f"3,10{NBSP}€").wait_for()
    assert BasketLine.objects.get().quantity == Decimal("1")

    # The basket page says the same.
    page.locator("#basket-summary").get_by_role("link", name=re.compile("Panier")).click()
    row = page.locator("tr", has_text="Citrons")
    row.get_by_text(f"3,10{NBSP}€/kg").wait_for()
    assert row.locator("input[name=quantity]").input_value() == "1"
    assert row.locator("td").last.inner_text().strip() == f"3,10{NBSP}€"


def test_the_message_under_a_quantity_is_the_current_one(page):
    shop, lemons, shop_url = _logged_in_at_a_shop_with_lemons(page)

    # The minimum is offered, ready to add with one tap, its unit beside; a piece offers 1.
    form = page.locator(f"#qty-{lemons.pk}")
    field = form.locator("input[name=quantity]")
    assert field.input_value() == "0,5"
    assert form.locator(".field-unit").inner_text() == "kg"
    bread = page.locator(f"#qty-{shop.products['bread'].pk} input[name=quantity]")
    assert bread.input_value() == "1"
    assert page.locator(f"#qty-{shop.products['bread'].pk} .field-unit").inner_text() == "pièce"

    # Far below the smallest quantity: the message names it.
    field.fill("0,0001")
    form.get_by_role("button", name="Ajouter").click()
    form.get_by_text(f"« Citrons » : la plus petite quantité est 0,5{NBSP}kg.").wait_for()

    # A quantity the server refuses says so...
    form = page.locator(f"#qty-{lemons.pk}")
    field = form.locator("input[name=quantity]")
    field.fill("-1")
    form.get_by_role("button", name="Ajouter").click()
    form.get_by_text("« -1 » n’est pas une quantité.").wait_for()
    # ...then one the browser itself refuses is never sent: the earlier message gives way to
    # what is wrong now, the field's hint.
    form = page.locator(f"#qty-{lemons.pk}")
    form.locator("input[name=quantity]").fill("abc")
    form.get_by_role("button", name="Ajouter").click()
    alerts = form.locator(".errorlist[role=alert]")
    alerts.get_by_text("Un nombre, par exemple 2 ou 0,5").wait_for()
    assert alerts.count() == 1
    assert page.get_by_text("« -1 »").count() == 0
    assert not BasketLine.objects.exists()

    # Typed, it is added as before.
    form.locator("input[name=quantity]").fill("0,5")
    form.get_by_role("button", name="Ajouter").click()
    form.get_by_text(f"500{NBSP}g dans le panier").wait_for()
    assert form.locator(".errorlist").count() == 0
    assert BasketLine.objects.get().quantity == Decimal("0.5")

    # Its page offers it as typed in French; sent unchanged, the basket keeps it.
    page.goto(f"{shop_url}products/{lemons.pk}/")
    assert page.locator("input[name=quantity]").input_value() == "0,5"
    page.locator(f"#qty-{lemons.pk}").get_by_role("button", name="Modifier").click()
    page.locator(f"#qty-{lemons.pk}").get_by_text(f"500{NBSP}g dans le panier").wait_for()
    assert page.locator(f"#qty-{lemons.pk} .errorlist").count() == 0
    assert BasketLine.objects.get().quantity == Decimal("0.5")
