"""The shop on a phone and the basket page, as a member's browser (or htmx) reads them: search
without accents, case nor plural; sections by family with their navigation; photos; the basket
bar; the basket's amounts following each change; the same queries for 10 and 150 products."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.catalog.tests.factories import ProductFactory
from cabas.orders import services
from cabas.orders.models import BasketLine
from cabas.orders.tests.factories import open_shop
from cabas.sales import services as sales_services

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def shop():
    shop = open_shop()
    common = {"organisation": shop.organisation, "producer": shop.products["bread"].producer}
    for key, name, category in [
        ("goat", "Crottin de chèvre", "dairy-cheese"),
        ("eggs", "Œufs frais de plein air", "eggs"),
        ("potatoes", "Pommes de terre nouvelles", "vegetables-potatoes"),
        ("apple_juice", "Jus de pomme", "drinks-juice"),
    ]:
        shop.products[key] = ProductFactory(**common, name=name, category=category)
    sales_services.sale_items_sync(sale=shop.sale)
    return shop


def url(shop, name, **kwargs):
    return reverse(f"orders:{name}", kwargs={"slug": shop.organisation.slug, **kwargs})


def shop_page(client, shop, **query) -> str:
    return client.get(url(shop, "sale_shop", sale_id=shop.sale.pk), query).content.decode()


def found(client, shop, query) -> list[str]:
    """The names of the products listed (by the link to each product's page)."""
    page = shop_page(client, shop, q=query)
    return [
        product.name
        for product in shop.products.values()
        if url(shop, "product", sale_id=shop.sale.pk, product_id=product.pk) in page
    ]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("chevre", ["Crottin de chèvre"]),
        ("CHÈVRES", ["Crottin de chèvre"]),
        ("oeufs", ["Œufs frais de plein air"]),
        ("œuf", ["Œufs frais de plein air"]),
        ("pomme de terre", ["Pommes de terre nouvelles"]),
        ("terre  pommes", ["Pommes de terre nouvelles"]),  # every word, in any order
        ("pomme", ["Pommes de terre nouvelles", "Jus de pomme"]),
        ("pomme jus", ["Jus de pomme"]),
        ("cerou", "all"),  # the producer, Ferme du Cérou, makes every product
        ("chevre oeufs", []),
        ("ome", []),  # the start of a word, not any part of it
    ],
)
def test_search_ignores_accents_case_and_plural(client, shop, query, names):
    if names == "all":
        names = [product.name for product in shop.products.values()]
    assert sorted(found(client, shop, query)) == sorted(names)


def test_a_search_says_how_many_products_it_found_and_leads_back_to_all(client, shop):
    page = shop_page(client, shop, q="Pomme")

    assert "2 produits trouvés pour « Pomme »." in page
    assert (
        f'<a href="{url(shop, "sale_shop", sale_id=shop.sale.pk)}">Voir tous les produits' in page
    )


def test_sections_follow_the_category_tree_with_a_navigation_to_each(client, shop):
    page = shop_page(client, shop)

    anchors = ["cat-vegetables", "cat-dairy", "cat-meat", "cat-eggs", "cat-bakery",
               "cat-drinks", "cat-hygiene"]  # fmt: skip
    positions = [page.index(f'<section id="{anchor}"') for anchor in anchors]
    assert positions == sorted(positions)
    navigation = page[page.index('class="category-nav"') : positions[0]]
    assert [f'href="#{anchor}"' in navigation for anchor in anchors] == [True] * len(anchors)
    assert "Crèmerie et fromages" in navigation or "Dairy and cheese" in navigation
    # Filtered down to one family, the navigation has nothing to offer.
    assert 'class="category-nav"' not in shop_page(client, shop, category="dairy")


def test_products_show_their_thumbnail_or_a_placeholder(client, shop):
    bread = shop.products["bread"]
    bread.image, bread.thumbnail = "products/pain.jpg", "products/pain-thumb.jpg"
    bread.save()

    page = shop_page(client, shop)

    assert (
        '<img src="/media/products/pain-thumb.jpg" alt="" loading="lazy" width="80" height="80"'
        in page
    )
    assert "products/pain.jpg" not in page  # not the full photo
    assert page.count("img/product-placeholder.svg") == len(shop.products) - 1


