"""The page "Importer un catalogue DFC": a file or an address, the refresh option, who may
import for whom, and bad input refused with nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cabas.catalog.models import Product, ProductImport
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory
from cabas.dfc.models import CatalogSource

from .importing import vector
from .test_import_fetching import _Handler, server  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _url(world):
    return reverse("dfc:catalog_import", args=[world.org_a.slug])


def _upload(content=None, name="catalogue.jsonld"):
    content = vector("ofn_catalog_items.json") if content is None else content
    return SimpleUploadedFile(name, content)


def _post(client, world, data, user="coordinator"):
    client.force_login(world.users[user])
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(_url(world), data)


def _nothing_written():
    assert not ProductImport.objects.exists()
    assert not CatalogSource.objects.exists()
    assert not Product.objects.exists()


def test_the_page_is_linked_from_the_product_import(client, world):
    client.force_login(world.users["coordinator"])

    page = client.get(reverse("catalog:import", args=[world.org_a.slug])).content.decode()

    assert _url(world) in page
    assert "Importer un catalogue DFC" in client.get(_url(world)).content.decode()


def test_a_coordinator_uploads_a_file_sees_the_preview_and_confirms(client, world):
    response = _post(client, world, {"producer": world.producer.pk, "file": _upload(),
                                     "refresh": "never"})  # fmt: skip

    product_import = ProductImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("catalog:import_detail", args=[world.org_a.slug,
                                                                  product_import.pk])  # fmt: skip
    assert (product_import.status, product_import.file_format) == ("ready", "dfc")
    page = client.get(response.url).content.decode()
    assert "3 nouveaux produits" in page and "Confiture de fraises" in page
    assert not Product.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("catalog:import_confirm", args=[world.org_a.slug, product_import.pk]))
    assert Product.objects.filter(producer=world.producer).count() == 3


def test_an_address_with_a_daily_refresh_is_kept_and_fetched_by_the_worker(client, world, server):  # noqa: F811
    _httpd, base = server
    _Handler.routes["/catalog"] = (200, {}, vector("ofn_catalog_items.json"))

    response = _post(client, world, {"producer": world.producer.pk,
                                     "url": f"{base}/catalog", "refresh": "daily"})  # fmt: skip

    assert response.status_code == 302
    source = CatalogSource.objects.get()
    assert (source.url, source.refresh, source.producer) == (f"{base}/catalog", "daily",
                                                              world.producer)  # fmt: skip
    assert source.next_refresh_at > timezone.now() + timezone.timedelta(hours=23)
    product_import = ProductImport.objects.get()
    assert source.last_import == product_import
    assert (product_import.status, product_import.to_create) == ("ready", 3)
    assert bytes(product_import.content) == vector("ofn_catalog_items.json")


def test_an_address_that_does_not_answer_makes_an_invalid_import_and_a_source_error(
    client,
    world,
    server,  # noqa: F811
):
    _httpd, base = server

    _post(client, world, {"producer": world.producer.pk, "url": f"{base}/none",
                          "refresh": "never"})  # fmt: skip

    product_import = ProductImport.objects.get()
    assert product_import.status == "invalid" and "404" in product_import.errors[0]["reason"]
    assert "404" in CatalogSource.objects.get().last_error
    assert not Product.objects.exists()


def test_a_producer_imports_for_its_own_producer_only(client, world):
    other = ProducerFactory(name="Ferme voisine")
    ProducerLinkFactory(organisation=world.org_a, producer=other)

    response = _post(client, world, {"producer": other.pk, "file": _upload(),
                                     "refresh": "never"}, user="producer")  # fmt: skip

    assert response.status_code == 302
    product_import = ProductImport.objects.get()
    assert (product_import.producer, product_import.only_own_producer) == (world.producer, True)
    assert CatalogSource.objects.get().producer == world.producer


@pytest.mark.parametrize(
    "data, message",
    [
        ({"refresh": "never"}, "Donnez une adresse ou un fichier"),
        ({"url": "https://93.184.216.34/catalog", "file": "UPLOAD", "refresh": "never"},
         "Donnez une adresse ou un fichier"),
        ({"url": "ftp://93.184.216.34/catalog.json", "refresh": "never"}, "http et https"),
        ({"url": "pas une adresse", "refresh": "never"}, "Saisissez une URL valide"),
        ({"url": "http://127.0.0.1:8000/x", "refresh": "never"}, "réseau privé ou local"),
        ({"url": "http://169.254.169.254/latest", "refresh": "daily"}, "réseau privé ou local"),
        ({"file": "UPLOAD", "refresh": "daily"}, "Seule une adresse peut être relue"),
        ({"file": b"{not json", "refresh": "never"}, "Ce fichier n’est pas du JSON"),
        ({"file": ("catalogue.csv", b"{}"), "refresh": "never"}, "fichier .json ou .jsonld"),
        ({"file": "BIG", "refresh": "never"}, "plus de 1 Mo"),
    ],
)  # fmt: skip
def test_bad_input_is_a_form_error_and_writes_nothing(client, world, settings, data, message):
    settings.CATALOG_IMPORT_MAX_BYTES = 1024 * 1024
    data = {"producer": world.producer.pk, **data}
    upload = data.get("file")
    if upload == "UPLOAD":
        data["file"] = _upload()
    elif upload == "BIG":
        data["file"] = _upload(b" " * (1024 * 1024 + 1))
    elif isinstance(upload, tuple):
        data["file"] = _upload(upload[1], name=upload[0])
    elif isinstance(upload, bytes):
        data["file"] = _upload(upload)

    response = _post(client, world, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    _nothing_written()


def _sources(world, count):
    for number in range(count):
        CatalogSource.objects.create(
            organisation=world.org_a, producer=world.producer, refresh="weekly",
            url=f"https://93.184.216.{number}/catalog", last_error="<b>404</b>",
        )  # fmt: skip


def test_the_sources_are_listed_with_their_errors_escaped_in_constant_queries(client, world):
    client.force_login(world.users["coordinator"])
    _sources(world, 1)
    client.get(_url(world))
    with CaptureQueriesContext(connection) as one:
        client.get(_url(world))
    CatalogSource.objects.all().delete()
    _sources(world, 6)
    with CaptureQueriesContext(connection) as six:
        page = client.get(_url(world)).content.decode()

    assert len(six) == len(one)
    assert page.count("&lt;b&gt;404&lt;/b&gt;") == 6 and "<b>404</b>" not in page


def test_a_producer_sees_only_its_own_producer_s_sources(client, world):
    other = ProducerFactory(name="Ferme voisine")
    ProducerLinkFactory(organisation=world.org_a, producer=other)
    CatalogSource.objects.create(organisation=world.org_a, producer=other,
                                 url="https://93.184.216.1/other")  # fmt: skip
    CatalogSource.objects.create(organisation=world.org_a, producer=world.producer,
                                 url="https://93.184.216.2/own")  # fmt: skip
    client.force_login(world.users["producer"])

    page = client.get(_url(world)).content.decode()

    assert "93.184.216.2/own" in page and "93.184.216.1/other" not in page


def test_the_preview_page_names_the_node_and_property_of_each_error(client, world):
    document = vector("ofn_catalog_items.json").replace(b'"dfc-m:Euro"', b'"dfc-m:USDollar"', 1)

    response = _post(client, world, {"producer": world.producer.pk,
                                     "file": _upload(document), "refresh": "never"})  # fmt: skip

    page = client.get(response.url).content.decode()
    assert "Rien n’a été importé" in page or "Rien n'a été importé" in page
    assert "dfc-b:hasUnit" in page
    assert "Nœud https://ofn.example/api/dfc/enterprises/10000/offers/10001" in page
    assert not Product.objects.exists()
