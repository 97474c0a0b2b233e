"""GET /api/dfc/enterprises/<slug>/producers/<id>[/catalog_items]: each producer supplying the
organisation as an Enterprise of its own, affiliated to the organisation's."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from cabas.catalog.models import ProducerLink
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.dfc.versions import V2_0
from cabas.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

BASE = f"{settings.SITE_URL}/api/dfc/enterprises/cabas-albi"
V2 = 'application/ld+json; profile="dfc-v2"'


@pytest.fixture
def organisation():
    return OrganisationFactory(slug="cabas-albi", address="12 place du Marché, 81000 Albi")


@pytest.fixture
def producer(organisation):
    # Private contact details the public page does not show.
    producer = ProducerFactory(
        name="Ferme du Ségala",
        description="Maraîchage bio.",
        email="ferme@example.org",
        phone="06 12 34 56 78",
        address="Le Bourg, 81190 Mirandol",
        contact_name="Jeanne",
        siret="12345678901234",
    )
    ProducerLinkFactory(organisation=organisation, producer=producer)
    return producer


@pytest.fixture
def products(organisation, producer):
    carrots = ProductFactory(
        organisation=organisation, producer=producer, name="Carottes", category="vegetables"
    )
    eggs = ProductFactory(
        organisation=organisation, producer=producer, name="Œufs", category="eggs"
    )
    ProductFactory(organisation=organisation, producer=producer, name="Ancien", is_active=False)
    other = ProducerFactory(name="Autre ferme")
    ProducerLinkFactory(organisation=organisation, producer=other)
    ProductFactory(organisation=organisation, producer=other, name="Pain")
    return {"carrots": carrots, "eggs": eggs, "other": other}


def _get(client, name, pk, accept=None, slug="cabas-albi"):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    return client.get(reverse(f"dfc:{name}", kwargs={"slug": slug, "pk": pk}), **headers)


def _nodes(document):
    return {node["@id"]: node for node in document["@graph"]}


def test_the_producer_as_an_enterprise_with_only_what_its_public_page_shows(
    client, producer, products
):
    response = _get(client, "producer", producer.pk)

    assert response.status_code == 200
    nodes = _nodes(response.json())
    ids = [products["eggs"].pk, products["carrots"].pk]  # by category code: eggs, vegetables
    assert nodes[f"{BASE}/producers/{producer.pk}"] == {
        "@id": f"{BASE}/producers/{producer.pk}",
        "@type": "dfc-b:Enterprise",
        "dfc-b:name": "Ferme du Ségala",
        "dfc-b:hasDescription": "Maraîchage bio.",
        "dfc-b:affiliatedTo": BASE,
        "dfc-b:supplies": [f"{BASE}/supplied_products/{pk}" for pk in ids],
    }
    body = response.content.decode()
    for private in ("ferme@example.org", "06 12 34 56 78", "Le Bourg", "Jeanne", "12345678901234"):
        assert private not in body


def test_its_products_are_the_organisations_nodes(client, producer, products):
    mine = _nodes(_get(client, "producer", producer.pk).json())
    catalog = _nodes(client.get(reverse("dfc:enterprise", kwargs={"slug": "cabas-albi"})).json())

    product_ids = {node_id for node_id in mine if "/producers/" not in node_id}
    assert product_ids == {
        f"{BASE}/{kind}/{products[name].pk}"
        for kind in ("supplied_products", "catalog_items", "offers")
        for name in ("carrots", "eggs")
    }
    assert all(mine[node_id] == catalog[node_id] for node_id in product_ids)
    assert mine[f"{BASE}/catalog_items/{products['eggs'].pk}"]["dfc-b:managedBy"] == BASE


def test_the_organisation_affiliates_the_producers_supplying_it(client, producer, products):
    gone = ProducerFactory(name="Ferme partie")
    ProducerLinkFactory(
        organisation=producer.links.get().organisation,
        producer=gone,
        status=ProducerLink.Status.LEFT,
    )

    catalog = _nodes(client.get(reverse("dfc:enterprise", kwargs={"slug": "cabas-albi"})).json())

    assert catalog[BASE]["dfc-b:affiliates"] == [
        f"{BASE}/producers/{products['other'].pk}",  # by name: "Autre ferme" first
        f"{BASE}/producers/{producer.pk}",
    ]


def test_the_producers_catalog_items(client, producer, products):
    document = _get(client, "producer_catalog_items", producer.pk).json()

    items = [node["@id"] for node in document["@graph"] if node["@type"] == "dfc-b:CatalogItem"]
    assert items == [f"{BASE}/catalog_items/{products[name].pk}" for name in ("eggs", "carrots")]
    assert all(node["@type"] != "dfc-b:Enterprise" for node in document["@graph"])


def test_in_2_0_0_an_organization_and_a_container(client, producer, products):
    response = _get(client, "producer", producer.pk, accept=V2)
    listing = _get(client, "producer_catalog_items", producer.pk, accept=V2)

    assert response["Content-Type"] == V2_0.content_type
    node = _nodes(response.json())[f"{BASE}/producers/{producer.pk}"]
    assert node["@type"] == "dfc-b:Organization"
    container = listing.json()["@graph"][0]
    assert container == {
        "@id": f"{BASE}/producers/{producer.pk}/catalog_items",
        "@type": "ldp:Container",
        "ldp:contains": [
            f"{BASE}/catalog_items/{products[name].pk}" for name in ("eggs", "carrots")
        ],
    }


@pytest.mark.parametrize("name", ["producer", "producer_catalog_items"])
def test_a_producer_not_supplying_the_organisation_is_not_found(client, organisation, name):
    left = ProducerFactory()
    ProducerLinkFactory(organisation=organisation, producer=left, status=ProducerLink.Status.LEFT)
    ended = ProducerFactory()
    ProducerLinkFactory(
        organisation=organisation,
        producer=ended,
        status=ProducerLink.Status.TEMPORARY,
        end_date=datetime.date(2026, 12, 1),  # the clock: 2 Dec 2026
    )
    elsewhere = ProducerFactory()
    ProducerLinkFactory(organisation=OrganisationFactory(), producer=elsewhere)

    for pk in (left.pk, ended.pk, elsewhere.pk, 999999):
        response = _get(client, name, pk)
        assert response.status_code == 404, pk
        assert response.json()["error"]["code"] == "not_found"


def test_a_temporary_producer_until_today_is_published(client, organisation):
    temporary = ProducerFactory()
    ProducerLinkFactory(
        organisation=organisation,
        producer=temporary,
        status=ProducerLink.Status.TEMPORARY,
        end_date=datetime.date(2026, 12, 2),
    )

    document = _get(client, "producer", temporary.pk).json()

    assert document["@graph"][0]["dfc-b:supplies"] == []


def test_an_unknown_organisation_is_not_found(client, producer):
    assert _get(client, "producer", producer.pk, slug="nowhere").status_code == 404


@pytest.mark.parametrize("name", ["producer", "producer_catalog_items"])
def test_the_queries_do_not_grow_with_the_products(
    client, organisation, producer, name, django_assert_num_queries
):
    ProductFactory(organisation=organisation, producer=producer, price=Decimal("2"))
    with django_assert_num_queries(3) as few:  # organisation, producer, its products
        _get(client, name, producer.pk)
    for _ in range(5):
        ProductFactory(organisation=organisation, producer=producer)

    with django_assert_num_queries(len(few.captured_queries)):
        response = _get(client, name, producer.pk)

    assert len(response.json()["@graph"]) >= 6 * 3
