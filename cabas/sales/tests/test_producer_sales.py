"""A producer's "My sales": the coming and open sales, then the closed and distributed ones,
latest first, a few at a time ("See more"), each with its summary one tap away."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cabas.catalog.tests.factories import ProducerLinkFactory, ProductFactory
from cabas.sales.tests.factories import SaleFactory, SaleItemFactory

pytestmark = pytest.mark.django_db


def _sale(world, title, status, days_ago, producer=None):
    closes_at = timezone.now() - timedelta(days=days_ago)
    sale = SaleFactory(
        organisation=world.org_a,
        title=title,
        status=status,
        opens_at=closes_at - timedelta(days=5),
        closes_at=closes_at,
    )
    product = ProductFactory(organisation=world.org_a, producer=producer or world.producer)
    SaleItemFactory(sale=sale, product=product)
    SaleItemFactory(sale=sale, product=ProductFactory(organisation=world.org_a))
    return sale


def _page(client, world, query=""):
    return client.get(reverse("sales:producer_sales", kwargs={"slug": world.org_a.slug}) + query)


def test_my_sales_lists_the_closed_and_distributed_sales_latest_first(client, world):
    coming = _sale(world, "Vente à venir", "scheduled", days_ago=-3)
    old = _sale(world, "Vente d'octobre", "distributed", days_ago=40)
    last = _sale(world, "Vente de la semaine dernière", "distributed", days_ago=7)
    closed = _sale(world, "Vente de vendredi", "closed", days_ago=1)
    _sale(world, "Vente archivée", "archived", days_ago=80)
    other = ProducerLinkFactory(organisation=world.org_a).producer
    _sale(world, "Vente d'un autre producteur", "closed", days_ago=2, producer=other)
    client.force_login(world.users["producer"])

    response = _page(client, world)

    assert [sale.pk for sale in response.context["sales"]] == [coming.pk]
    assert [sale.pk for sale in response.context["past_sales"]] == [closed.pk, last.pk, old.pk]
    html = response.content.decode()
    assert "Ventes passées" in html and "Vente d'un autre producteur" not in html
    for sale in (closed, last, old):
        summary = reverse(
            "distribution:sale_summary", kwargs={"slug": world.org_a.slug, "sale_id": sale.pk}
        )
        assert f'href="{summary}">Mon récapitulatif' in html
    assert "Voir plus" not in html
    # The summary opens for the producer, with its own figures.
    assert client.get(summary).status_code == 200


def test_my_sales_shows_ten_past_sales_then_more(client, world):
    for n in range(12):
        _sale(world, f"Vente {n:02d}", "distributed", days_ago=7 * (n + 1))
    client.force_login(world.users["producer"])

    first = _page(client, world)
    assert [sale.title for sale in first.context["past_sales"]] == [
        f"Vente {n:02d}" for n in range(10)
    ]
    assert 'href="?past=20#past">Voir plus' in first.content.decode()

    more = _page(client, world, "?past=20")
    assert len(more.context["past_sales"]) == 12
    assert "Voir plus" not in more.content.decode()

    assert _page(client, world, "?past=beaucoup").status_code == 400


def _queries(client, world) -> int:
    _page(client, world)  # warm: the first page of a visit writes the organisation into the session
    with CaptureQueriesContext(connection) as captured:
        assert _page(client, world).status_code == 200
    return len(captured)


def test_my_sales_takes_as_many_queries_for_1_or_8_past_sales(client, world):
    client.force_login(world.users["producer"])
    _sale(world, "Vente à venir", "open", days_ago=-2)
    _sale(world, "Vente passée", "closed", days_ago=3)
    few = _queries(client, world)
    for n in range(7):
        _sale(world, f"Vente {n}", "distributed", days_ago=10 + n)
        _sale(world, f"Vente prévue {n}", "scheduled", days_ago=-10 - n)

    assert _queries(client, world) == few
