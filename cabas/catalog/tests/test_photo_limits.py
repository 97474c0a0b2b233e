"""Photos and logos over the size or pixel limits are a form error, read from the image's
header before anything decodes it (a small PNG can unpack to gigabytes)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cabas.catalog.models import Product
from cabas.catalog.tests.test_views import PRODUCT_POST, _url
from cabas.orgs.forms import OrganisationForm

pytestmark = pytest.mark.django_db


def _png(size, mode="RGB") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_a_small_file_of_64_million_pixels_is_refused_and_nothing_saved(client, world):
    bomb = _png((8000, 8000), mode="1")  # a few kilobytes; 256 MB once decoded in RGBA
    assert bomb.size < 100_000
    client.force_login(world.users["producer"])

    response = client.post(_url("catalog:product_create", world), {**PRODUCT_POST, "image": bomb})

    assert response.status_code == 200
    assert response.context["form"].errors["image"] == [
        "La photo a trop de pixels : 50 millions au plus (par exemple 8000 × 6000)."
    ]
    assert not Product.objects.exists()


def test_a_photo_within_the_limits_is_kept(client, world, settings):
    settings.PHOTO_MAX_PIXELS = 640 * 480
    client.force_login(world.users["producer"])

    response = client.post(
        _url("catalog:product_create", world), {**PRODUCT_POST, "image": _png((640, 480))}
    )

    assert response.status_code == 302
    assert Product.objects.get().image.name


def test_a_file_over_the_size_limit_is_refused_before_being_read(client, world, settings):
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    client.force_login(world.users["producer"])
    big = SimpleUploadedFile("photo.jpg", b"\xff" * (1024 * 1024 + 1), content_type="image/jpeg")

    response = client.post(_url("catalog:product_create", world), {**PRODUCT_POST, "image": big})

    assert response.context["form"].errors["image"] == ["La photo dépasse 1 Mo."]
    assert not Product.objects.exists()


def test_an_organisation_logo_has_the_same_limits(world, settings):
    settings.PHOTO_MAX_PIXELS = 2_000_000
    form = OrganisationForm(
        data={"name": "Collectif A"}, files={"logo": _png((2000, 1001))}, instance=world.org_a
    )

    assert not form.is_valid()
    assert form.errors["logo"] == [
        "La photo a trop de pixels : 2 millions au plus (par exemple 8000 × 6000)."
    ]
