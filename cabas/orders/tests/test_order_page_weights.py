"""The member's order page: a variable-weight line not weighed yet shows its amount with a
star and the footnote saying why; once weighed (or the order's total final), no star and no
footnote: the amount is the one paid."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cabas.orders import services
from cabas.orders.fulfilment import order_line_weigh
from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop

pytestmark = pytest.mark.django_db

FOOTNOTE = "Les produits à poids variable sont estimés"


@pytest.fixture
def placed(client):
    shop = open_shop()
    member = shop.member()
    order = services.order_place(
        user=member, sale=shop.sale, pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
        lines=[(shop.products["chicken"].pk, Decimal(1)), (shop.products["bread"].pk, Decimal(1))],
    )  # fmt: skip
    client.force_login(member)
    url = reverse("orders:order", kwargs={"slug": shop.organisation.slug, "code": order.code})
    return shop, order, url


def _amounts(client, url) -> tuple[list[str], str]:
    from html.parser import HTMLParser

    cells, page = [], client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    class Cells(HTMLParser):
        inside = False

        def handle_starttag(self, tag, attrs):
            if tag == "td" and ("class", "amount") in attrs:
                self.inside = True
                cells.append("")

        def handle_endtag(self, tag):
            self.inside = self.inside and tag != "td"

        def handle_data(self, data):
            if self.inside:
                cells[-1] += data

    Cells().feed(page)
    return [cell.strip() for cell in cells], page


def test_an_estimated_amount_has_its_star_and_footnote_until_weighed(client, placed):
    shop, order, url = placed
    amounts, page = _amounts(client, url)
    # Lines by product name: "Pain de campagne", "Poulet"; then the total.
    assert [a.endswith("*") for a in amounts] == [False, True, True]
    assert FOOTNOTE in page

    line = order.lines.get(product_name="Poulet")
    order_line_weigh(line=line, weighed_kg=Decimal("1.1"), by=shop.member())

    amounts, page = _amounts(client, url)
    assert [a.endswith("*") for a in amounts] == [False, False, False]
    assert FOOTNOTE not in page


def test_a_final_total_has_no_star(client, placed):
    shop, order, url = placed
    Order.objects.filter(pk=order.pk).update(finalised_at=order.created_at)

    amounts, page = _amounts(client, url)
    assert not any(a.endswith("*") for a in amounts)
    assert FOOTNOTE not in page
