"""Numbers read in French everywhere a person reads them (pages, e-mails, printed sheets):
amounts as "12,50 €" (a no-break space before the euro sign), quantities as "1,5"; numbers in
HTML attributes (value, step, min, max, placeholder, data-*) stay locale-independent."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"
# An attribute whose value is a number (digits, separators, a sign), e.g. value="1.5".
NUMBER_ATTRIBUTE = re.compile(r'\s((?:value|step|min|max|placeholder|data-[\w-]+))="(-?[\d.,]+)"')
# A decimal field a person edits (core.forms.DecimalInput): its value and placeholder are
# written as they type them ("1,5"), checked by test_number_attributes.
DECIMAL_FIELD = re.compile(r'<input [^>]*inputmode="(?:decimal|numeric)" pattern="[^"]*"[^>]*>')
# An amount written by hand: "12.50 €", "12,50 €" with an ordinary space, "12.50€".
HAND_MONEY = re.compile(r"\d[.,]\d\d ?€|\d\.\d\d\u00a0€")


@pytest.fixture
def ordered(client):
    """A member's order placed through the checkout, in French: 2 breads (8,40 €), 1.5 kg of
    tomatoes (6,00 €) and a chicken (19,04 € estimated: 1.6 kg × 11,90 €/kg)."""
    shop = open_shop()
    member = shop.member()
    client.force_login(member)
    for name, quantity in (("bread", "2"), ("tomatoes", "1.5"), ("chicken", "1")):
        client.post(
            reverse("orders:basket_set", args=[shop.organisation.slug, shop.sale.pk]),
            {"product": shop.products[name].pk, "quantity": quantity},
        )
    pages = {
        name: client.get(reverse(f"orders:{name}", args=[shop.organisation.slug, shop.sale.pk]))
        for name in ("sale_shop", "basket", "checkout")
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("orders:checkout", args=[shop.organisation.slug, shop.sale.pk]),
            {"place": f"{shop.pickup.pk}-{shop.slots[0].pk}",
             "token": "3f1d6a2c-1b7e-4c55-8d0e-6a9b5c4d3e21"},
        )  # fmt: skip
    order = Order.objects.get(user=member)
    pages["order"] = client.get(reverse("orders:order", args=[shop.organisation.slug, order.code]))
    return shop, order, pages


def _readable(body: str) -> str:
    """The text of a page without its tags' attributes (where raw numbers belong)."""
    return re.sub(r"<[^>]*>", " ", body)


def _check(body: str, where: str) -> None:
    assert not HAND_MONEY.findall(_readable(body)), where
    body = DECIMAL_FIELD.sub(" ", body)
    commas = [(name, value) for name, value in NUMBER_ATTRIBUTE.findall(body) if "," in value]
    assert not commas, (where, commas)


def test_member_pages_and_the_e_mail_read_french_numbers(ordered):
    shop, order, pages = ordered
    assert order.total == Decimal("33.44")
    for name, page in pages.items():
        assert page.status_code == 200, name
        _check(page.content.decode(), name)
    assert f"11,90{NBSP}€/kg" in pages["sale_shop"].content.decode()
    for name in ("basket", "checkout", "order"):
        body = pages[name].content.decode()
        assert f"33,44{NBSP}€" in body and f"8,40{NBSP}€" in body, name
    assert f"1,5{NBSP}kg" in pages["checkout"].content.decode()  # tomatoes
    # The shop's quantity fields hold the number as typed in French (the 1.5 kg of tomatoes).
    shop_page = pages["sale_shop"].content.decode()
    assert 'value="1,5" inputmode="decimal"' in shop_page

    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for text in (message.body, html):
        _check(text, "e-mail")
        assert f"33,44{NBSP}€" in text and f"6,00{NBSP}€" in text
    assert f"Tomates · 1,5{NBSP}kg :" in message.body


def test_volunteer_pages_and_printed_sheets_read_french_numbers(client, ordered):
    shop, order, _pages = ordered
    coordinator = MembershipFactory(
        organisation=shop.organisation, status=Membership.Status.ACTIVE, is_coordinator=True,
        is_volunteer=True,
    ).user  # fmt: skip
    client.force_login(coordinator)
    slug = shop.organisation.slug
    urls = {
        "check-in": reverse("distribution:checkin_pickup", args=[slug, shop.pickup.pk]),
        "check-in order": reverse("distribution:checkin_order", args=[slug, order.code]),
        "preparation": reverse("distribution:preparation", args=[slug, shop.pickup.pk]),
        "attendance": reverse("distribution:attendance", args=[slug, shop.pickup.pk]),
        "summary": reverse("distribution:sale_summary", args=[slug, shop.sale.pk]),
    }
    for name, url in urls.items():
        page = client.get(url)
        assert page.status_code == 200, name
        body = page.content.decode()
        _check(body, name)
        if name != "preparation":
            assert f"33,44{NBSP}€" in body or f"8,40{NBSP}€" in body, name
    weighing = client.get(urls["check-in order"]).content.decode()
    assert f"11,90{NBSP}€/kg" in weighing  # the chicken's price per kg, next to its weight
    assert 'placeholder="1,6"' in weighing  # the estimated weight, as it would be typed
