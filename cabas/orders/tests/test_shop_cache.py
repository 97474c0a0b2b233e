"""The shop page's shared product list (orders.shop_page): what changes shows on the very next
page, each member reads their own basket in it, and its queries do not grow with the list."""

import re
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.urls import reverse

from cabas.catalog import services as catalog_services
from cabas.orders import services
from cabas.orders.tests.factories import open_shop
from cabas.sales.models import SaleItem

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def shop():
    return open_shop()


def page(client, shop, **query) -> str:
    path = reverse("orders:sale_shop", kwargs={"slug": shop.organisation.slug,
                                               "sale_id": shop.sale.pk})  # fmt: skip
    response = client.get(path, query)
    assert response.status_code == 200
    return response.content.decode()


def form_of(html: str, product) -> str:
    """The product's quantity form in the page, or "" when it has none."""
    found = re.search(rf'<form id="qty-{product.pk}".*?</form>', html, re.S)
    return found.group(0) if found else ""


def link_of(shop, product) -> str:
    kwargs = {"slug": shop.organisation.slug, "sale_id": shop.sale.pk, "product_id": product.pk}
    return reverse("orders:product", kwargs=kwargs)


def item_of(html: str, shop, product) -> str:
    """The product's entry in the list (from the link to its page)."""
    start = html.index(f'"{link_of(shop, product)}"')
    return html[start : html.index("</li>", start)]


@pytest.fixture
def member_client(client, shop):
    client.force_login(shop.member())
    return client


def test_a_new_price_shows_on_the_next_page(member_client, shop):
    bread = shop.products["bread"]
    assert "4,20" in item_of(page(member_client, shop), shop, bread)

    catalog_services.product_update(product=bread, price=D("4.60"))

    entry = item_of(page(member_client, shop), shop, bread)
    assert "4,60" in entry
    assert "4,20" not in entry


def test_a_product_sold_out_by_an_order_shows_sold_out_without_a_form(member_client, shop):
    cheese = shop.products["cheese"]
    html = page(member_client, shop)
    assert "5 restants" in item_of(html, shop, cheese)
    assert form_of(html, cheese)

    # The counter moves as placing an order moves it: an UPDATE, nothing else touched.
    SaleItem.objects.filter(sale=shop.sale, product=cheese).update(quantity_ordered=D("5"))

    html = page(member_client, shop)
    assert "épuisé" in item_of(html, shop, cheese)
    assert form_of(html, cheese) == ""


def test_a_product_withdrawn_from_the_sale_goes_from_the_next_page(member_client, shop):
    soap = shop.products["soap"]
    assert link_of(shop, soap) in page(member_client, shop)

    SaleItem.objects.filter(sale=shop.sale, product=soap).update(is_unavailable=True)

    assert link_of(shop, soap) not in page(member_client, shop)


def test_a_renamed_producer_shows_on_the_next_page(member_client, shop):
    producer = shop.products["bread"].producer
    page(member_client, shop)

    producer.name = "Ferme des Trois Chênes"
    producer.save()

    assert "Ferme des Trois Chênes" in page(member_client, shop)


def test_each_member_reads_their_own_basket_in_the_shared_list(client, shop):
    bread, tomatoes = shop.products["bread"], shop.products["tomatoes"]
    anne, bruno = shop.member(), shop.member()
    services.basket_set_quantity(sale=shop.sale, product_id=bread.pk, quantity=D("3"), user=anne)
    services.basket_set_quantity(
        sale=shop.sale, product_id=tomatoes.pk, quantity=D("1.5"), user=bruno
    )

    client.force_login(anne)
    annes = page(client, shop)
    client.force_login(bruno)
    brunos = page(client, shop)

    assert 'value="3"' in form_of(annes, bread)
    assert "3 pièces dans le panier" in form_of(annes, bread)
    assert "dans le panier" not in form_of(annes, tomatoes)
    assert 'value="1,5"' in form_of(brunos, tomatoes)
    assert "dans le panier" not in form_of(brunos, bread)
    assert 'value="1"' in form_of(brunos, bread)  # the product's minimum, as for anyone


def test_the_list_is_shared_the_forms_carry_each_visitors_own_token(client, shop):
    """Built once (the second page reads the cache), without the first member's CSRF token."""
    client.force_login(shop.member())
    first = page(client, shop)
    other = client.__class__()
    other.force_login(shop.member())
    second = page(other, shop)

    assert [key for key in _keys() if key.startswith(":1:orders:shop-list:")]
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', first))
    assert tokens and not tokens & set(
        re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', second)
    )


def _keys() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM cabas_cache")
        return [row[0] for row in cursor.fetchall()]


