"""Hostile input to the DFC pages (connections/tokens, catalog import): long or HTML names,
scopes and ids posted by hand, missing CSRF, local addresses, empty, foreign or huge files.
Each is a form error or a 404/403, writes nothing and is escaped on the page."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from cabas.catalog.models import Product, ProductImport
from cabas.dfc.models import CatalogSource, DfcToken
from cabas.dfc.services import dfc_token_create

from .importing import vector

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]

XSS = '<img src=x onerror="alert(1)">'


def _tokens_url(world):
    return reverse("dfc:tokens", kwargs={"slug": world.org_a.slug})


def _import_url(world):
    return reverse("dfc:catalog_import", args=[world.org_a.slug])


def _login(client, world, persona):
    client.force_login(world.users[persona])
    return client


@pytest.mark.parametrize("name", ["x" * 10_000, "   ", "\u200b\u200b", "\u202e \u2066"])
def test_odd_token_names_are_form_errors(client, world, name):
    _login(client, world, "member")

    response = client.post(_tokens_url(world), {"name": name, "scopes": ["products:read"]})

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not DfcToken.objects.exists()


def test_a_token_name_with_a_nul_character_is_refused(client, world):
    _login(client, world, "member")

    response = client.post(_tokens_url(world), {"name": "a\x00b", "scopes": ["products:read"]})

    assert response.status_code == 400
    assert not DfcToken.objects.exists()


def test_a_token_name_with_html_is_escaped(client, world):
    _login(client, world, "member")

    response = client.post(
        _tokens_url(world), {"name": XSS, "scopes": ["products:read"]}, follow=True
    )
    page = client.get(_tokens_url(world)).content.decode()

    assert response.status_code == 200
    assert XSS not in response.content.decode() and XSS not in page
    assert "&lt;img src=x" in response.content.decode()
    assert "&lt;img src=x" in page


@pytest.mark.parametrize("scopes", [["products:write"], ["admin"], ["<b>"], []])
def test_scopes_not_offered_posted_by_hand_are_refused(client, world, scopes):
    _login(client, world, "member")

    response = client.post(_tokens_url(world), {"name": "OFN", "scopes": scopes})

    assert response.status_code == 200
    assert "scopes" in response.context["form"].errors
    assert not DfcToken.objects.exists()


@pytest.mark.parametrize("pk", ["99999999999999999999", "0"])
def test_revoking_an_unknown_token_is_a_404(client, world, pk):
    _login(client, world, "member")

    response = client.post(f"/o/{world.org_a.slug}/dfc/tokens/{pk}/revoke/")

    assert response.status_code == 404


def test_revoking_someone_elses_token_is_a_404_and_keeps_it(client, world):
    other = dfc_token_create(
        organisation=world.org_a, user=world.users["producer"], name="OFN",
        scopes=["products:read"],
    ).token  # fmt: skip
    _login(client, world, "member")

    response = client.post(
        reverse("dfc:token_revoke", kwargs={"slug": world.org_a.slug, "pk": other.pk})
    )

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_without_csrf_nothing_is_created_or_revoked(world):
    token = dfc_token_create(
        organisation=world.org_a, user=world.users["member"], name="OFN",
        scopes=["products:read"],
    ).token  # fmt: skip
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["member"])

    create = client.post(_tokens_url(world), {"name": "X", "scopes": ["products:read"]})
    revoke = client.post(
        reverse("dfc:token_revoke", kwargs={"slug": world.org_a.slug, "pk": token.pk})
    )

    assert (create.status_code, revoke.status_code) == (403, 403)
    assert DfcToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_methods_on_the_pages_never_fail(client, world, method):
    _login(client, world, "coordinator")

    for url in (_tokens_url(world), _import_url(world)):
        response = getattr(client, method)(url)
        assert response.status_code < 500


def test_a_unicode_slug_is_a_404(client, world):
    _login(client, world, "coordinator")

    assert client.get("/o/caf%C3%A9/dfc/tokens/").status_code == 404
    assert client.get("/o/caf%C3%A9/dfc/import/").status_code == 404


def _post_import(client, world, data, user="coordinator"):
    _login(client, world, user)
    data = {"producer": world.producer.pk, "refresh": "never", **data}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(_import_url(world), data)


def _nothing_written():
    assert not ProductImport.objects.exists()
    assert not CatalogSource.objects.exists()
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://[::1]/catalog",
        "http://0x7f000001/catalog",
        "http://127.0.0.1:8000/catalog",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.1/",
        "http://0/",
        "javascript:alert(1)",
        "gopher://127.0.0.1/",
        "http://[::ffff:127.0.0.1]/",
    ],
)
def test_local_and_odd_addresses_are_refused(client, world, url):
    response = _post_import(client, world, {"url": url})

    assert response.status_code == 200
    assert response.context["form"].errors
    _nothing_written()


@pytest.mark.parametrize(
    "content, name",
    [
        (b"", "catalogue.json"),
        (b"\xff\xfe\x00", "catalogue.json"),
        (b"{}", "catalogue.exe"),
        # Nested deeper than Python's recursion limit: json.loads raises RecursionError.
        (b"[" * 200_000, "catalogue.json"),
        (b'{"a":' * 100_000, "catalogue.jsonld"),
    ],
)
def test_empty_or_odd_files_are_form_errors(client, world, content, name):
    response = _post_import(client, world, {"file": SimpleUploadedFile(name, content)})

    assert response.status_code == 200
    assert response.context["form"].errors
    _nothing_written()


@pytest.mark.parametrize(
    "document",
    [
        {"@context": "https://evil.example/context.json", "@graph": [{"@id": "x", "@type": "y"}]},
        [],
        "text",
        42,
        None,
        {"@graph": "nope"},
        {"@graph": [1, None, "x"]},
    ],
)
def test_foreign_json_is_refused_without_products(client, world, document):
    upload = SimpleUploadedFile("catalogue.json", json.dumps(document).encode())

    response = _post_import(client, world, {"file": upload})

    assert response.status_code in (200, 302)
    assert not Product.objects.exists()
    assert not ProductImport.objects.filter(status="ready", to_create__gt=0).exists()


def test_a_file_named_with_html_is_escaped_on_the_preview(client, world):
    upload = SimpleUploadedFile(f"{XSS}.json", vector("ofn_catalog_items.json"))

    response = _post_import(client, world, {"file": upload})

    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert XSS not in page


def test_a_catalog_of_50000_items_is_refused_without_work_per_item(
    client, world, django_assert_max_num_queries
):
    """A probe with a huge graph is refused by its size, not item by item (no query per
    item; the time it takes is the bench's business, not a unit test's)."""
    items = [
        {"@id": f"https://ofn.example/c/{n}", "@type": "dfc-b:CatalogItem"} for n in range(50_000)
    ]
    content = json.dumps(
        {"@context": "https://w3id.org/dfc/ontology/context/context_1.16.0.json", "@graph": items},
        separators=(",", ":"),
    ).encode()

    with django_assert_max_num_queries(35):
        response = _post_import(client, world, {"file": SimpleUploadedFile("c.json", content)})

    assert response.status_code == 302
    product_import = ProductImport.objects.get()
    assert product_import.status == "invalid"
    assert "50000" in product_import.errors[0]["reason"].replace("\u202f", "").replace(" ", "")
    assert not Product.objects.exists()
