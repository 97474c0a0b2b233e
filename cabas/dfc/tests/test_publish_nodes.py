"""Each published node at the address its @id gives; the catalog_items list; refusals."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from cabas.catalog.models import ProducerLink
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.dfc.loader import CONTEXT_1_16
from cabas.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

BASE = f"{settings.SITE_URL}/api/dfc/enterprises/cabas-albi"


@pytest.fixture
def organisation():
    return OrganisationFactory(slug="cabas-albi")


@pytest.fixture
def producer(organisation):
    producer = ProducerFactory()
    ProducerLinkFactory(organisation=organisation, producer=producer)
    return producer


@pytest.fixture
def product(organisation, producer):
    return ProductFactory(
        organisation=organisation,
        producer=producer,
        name="Miel",
        category="grocery-preserves",
        content_quantity=Decimal("500"),
        content_unit="g",
        price=Decimal("8.40"),
        vat_rate=Decimal("5.50"),
    )


def _get(client, name, **kwargs):
    return client.get(reverse(f"dfc:{name}", kwargs={"slug": "cabas-albi", **kwargs}))


@pytest.mark.parametrize(
    ("name", "path", "dfc_type"),
    [
        ("supplied_product", "supplied_products", "dfc-b:SuppliedProduct"),
        ("catalog_item", "catalog_items", "dfc-b:CatalogItem"),
        ("offer", "offers", "dfc-b:Offer"),
    ],
)
def test_each_node_is_served_at_its_id(client, product, name, path, dfc_type):
    response = _get(client, name, pk=product.pk)

    assert response.status_code == 200
    document = response.json()
    assert document["@context"] == CONTEXT_1_16
    assert document["@id"] == f"{BASE}/{path}/{product.pk}"
    assert document["@type"] == dfc_type


def test_the_served_node_is_the_one_of_the_catalog(client, product):
    catalog = _get(client, "enterprise").json()
    [offer] = [node for node in catalog["@graph"] if node["@type"] == "dfc-b:Offer"]

    alone = _get(client, "offer", pk=product.pk).json()

    assert alone == {"@context": CONTEXT_1_16, **offer}
    assert alone["dfc-b:hasPrice"]["dfc-b:value"] == 8.4


def test_the_catalog_items_list_has_every_node_but_the_enterprise(client, product):
    graph = _get(client, "catalog_items").json()["@graph"]

    assert [node["@type"] for node in graph] == [
        "dfc-b:SuppliedProduct",
        "dfc-b:CatalogItem",
        "dfc-b:Offer",
    ]


def test_unpublished_products_are_not_found(client, organisation, producer, product):
    inactive = ProductFactory(organisation=organisation, producer=producer, is_active=False)
    other_org = ProductFactory(producer=producer)
    left = ProducerFactory()
    ProducerLinkFactory(organisation=organisation, producer=left, status=ProducerLink.Status.LEFT)
    of_left = ProductFactory(organisation=organisation, producer=left)

    for pk in (inactive.pk, other_org.pk, of_left.pk, 999_999):
        response = _get(client, "supplied_product", pk=pk)
        assert response.status_code == 404, pk
        assert response.json()["error"]["code"] == "not_found"


def test_a_number_too_long_for_an_id_is_not_found(client, product):
    response = client.get(f"/api/dfc/enterprises/cabas-albi/offers/{'9' * 30}")

    assert response.status_code == 404


def test_no_offer_without_public_prices(client, organisation, product):
    organisation.public_prices = False
    organisation.save(update_fields=["public_prices"])

    assert _get(client, "offer", pk=product.pk).status_code == 404
    item = _get(client, "catalog_item", pk=product.pk).json()
    assert "dfc-b:offeredThrough" not in item


@pytest.mark.parametrize("name", ["enterprise", "catalog_items"])
def test_an_unknown_profile_is_refused_naming_the_known_ones(client, product, name):
    response = client.get(
        reverse(f"dfc:{name}", kwargs={"slug": "cabas-albi"}),
        HTTP_ACCEPT='application/ld+json; profile="dfc-v3"',
    )

    assert response.status_code == 406
    error = response.json()["error"]
    assert error["code"] == "not_acceptable"
    assert "dfc-v3" in error["message"]
    assert "dfc-v1, dfc-v2" in error["message"]


def test_a_plain_accept_header_gets_1_16(client, product):
    response = client.get(
        reverse("dfc:enterprise", kwargs={"slug": "cabas-albi"}), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