def test_the_basket_bar_follows_each_addition(client, shop):
    response = client.post(
        url(shop, "basket_set", sale_id=shop.sale.pk),
        {"product": shop.products["tomatoes"].pk, "quantity": "1,5"},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    bar = body[body.index('id="basket-summary"') :]
    assert 'hx-swap-oob="true"' in body[body.index("<aside") : body.index("<aside") + 120]
    assert "Panier : 1 produit" in bar and "6,00\u00a0€" in bar and "Commander" in bar


@pytest.mark.parametrize("quantity", ["", "   "])
def test_an_emptied_quantity_box_keeps_the_products_form_with_the_message(client, shop, quantity):
    """On a phone, clearing the box and tapping the button must not make the form vanish."""
    tomatoes = shop.products["tomatoes"]
    response = client.post(
        url(shop, "basket_set", sale_id=shop.sale.pk),
        {"product": tomatoes.pk, "quantity": quantity},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert f'<form id="qty-{tomatoes.pk}"' in body
    assert "Indiquez une quantité." in body


def _set(client, shop, name, quantity, *, htmx=True):
    return client.post(
        url(shop, "basket_set", sale_id=shop.sale.pk),
        {"product": shop.products[name].pk, "quantity": quantity, "context": "basket",
         "next": url(shop, "basket", sale_id=shop.sale.pk)},
        headers={"HX-Request": "true"} if htmx else {},
    )  # fmt: skip


def _line(body, shop, name) -> str:
    start = body.index(f'id="line-{shop.products[name].pk}"')
    return body[start : body.index("</tr>", start)]


def test_on_the_basket_page_amounts_total_and_lines_follow_every_change(client, shop):
    client.force_login(shop.member())
    _set(client, shop, "bread", "2")
    _set(client, shop, "tomatoes", "1")

    response = _set(client, shop, "bread", "3")  # 3 × 4,20

    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="basket-lines"')
    assert "12,60\u00a0€" in _line(body, shop, "bread")
    assert "16,60\u00a0€" in body[body.index("<tfoot") :]
    assert "Panier : 2 produits" in body
    removed = _set(client, shop, "bread", "0").content.decode()
    assert f'id="line-{shop.products["bread"].pk}"' not in removed
    assert "4,00\u00a0€" in removed[removed.index("<tfoot") :]
    assert "Panier : 1 produit" in removed


def test_without_script_the_basket_page_reloads_with_the_new_amounts(client, shop):
    client.force_login(shop.member())
    _set(client, shop, "bread", "2", htmx=False)
    _set(client, shop, "tomatoes", "1", htmx=False)

    response = _set(client, shop, "bread", "3", htmx=False)
    assert response.status_code == 302 and response.url.endswith("/basket/")
    page = client.get(response.url).content.decode()
    assert "12,60\u00a0€" in _line(page, shop, "bread") and "16,60\u00a0€" in page

    _set(client, shop, "tomatoes", "0", htmx=False)
    page = client.get(url(shop, "basket", sale_id=shop.sale.pk)).content.decode()
    assert f'id="line-{shop.products["tomatoes"].pk}"' not in page
    assert "12,60\u00a0€" in page[page.index("<tfoot") :]


def test_a_refused_quantity_on_the_basket_page_says_why_on_its_line_and_changes_nothing(
    client, shop
):
    client.force_login(shop.member())
    _set(client, shop, "bread", "2")

    response = _set(client, shop, "bread", "1,5")

    assert response.status_code == 422
    body = response.content.decode()
    assert 'role="alert"' in _line(body, shop, "bread") and "8,40\u00a0€" in body
    assert BasketLine.objects.get().quantity == 2


# --- Query budgets: the shop is the hot path ---------------------------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def _shop_and_basket(client, products: int) -> dict:
    shop = open_shop(extra_products=products - 5)
    member = shop.member()
    for index, product in enumerate(shop.products.values()):
        if index % 2:
            product.image = f"products/p{index}.jpg"
            product.thumbnail = f"products/p{index}-thumb.jpg"
            product.save(update_fields=["image", "thumbnail"])
        if index % 3 == 0:
            services.basket_set_quantity(sale=shop.sale, product_id=product.pk,
                                         quantity=product.min_quantity, user=member)  # fmt: skip
    client.force_login(member)
    return {
        "shop": _queries(client, url(shop, "sale_shop", sale_id=shop.sale.pk)),
        "search": _queries(client, url(shop, "sale_shop", sale_id=shop.sale.pk) + "?q=legume"),
        "basket": _queries(client, url(shop, "basket", sale_id=shop.sale.pk)),
    }


def test_the_shop_and_the_basket_cost_the_same_queries_for_10_and_150_products(client):
    assert _shop_and_basket(client, 10) == _shop_and_basket(client, 150)
