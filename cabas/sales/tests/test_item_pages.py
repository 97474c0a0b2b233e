"""A sale's items among thousands, on the coordinator's offer and price-correction pages: by
producer, by a search and a page at a time; junk in the query string is a clear 400 or the
nearest page, never a 500; a row's form comes back to the same producer, search and page,
and the pages' queries do not grow with the number of products."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.orders import services as order_services
from cabas.orders.models import OrderLine
from cabas.orders.tests.factories import open_shop
from cabas.sales import item_pages, services

pytestmark = pytest.mark.django_db
PAGES = {
    "offer": "sales:sale_offer",
    "prices": "distribution:sale_prices",
    "missing": "distribution:sale_missing",
}


@pytest.fixture
def shop(client, monkeypatch):
    """An open sale of 5 products of "Ferme du Cérou" and 2 of "Miellerie", each ordered, 3 rows
    a page; the coordinator logged in."""
    monkeypatch.setattr(item_pages, "ITEMS_PER_PAGE", 3)
    shop = open_shop()
    honey = ProducerFactory(name="Miellerie")
    ProducerLinkFactory(organisation=shop.organisation, producer=honey)
    for name in ("Miel de lavande", "Miel de châtaignier"):
        ProductFactory(organisation=shop.organisation, producer=honey, name=name)
    services.sale_items_sync(sale=shop.sale)
    shop.honey = honey
    member = shop.member(email="client@example.org")
    lines = [
        (item.product_id, Decimal(1)) for item in shop.sale.items.exclude(product__name="Savon")
    ]
    order_services.order_place(
        user=member, sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None, lines=lines
    )
    coordinator = shop.member(email="coordination@example.org")
    shop.organisation.memberships.filter(user=coordinator).update(is_coordinator=True)
    client.force_login(coordinator)
    return shop


def _url(shop, page: str, query: str = "") -> str:
    kwargs = {"slug": shop.organisation.slug, "sale_id": shop.sale.pk}
    return reverse(PAGES[page], kwargs=kwargs) + query


def _names(response) -> list[str]:
    return [item.product.name for item in response.context["found"].page]


@pytest.mark.parametrize("page", PAGES)
def test_the_items_come_a_page_at_a_time_by_producer_then_name(client, shop, page):
    first = client.get(_url(shop, page))
    second = client.get(_url(shop, page, "?page=2"))

    ordered = page != "offer"  # the soap was not ordered: no price to correct, never missing
    assert first.context["found"].page.paginator.count == (6 if ordered else 7)
    assert _names(first) == ["Pain de campagne", "Poulet", "Tomates" if ordered else "Savon"]
    assert len(_names(second)) == 3 and not set(_names(first)) & set(_names(second))
    assert "page 1 sur" in first.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_one_producer_or_a_search_lists_only_its_items(client, shop, page):
    honey = client.get(_url(shop, page, f"?producer={shop.honey.pk}"))
    found = client.get(_url(shop, page, "?q=chataignier"))

    assert sorted(_names(honey)) == ["Miel de châtaignier", "Miel de lavande"]
    assert _names(found) == ["Miel de châtaignier"]
    assert f'<option value="{shop.honey.pk}" selected>Miellerie</option>' in honey.content.decode()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "query", ["?page=abc", "?page=%C2%B2", "?page=-1", "?page=0", "?page=99999999999999999999999",
              "?q=%25", "?q=" + "x" * 500, "?producer=", "?producer=999999"],
)  # fmt: skip
def test_junk_pages_and_searches_show_a_page(client, shop, page, query):
    assert client.get(_url(shop, page, query)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("junk", ["abc", "%C2%B2", "-1", "1.5"])
def test_a_producer_that_is_not_a_number_is_a_clear_refusal(client, shop, page, junk):
    response = client.get(_url(shop, page, f"?producer={junk}"))

    assert response.status_code == 400
    assert "doit être un nombre entier" in response.content.decode()


def test_an_offer_row_saved_comes_back_to_the_same_producer_and_page(client, shop):
    query = f"?producer={shop.honey.pk}&page=1"
    item = shop.sale.items.get(product__name="Miel de lavande")

    answer = client.post(
        _url(shop, "offer", query),
        {"action": "quantity", "item": item.pk, "quantity_available": "8"},
    )

    assert answer.status_code == 302 and answer["Location"] == _url(shop, "offer", query)
    item.refresh_from_db()
    assert item.quantity_available == Decimal("8")


def test_a_missing_product_comes_back_to_the_same_producer_and_page(client, shop):
    query = f"?producer={shop.honey.pk}&page=1"
    item = shop.sale.items.get(product__name="Miel de lavande")

    answer = client.post(_url(shop, "missing", query), {"product": item.product_id, "confirm": "1"})

    assert answer.status_code == 302 and answer["Location"] == _url(shop, "missing", query)
    lines = OrderLine.objects.filter(sale_item=item)
    assert lines.exists() and all(line.is_missing for line in lines)


def test_the_missing_message_counts_the_orders_in_french(client, shop):
    item = shop.sale.items.get(product__name="Miel de lavande")
    url = _url(shop, "missing", "")
    count = OrderLine.objects.filter(sale_item=item).values("order").distinct().count()

    confirmed = {"product": item.product_id, "confirm": "1"}
    first = client.post(url, confirmed, follow=True).content.decode()
    again = client.post(url, confirmed, follow=True).content.decode()

    orders = "commande" if count == 1 else "commandes"
    assert f"« Miel de lavande » retiré de {count} {orders}" in first
    assert "« Miel de lavande » n’est dans aucune commande à modifier" in again
    assert "retiré de 0" not in again
    assert first.count("« Miel de lavande » retiré de") == 1  # the message shows once


@pytest.mark.parametrize("page", ["missing", "prices", "offer"])
@pytest.mark.parametrize("forged", ["abc", "", "1.5", "-3", "١", "9" * 40])
def test_a_forged_row_id_is_not_found_never_an_error(client, shop, page, forged):
    field = {"missing": "product", "prices": "item", "offer": "item"}[page]
    before = list(OrderLine.objects.order_by("pk").values_list("is_missing", "unit_price"))
    excluded = list(shop.sale.items.values_list("is_excluded", flat=True))

    answer = client.post(
        _url(shop, page, ""),
        {field: forged, "price": "9", "reason": "x", "action": "exclude_item", "confirm": "1"},
    )

    assert answer.status_code == 404
    assert list(OrderLine.objects.order_by("pk").values_list("is_missing", "unit_price")) == before
    assert list(shop.sale.items.values_list("is_excluded", flat=True)) == excluded


def test_a_price_of_another_sale_is_refused_and_nothing_changes(client, shop):
    other = open_shop(organisation=shop.organisation)
    item = other.sale.items.first()

    answer = client.post(
        _url(shop, "prices", "?page=2"), {"item": item.pk, "price": "9", "reason": "Erreur"}
    )

    assert answer.status_code == 404
    item.refresh_from_db()
    assert item.price_override is None


TOO_HIGH = "Indiquez un prix d’au plus 99\u00a0999\u00a0999,99\u00a0€, en euros et centimes."


@pytest.mark.parametrize(
    ("price", "told"),
    [
        ("0", "Indiquez un prix supérieur à zéro."),
        ("-1", "Indiquez un prix supérieur à zéro."),
        ("abc", "Indiquez un prix supérieur à zéro."),
        ("99999999999", TOO_HIGH),  # the maximum as the money formatter writes it
        ("1,234", TOO_HIGH),
    ],
)
def test_a_wrong_price_says_what_is_wrong_and_changes_nothing(client, shop, price, told):
    item = shop.sale.items.get(product__name="Miel de lavande")

    answer = client.post(
        _url(shop, "prices", "?page=1"), {"item": item.pk, "price": price, "reason": "Erreur"},
        follow=True,
    )  # fmt: skip

    assert told in answer.content.decode()
    item.refresh_from_db()
    assert item.price_override is None


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_the_pages_run_the_same_queries_for_few_and_many_products(client, shop, page):
    _queries(client, _url(shop, page))  # the session's first visit loads it once
    few = _queries(client, _url(shop, page))
    for _producer in range(4):
        link = ProducerLinkFactory(organisation=shop.organisation)
        ProductFactory.create_batch(3, organisation=shop.organisation, producer=link.producer)
    services.sale_items_sync(sale=shop.sale)
    new = shop.sale.items.filter(product__producer__name__startswith="Ferme").exclude(
        product__producer=shop.products["bread"].producer
    )
    order_services.order_place(
        user=shop.member(), sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
        lines=[(item.product_id, Decimal(1)) for item in new],
    )  # fmt: skip

    assert _queries(client, _url(shop, page)) == few
    assert _queries(client, _url(shop, page, f"?producer={shop.honey.pk}&q=miel&page=2")) == few
