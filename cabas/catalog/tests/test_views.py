"""Producer self-service and the coordinators' catalog pages."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cabas.catalog.models import Producer, ProducerLink, Product
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory

pytestmark = pytest.mark.django_db

PRODUCT_POST = {
    "name": "Crottin de chèvre",
    "category": "dairy-cheese",
    "unit_kind": "piece",
    "unit_label": "pièce",
    "price": "2.60",
    "vat_rate": "5.50",
    "min_quantity": "1",
    "quantity_step": "1",
    "stock_mode": "unlimited",
    "is_active": "on",
}


def _url(name, world, **kwargs):
    return reverse(name, kwargs={"slug": world.org_a.slug, **kwargs})


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 110, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile("chevre.png", buffer.getvalue(), content_type="image/png")


def test_a_producer_lists_only_its_own_products(client, world):
    mine = ProductFactory(organisation=world.org_a, producer=world.producer, name="Mon fromage")
    ProductFactory(organisation=world.org_a, name="Le miel du voisin")
    client.force_login(world.users["producer"])

    page = client.get(_url("catalog:products", world)).content.decode()

    assert mine.name in page
    assert "Le miel du voisin" not in page


def test_a_producer_cannot_open_or_change_another_producers_product(client, world):
    other = ProductFactory(organisation=world.org_a, price=Decimal("5.00"))
    client.force_login(world.users["producer"])

    assert client.get(_url("catalog:product_edit", world, pk=other.pk)).status_code == 404
    response = client.post(
        _url("catalog:product_quick", world, pk=other.pk), {"price": "0.01", "is_active": ""}
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert (other.price, other.is_active) == (Decimal("5.00"), True)


def test_a_producer_adds_a_product_with_a_photo_and_sees_its_thumbnail(client, world):
    client.force_login(world.users["producer"])

    response = client.post(_url("catalog:product_create", world), {**PRODUCT_POST, "image": _png()})

    assert response.status_code == 302
    product = Product.objects.get(name="Crottin de chèvre")
    assert product.producer == world.producer  # a producer adds to its own producer only
    assert product.image.name.startswith("products/")
    page = client.get(_url("catalog:products", world)).content.decode()
    assert "chevre.png.96x96" in page  # the thumbnail, not the full photo


def test_a_coordinator_adds_a_product_for_any_producer_and_bad_input_saves_nothing(client, world):
    other = ProducerFactory()
    ProducerLinkFactory(organisation=world.org_a, producer=other)
    client.force_login(world.users["coordinator"])

    response = client.post(
        _url("catalog:product_create", world),
        {**PRODUCT_POST, "producer": other.pk, "quantity_step": "0.5"},
    )
    assert response.status_code == 200
    assert "quantity_step" in response.context["form"].errors
    assert not Product.objects.exists()

    response = client.post(
        _url("catalog:product_create", world), {**PRODUCT_POST, "producer": other.pk}
    )
    assert response.status_code == 302
    assert Product.objects.get().producer == other


def test_quick_edit_with_htmx_swaps_the_row(client, world):
    product = ProductFactory(
        organisation=world.org_a,
        producer=world.producer,
        stock_mode="shop",
        stock_quantity=Decimal("4"),
    )
    client.force_login(world.users["producer"])

    response = client.post(
        _url("catalog:product_quick", world, pk=product.pk),
        {"price": "3.10", "quantity": "12", "is_active": "on"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="product-{product.pk}"')
    product.refresh_from_db()
    assert (product.price, product.stock_quantity) == (Decimal("3.10"), Decimal("12"))
    assert product.stock_movements.get().delta == Decimal("8")


def test_quick_edit_without_script_redirects_and_a_bad_price_changes_nothing(client, world):
    product = ProductFactory(organisation=world.org_a, producer=world.producer)
    client.force_login(world.users["producer"])
    url = _url("catalog:product_quick", world, pk=product.pk)

    ok = client.post(url, {"price": "2.90", "is_active": "on"})
    bad = client.post(url, {"price": "-4", "is_active": ""}, headers={"HX-Request": "true"})

    assert ok.status_code == 302
    assert bad.status_code == 422
    assert 'role="alert"' in bad.content.decode()
    product.refresh_from_db()
    assert (product.price, product.is_active) == (Decimal("2.90"), True)


def test_duplicate_opens_the_inactive_copy(client, world):
    product = ProductFactory(organisation=world.org_a, producer=world.producer, reference="X1")
    client.force_login(world.users["producer"])

    response = client.post(_url("catalog:product_duplicate", world, pk=product.pk))

    copy = Product.objects.exclude(pk=product.pk).get()
    assert response.url == _url("catalog:product_edit", world, pk=copy.pk)
    assert copy.is_active is False


def test_the_product_list_uses_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.users["coordinator"])
    url = _url("catalog:products", world)
    ProductFactory.create_batch(5, organisation=world.org_a, producer=world.producer)
    with django_assert_max_num_queries(15):
        client.get(url)
    ProductFactory.create_batch(60, organisation=world.org_a)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert len(response.context["products"]) == 65


def test_search_and_category_filters(client, world):
    ProductFactory(organisation=world.org_a, name="Tomme", category="dairy-cheese")
    ProductFactory(organisation=world.org_a, name="Tomates", category="vegetables-fresh")
    client.force_login(world.users["coordinator"])

    by_family = client.get(_url("catalog:products", world), {"category": "dairy"})
    by_text = client.get(_url("catalog:products", world), {"q": "tomat"})

    assert [p.name for p in by_family.context["products"]] == ["Tomme"]
    assert [p.name for p in by_text.context["products"]] == ["Tomates"]


def test_a_coordinator_creates_a_temporary_producer_and_bad_siret_creates_nothing(client, world):
    client.force_login(world.users["coordinator"])
    url = _url("catalog:producer_create", world)

    bad = client.post(url, {"name": "Safran", "siret": "12345678901234", "status": "active"})
    assert bad.status_code == 200
    assert "siret" in bad.context["form"].errors
    no_date = client.post(url, {"name": "Safran", "status": "temporary"})
    assert no_date.status_code == 200
    assert Producer.objects.filter(name="Safran").count() == 0

    good = client.post(url, {"name": "Safran", "status": "temporary", "end_date": "2030-01-31"})
    assert good.status_code == 302
    link = ProducerLink.objects.get(producer__name="Safran")
    assert (link.status, str(link.end_date)) == ("temporary", "2030-01-31")


def test_a_producer_edits_its_own_producer_only(client, world):
    neighbour = ProducerFactory(name="Voisin")
    ProducerLinkFactory(organisation=world.org_a, producer=neighbour)
    client.force_login(world.users["producer"])

    own = client.post(_url("catalog:producer_edit", world, pk=world.producer.pk), {"name": "Nom"})
    other = client.post(_url("catalog:producer_edit", world, pk=neighbour.pk), {"name": "X"})

    assert own.status_code == 302
    assert other.status_code == 404
    neighbour.refresh_from_db()
    assert neighbour.name == "Voisin"


def test_stock_adjustment_page(client, world):
    product = ProductFactory(
        organisation=world.org_a, producer=world.producer, stock_mode="shop", stock_quantity=2
    )
    client.force_login(world.users["producer"])
    url = _url("catalog:stock_adjust", world, pk=product.pk)

    refused = client.post(url, {"delta": "-5", "reason": "breakage"})
    accepted = client.post(url, {"delta": "10", "reason": "reception", "note": "Biocoop"})

    assert refused.status_code == 200
    assert accepted.status_code == 302
    product.refresh_from_db()
    assert product.stock_quantity == Decimal("12")
    movement = product.stock_movements.get()
    assert (movement.reason, movement.note, movement.delta) == ("reception", "Biocoop", 10)


def _queries_of(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _catalog_of(world, count: int) -> None:
    """``count`` products (in total) of the world's producer and of a second one."""
    other = ProducerFactory(name="Ferme voisine")
    ProducerLinkFactory(organisation=world.org_a, producer=other)
    existing = Product.objects.filter(organisation=world.org_a).count()
    ProductFactory.create_batch(
        (count - existing) // 2, organisation=world.org_a, producer=world.producer
    )
    ProductFactory.create_batch(
        count - existing - (count - existing) // 2, organisation=world.org_a, producer=other
    )


