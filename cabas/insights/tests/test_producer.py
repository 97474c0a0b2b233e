"""A producer's own figures: theirs only, never another producer's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.sales import services as sales_services

pytestmark = pytest.mark.django_db


def test_a_producer_sees_their_products_and_buyers_and_nobody_elses(client):
    shop = open_shop()
    farm = shop.products["bread"].producer
    beekeeper = ProducerFactory(name="Rucher des Causses")
    ProducerLinkFactory(organisation=shop.organisation, producer=beekeeper)
    ProductFactory(organisation=shop.organisation, producer=beekeeper, name="Miel de lavande",
                   price=Decimal("9.00"))  # fmt: skip
    sales_services.sale_items_sync(sale=shop.sale)
    honey = beekeeper.products.get()
    for n, lines in enumerate(([(shop.products["bread"].pk, 2)], [(honey.pk, 1)])):
        order_services.order_place(
            user=shop.member(email=f"client-{n}@example.org"), sale=shop.sale,
            pickup_id=shop.open_pickup.pk, slot_id=None,
            lines=[(pk, Decimal(qty)) for pk, qty in lines],
        )  # fmt: skip
    person = shop.member(email="fermier@example.org")
    Membership.objects.filter(user=person).update(is_producer=True, producer=farm)
    client.force_login(person)
    url = reverse("insights:producer_dashboard", kwargs={"slug": shop.organisation.slug})
    page = client.get(url, {"start": "2026-11-30", "end": "2026-12-06"}).content.decode()
    assert "Pain de campagne" in page
    assert "8,40" in page
    assert "Miel de lavande" not in page and "9,00" not in page
    assert "client-1@example.org" not in page and "client-0@example.org" not in page
    assert client.get(url, {"start": "nope"}).status_code == 400
