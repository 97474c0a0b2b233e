"""At check-in, a volunteer takes a cash payment and reads the change to give back."""

from decimal import Decimal

import pytest

from cabas.money.models import AccountEntry
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.sales import services as sales_services
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cash_payment_with_change(page, live_server):
    shop = open_shop()
    order = order_services.order_place(
        user=shop.member(),
        sale=shop.sale,
        pickup_id=shop.open_pickup.pk,
        slot_id=None,
        lines=[(shop.products["bread"].pk, Decimal(3))],
    )  # fmt: skip  (3 × 4.20 = 12.60)
    sales_services.sale_close_now(sale=shop.sale)
    volunteer = shop.member(email="caisse@example.org")
    Membership.objects.filter(user=volunteer).update(is_volunteer=True)

    log_in(page, volunteer.email)

    page.goto(f"/o/{shop.organisation.slug}/checkin/orders/{order.code}/")
    page.get_by_text("à payer 12,60 €").wait_for()
    page.select_option("select[name=method]", "cash")
    page.fill("input[name=received]", "20")
    page.get_by_role("button", name="Enregistrer le paiement").click()

    page.get_by_text("Rendez 7,40 €.").wait_for()
    page.get_by_text("à payer 0,00 €").wait_for()
    entry = AccountEntry.objects.get()
    assert (entry.amount, entry.method) == (Decimal("12.60"), "cash")