def test_a_search_is_answered_beside_the_shared_list(member_client, shop):
    html = page(member_client, shop, q="tomme")

    assert shop.products["cheese"].name in html
    assert shop.products["bread"].name not in html


def test_the_list_in_english_is_another_list(client, shop):
    member = shop.member(language="en")
    client.force_login(shop.member())
    assert "Ajouter" in form_of(page(client, shop), shop.products["bread"])
    client.force_login(member)

    assert ">Add<" in form_of(page(client, shop), shop.products["bread"])


def _shop_queries(client, products: int, django_assert_max_num_queries, budget=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    shop = open_shop(extra_products=products - 5)
    member = shop.member()
    for product in list(shop.products.values())[::3]:
        services.basket_set_quantity(sale=shop.sale, product_id=product.pk,
                                     quantity=product.min_quantity, user=member)  # fmt: skip
    client.force_login(member)
    page(client, shop)  # the list built
    if budget is not None:
        with django_assert_max_num_queries(budget):
            page(client, shop)
        return budget
    with CaptureQueriesContext(connection) as queries:
        page(client, shop)
    return len(queries)


def test_the_shop_page_queries_do_not_grow_with_the_products(client, django_assert_max_num_queries):
    caches["default"].clear()
    ten = _shop_queries(client, 10, django_assert_max_num_queries)

    _shop_queries(client, 150, django_assert_max_num_queries, budget=ten)


def test_a_touched_product_changes_the_values_the_list_is_keyed_by(shop):
    """The ``updated_at`` values are read as text (cheaper than datetimes): they still tell a
    change made without any shown value changing (a photo replaced under the same name)."""
    from datetime import timedelta

    from django.utils import timezone

    from cabas.catalog.models import Product
    from cabas.orders import selectors

    before = selectors.shop_item_values(sale=shop.sale)
    bread = shop.products["bread"]
    Product.objects.filter(pk=bread.pk).update(updated_at=timezone.now() + timedelta(seconds=1))

    after = selectors.shop_item_values(sale=shop.sale)
    stamp = selectors.SHOWN_VALUES.index("product__updated_at")
    assert all(isinstance(row[stamp], str) for row in after)
    changed = [row_after[0] for row_before, row_after in zip(before, after, strict=True)
               if row_before != row_after]  # fmt: skip
    assert changed == [SaleItem.objects.get(sale=shop.sale, product=bread).pk]


def test_a_quantity_by_the_kilo_is_offered_alike_in_the_shared_list_and_its_page(
    member_client, shop
):
    tomatoes = shop.products["tomatoes"]  # by the kilo, from 0.5 kg
    field = re.compile(r'<input type="text" name="quantity"[^>]*>')
    page(member_client, shop)
    in_list = field.search(form_of(page(member_client, shop), tomatoes)).group(0)  # cached
    product_page = member_client.get(link_of(shop, tomatoes)).content.decode()
    on_its_page = field.search(form_of(product_page, tomatoes)).group(0)

    assert in_list == on_its_page
    # The minimum, ready to add with one tap, as a French person types it (core.forms).
    assert 'value="0,5"' in in_list
    bread = field.search(form_of(page(member_client, shop), shop.products["bread"])).group(0)
    assert 'value="1"' in bread


def test_each_quantity_box_says_its_unit_in_the_list_its_page_and_the_basket(client, shop):
    """The unit the box counts, beside it, by the one quantity text (kg for a weight, the
    pieces' word by the number in the box); the same in the shared list (built, then read
    from the cache), with a quantity in the basket, on the product's page and in the basket."""
    bread, tomatoes, chicken = (shop.products[name] for name in ("bread", "tomatoes", "chicken"))
    member = shop.member()
    services.basket_set_quantity(sale=shop.sale, product_id=bread.pk, quantity=D("3"), user=member)
    client.force_login(member)
    unit = re.compile(r'name="quantity"[^>]*> <span class="field-unit">([^<]*)</span>')

    def beside(html, product):
        return unit.search(form_of(html, product)).group(1).replace("\u00a0", " ")

    for listing in (page(client, shop), page(client, shop)):  # built, then cached
        assert beside(listing, tomatoes) == "kg"
        assert beside(listing, bread) == "pièces"  # 3 in the basket
        assert beside(listing, chicken).startswith("× ~")
    assert beside(client.get(link_of(shop, tomatoes)).content.decode(), tomatoes) == "kg"
    basket = reverse("orders:basket", kwargs={"slug": shop.organisation.slug,
                                              "sale_id": shop.sale.pk})  # fmt: skip
    assert beside(client.get(basket).content.decode(), bread) == "pièces"
    client.force_login(shop.member())
    assert beside(page(client, shop), bread) == "pièce"  # the minimum, 1
