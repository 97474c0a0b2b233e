"""One bottle reads the same everywhere a person meets it: the shop, the basket, the checkout,
the order page, the confirmation e-mail, the producer's summary (page and CSV) and the
receipt: "75 cl · 12,50 € (16,67 €/L)" on offer, "2 × 75 cl" once ordered; and an order keeps
reading so after the product changes."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from cabas.catalog import services as catalog_services
from cabas.catalog.tests.factories import ProductFactory
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.tests.factories import MembershipFactory
from cabas.sales import services as sales_services

pytestmark = pytest.mark.django_db
D = Decimal
NBSP = "\u00a0"

OFFER = f"75{NBSP}cl · 12,50{NBSP}€ (16,67{NBSP}€/L)"
PRICE = f"12,50{NBSP}€ (16,67{NBSP}€/L)"
ORDERED = f"2{NBSP}×{NBSP}75{NBSP}cl"


@pytest.fixture
def shop():
    shop = open_shop()
    farm = shop.products["bread"].producer
    shop.products["oil"] = ProductFactory(
        organisation=shop.organisation,
        producer=farm,
        name="Huile d’olive",
        price=D("12.50"),
        content_quantity=D("75"),
        content_unit="cl",
    )
    sales_services.sale_items_sync(sale=shop.sale)
    return shop


def _get(client, name, **kwargs) -> str:
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, name
    return response.content.decode()


# long: one journey through every place a line is shown, asserted step by step
def test_a_bottle_reads_the_same_from_the_shop_to_the_receipt(
    client, shop, django_capture_on_commit_callbacks
):
    member = shop.member(first_name="Alice", last_name="Martin")
    client.force_login(member)
    org = {"slug": shop.organisation.slug}
    sale = {**org, "sale_id": shop.sale.pk}
    oil = shop.products["oil"]

    assert OFFER in _get(client, "orders:sale_shop", **sale)
    client.post(reverse("orders:basket_set", kwargs=sale), {"product": oil.pk, "quantity": "2"})
    basket = _get(client, "orders:basket", **sale)
    # The basket page: the offer, the quantity in its field and the line's amount.
    assert OFFER in basket and 'value="2"' in basket and f"25,00{NBSP}€" in basket
    assert ORDERED in _get(client, "orders:checkout", **sale)

    with django_capture_on_commit_callbacks(execute=True):
        order = order_services.order_place(
            user=member,
            sale=shop.sale,
            pickup_id=shop.open_pickup.pk,
            slot_id=None,
            lines=[(oil.pk, D("2"))],
        )
    order_page = _get(client, "orders:order", **org, code=order.code)
    assert ORDERED in order_page and PRICE in order_page

    (message,) = mail.outbox
    assert f"- Huile d’olive · {ORDERED} : 25,00{NBSP}€" in message.body
    assert ORDERED in message.alternatives[0][0]

    assert ORDERED in _get(client, "money:order_receipt", **org, code=order.code)

    producer = MembershipFactory(
        organisation=shop.organisation, is_producer=True, producer=oil.producer
    ).user
    client.force_login(producer)
    assert f'Huile d’olive</td><td class="num">{ORDERED}' in _get(
        client, "distribution:sale_summary", **sale
    )
    export = client.get(
        reverse("distribution:sale_summary_export", kwargs={**sale, "file_format": "csv"})
    )
    csv_text = export.content.decode("utf-8-sig")
    assert f";Huile d’olive;75{NBSP}cl;2;" in csv_text

    # The product changes after the order: the order still says what was sold.
    catalog_services.product_update(
        product=oil, name="Huile d’olive nouvelle", price=D("20.00"), content_quantity=D("50")
    )
    client.force_login(member)
    order_page = _get(client, "orders:order", **org, code=order.code)
    assert ORDERED in order_page and PRICE in order_page and "nouvelle" not in order_page