@pytest.mark.parametrize("persona", ["producer", "coordinator", None])
def test_product_lists_cost_the_same_queries_for_10_and_500_products(client, world, persona):
    url = (
        _url("catalog:products", world)
        if persona
        else reverse("site:public", kwargs={"slug": world.org_a.slug})
    )
    if persona:
        client.force_login(world.users[persona])
    _catalog_of(world, 10)
    client.get(url)  # the first page of a visit writes the organisation into the session
    with_10 = _queries_of(client, url)
    ProducerLink.objects.filter(producer__name="Ferme voisine").delete()
    _catalog_of(world, 500)

    assert Product.objects.filter(organisation=world.org_a).count() == 500
    client.get(url)  # the public page keeps its list (site.public_page): both counts kept
    assert _queries_of(client, url) == with_10


def test_the_public_page_lists_producers_and_products_with_optional_prices(client, world):
    ProductFactory(organisation=world.org_a, producer=world.producer, name="Tomme",
                   price=Decimal("7.20"))  # fmt: skip
    ProductFactory(organisation=world.org_a, producer=world.producer, name="Ancien",
                   is_active=False)  # fmt: skip
    left = ProducerFactory(name="Ferme partie")
    ProducerLinkFactory(organisation=world.org_a, producer=left, status="left")
    ProductFactory(organisation=world.org_a, producer=left, name="Produit parti")
    url = reverse("site:public", kwargs={"slug": world.org_a.slug})

    page = client.get(url).content.decode()

    assert world.producer.name in page and "Tomme" in page and "7,20\u00a0€" in page
    assert "Ancien" not in page and "Produit parti" not in page
    world.org_a.public_prices = False
    world.org_a.save()
    page = client.get(url).content.decode()
    assert "Tomme" in page and "7,20" not in page


