"""The services keep a product's search text and its photo's thumbnail: written once, when
the product (or its producer) is written, never when the shop is shown."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cabas.catalog import services
from cabas.catalog.models import Product
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory

pytestmark = pytest.mark.django_db


def _photo(name="chevre.png", size=(640, 480), mode="RGB") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new(mode, size, (30, 110, 60, 128) if mode == "RGBA" else (30, 110, 60)).save(
        buffer, format="PNG"
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def producer(world):
    producer = ProducerFactory(name="Chèvrerie des Œillets")
    ProducerLinkFactory(organisation=world.org_a, producer=producer)
    return producer


def _create(world, producer, **fields):
    fields = {"name": "Crottin de chèvre", "price": Decimal("3.20"), "vat_rate": Decimal("5.50"),
              **fields}  # fmt: skip
    return services.product_create(organisation=world.org_a, producer=producer, **fields)


def test_the_search_text_follows_the_product_and_its_producer(world, producer):
    product = _create(world, producer, description="Affiné 3 semaines")
    assert product.search_text == " crottin de chevre affine 3 semaine chevrerie des oeillet"

    services.product_update(product=product, name="Bûchettes")
    services.producer_update(producer=producer, name="Ferme Œuf")

    product.refresh_from_db()
    assert product.search_text == " buchette affine 3 semaine ferme oeuf"


def test_a_photo_gets_its_thumbnail_beside_it_when_uploaded(world, producer):
    product = _create(world, producer, image=_photo(mode="RGBA"))

    assert product.image.name == "products/chevre.png"
    first = product.thumbnail.name
    assert first.startswith("products/chevre.png.") and first != product.image.name
    with Image.open(product.thumbnail.path) as thumbnail:
        assert thumbnail.size == (160, 160)

    services.product_update(product=product, price=Decimal("3.50"))  # the photo is unchanged
    assert Product.objects.get(pk=product.pk).thumbnail.name == first

    services.product_update(product=product, image=_photo("buche.png"))
    assert Product.objects.get(pk=product.pk).thumbnail.name.startswith("products/buche.png.")

    services.product_update(product=product, image=False)  # "clear" ticked on the form
    product.refresh_from_db()
    assert (product.image.name, product.thumbnail.name) == ("", "")


def test_an_unreadable_photo_gets_no_thumbnail_and_the_product_is_saved(world, producer):
    broken = SimpleUploadedFile("broken.png", b"not a picture", content_type="image/png")

    product = _create(world, producer, image=broken)

    assert Product.objects.get(pk=product.pk).thumbnail.name == ""


def test_a_duplicate_has_no_photo_and_its_own_search_text(world, producer):
    product = _create(world, producer, image=_photo())

    copy = services.product_duplicate(product=product)

    assert (copy.image.name, copy.thumbnail.name) == ("", "")
    assert copy.search_text.startswith(" crottin de chevre copie")


def test_the_catalog_list_searches_the_same_way_and_by_reference(world, producer):
    from cabas.catalog.selectors import product_list

    goat = _create(world, producer, reference="CHV-01")
    _create(world, producer, name="Œufs frais", reference="OEU-06")

    def names(search):
        return [p.name for p in product_list(organisation=world.org_a, search=search)]

    assert names("crottin chevre") == [goat.name]
    assert names("oeuf") == ["Œufs frais"]
    assert names("chv-0") == [goat.name]  # part of a reference


def test_a_producer_uploads_then_clears_a_photo_through_the_form(client, world):
    from cabas.catalog.tests.test_views import PRODUCT_POST, _url

    client.force_login(world.users["producer"])
    client.post(_url("catalog:product_create", world), {**PRODUCT_POST, "image": _photo()})
    product = Product.objects.get()
    assert product.thumbnail.name.startswith(product.image.name + ".")

    response = client.post(
        _url("catalog:product_edit", world, pk=product.pk), {**PRODUCT_POST, "image-clear": "on"}
    )

    assert response.status_code == 302  # it was a server error
    product.refresh_from_db()
    assert (product.image.name, product.thumbnail.name) == ("", "")