def test_prices_and_stock_are_typed_the_french_way(client, world):
    """A French producer types "3,10" and "39,5": a comma works as well as a point; the fields
    give back plain values ("3.10") and the page reads "3,10 €"; a bad number is refused in
    French and changes nothing."""
    product = ProductFactory(
        organisation=world.org_a, producer=world.producer, unit_kind="weight",
        price=Decimal("2.90"), stock_mode="shop", stock_quantity=Decimal("40"),
    )  # fmt: skip
    client.force_login(world.users["producer"])
    url = _url("catalog:product_quick", world, pk=product.pk)

    ok = client.post(url, {"price": "3,10", "quantity": "39,5", "is_active": "on"},
                     headers={"HX-Request": "true", "accept-language": "fr"})  # fmt: skip
    bad = client.post(url, {"price": "3,1,0", "quantity": "1", "is_active": "on"},
                      headers={"HX-Request": "true", "accept-language": "fr"})  # fmt: skip

    body = ok.content.decode()
    assert 'name="price" value="3,10" inputmode="decimal"' in body
    assert 'name="quantity" value="39,5" inputmode="decimal"' in body
    assert 'type="number"' not in body
    assert bad.status_code == 422
    assert "Saisissez un nombre, par exemple 2 ou 0,5." in bad.content.decode()
    product.refresh_from_db()
    assert (product.price, product.stock_quantity) == (Decimal("3.10"), Decimal("39.5"))


def test_the_product_form_takes_commas_and_shows_french_vat_rates(client, world):
    client.force_login(world.users["producer"])
    post = {**PRODUCT_POST, "unit_kind": "weight", "unit_label": "", "price": "3,10",
            "min_quantity": "0,5", "quantity_step": "0,1"}  # fmt: skip

    form = client.get(_url("catalog:product_create", world), headers={"accept-language": "fr"})
    client.post(_url("catalog:product_create", world), post)

    product = Product.objects.get()
    assert (product.price, product.min_quantity, product.quantity_step) == (
        Decimal("3.10"),
        Decimal("0.5"),
        Decimal("0.1"),
    )
    page = form.content.decode()
    assert "5,5\u00a0%" in page and "5.50 %" not in page
    edit = client.get(_url("catalog:product_edit", world, pk=product.pk)).content.decode()
    assert 'name="min_quantity" value="0,5"' in edit and 'name="price" value="3,10"' in edit


def test_a_negative_quantity_step_or_content_says_so_in_french_once_and_saves_nothing(
    client, world
):
    """The database's rules reach the form with a French sentence, not the constraint's name,
    and a sentence above the fields is not written twice."""
    client.force_login(world.users["producer"])
    post = {**PRODUCT_POST, "unit_kind": "weight", "unit_label": "", "min_quantity": "0,5",
            "quantity_step": "-1", "content_quantity": "-5", "content_unit": "g"}  # fmt: skip

    response = client.post(
        _url("catalog:product_create", world), post, headers={"accept-language": "fr"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "product_quantity_step_positive" not in page
    assert page.count("Le pas de quantité doit être supérieur à zéro.") == 1
    assert "Indiquez un contenu supérieur à zéro." in page
    assert "0.001" not in page
    assert not Product.objects.exists()


def test_the_category_filters_read_toutes_in_french(client, world):
    """« Catégorie : Toutes » on the products and on the stock (the word is feminine)."""
    client.force_login(world.users["coordinator"])

    products = client.get(
        _url("catalog:products", world), headers={"accept-language": "fr"}
    ).content.decode()

    category = products.split('name="category"')[1].split("</select>")[0]
    assert ">Toutes</option>" in category and ">Tous</option>" not in category
    status = products.split('name="active"')[1].split("</select>")[0]
    assert ">Tous</option>" in status
