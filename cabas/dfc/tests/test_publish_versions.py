"""Content negotiation: DFC 1.16.0 by default, 2.0.0 for ``profile="dfc-v2"``, 406 for any
other profile; the platform WebID."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.dfc.loader import CONTEXT_1_16, CONTEXT_2_0
from cabas.dfc.vocabulary_v2 import LDP
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales.models import Sale
from cabas.sales.tests.factories import PickupFactory, SaleFactory

pytestmark = pytest.mark.django_db

BASE = f"{settings.SITE_URL}/api/dfc/enterprises/cabas-albi"
V2 = 'application/ld+json; profile="dfc-v2"'
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def product():
    organisation = OrganisationFactory(slug="cabas-albi")
    producer = ProducerFactory()
    ProducerLinkFactory(organisation=organisation, producer=producer)
    return ProductFactory(organisation=organisation, producer=producer)


def _get(client, name, accept=None, **kwargs):
    headers = {"HTTP_ACCEPT": accept} if accept is not None else {}
    return client.get(reverse(f"dfc:{name}", kwargs=kwargs or None), **headers)


@pytest.mark.parametrize(
    "accept",
    [None, "", "application/json", "application/ld+json", 'application/ld+json; profile="dfc-v1"'],
)
def test_1_16_0_by_default_and_for_the_v1_profile(client, product, accept):
    response = _get(client, "enterprise", accept, slug="cabas-albi")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Vary"].startswith("Accept")
    document = response.json()
    assert document["@context"] == CONTEXT_1_16
    assert document["@graph"][0]["@type"] == "dfc-b:Enterprise"


@pytest.mark.parametrize("accept", [V2, "application/ld+json;profile=dfc-v2, */*;q=0.1"])
def test_2_0_0_for_the_v2_profile_with_the_same_ids(client, product, accept):
    response = _get(client, "enterprise", accept, slug="cabas-albi")
    v1 = _get(client, "enterprise", slug="cabas-albi").json()

    assert response.status_code == 200
    assert response["Content-Type"] == V2
    document = response.json()
    assert document["@context"] == CONTEXT_2_0
    enterprise = document["@graph"][0]
    assert enterprise["@type"] == "dfc-b:Organization"
    assert [node["@id"] for node in document["@graph"]] == [node["@id"] for node in v1["@graph"]]
    assert {**enterprise, "@type": "dfc-b:Enterprise"} == v1["@graph"][0]


def test_2_0_0_lists_are_ldp_containers(client, product):
    SaleFactory(
        organisation=product.organisation,
        status=Sale.Status.OPEN,
        opens_at=datetime(2026, 11, 30, 8, tzinfo=PARIS),
        closes_at=datetime(2026, 12, 4, 20, tzinfo=PARIS),
    )
    sale = Sale.objects.get()
    PickupFactory(sale=sale)

    items = _get(client, "catalog_items", V2, slug="cabas-albi").json()
    sessions = _get(client, "sale_sessions", V2, slug="cabas-albi").json()

    assert items["@context"] == [CONTEXT_2_0, {"ldp": LDP}]
    assert items["@graph"][0] == {
        "@id": f"{BASE}/catalog_items",
        "@type": "ldp:Container",
        "ldp:contains": [f"{BASE}/catalog_items/{product.pk}"],
    }
    assert sessions["@graph"][0] == {
        "@id": f"{BASE}/sale_sessions",
        "@type": "ldp:Container",
        "ldp:contains": [f"{BASE}/sale_sessions#sale-{sale.pk}"],
    }


def test_one_node_in_2_0_0_has_no_container(client, product):
    document = _get(client, "offer", V2, slug="cabas-albi", pk=product.pk).json()

    assert document["@context"] == CONTEXT_2_0
    assert document["@type"] == "dfc-b:Offer"


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("enterprise", {"slug": "cabas-albi"}),
        ("sale_sessions", {"slug": "cabas-albi"}),
        ("supplied_product", {"slug": "cabas-albi", "pk": "product"}),
        ("producer", {"slug": "cabas-albi", "pk": "producer"}),
        ("webid", {}),
    ],
)
def test_an_unknown_profile_is_a_406_naming_the_known_ones(client, product, name, kwargs):
    ids = {"product": product.pk, "producer": product.producer_id}
    kwargs = {key: ids.get(value, value) for key, value in kwargs.items()}

    response = _get(client, name, 'application/ld+json; profile="dfc-v9"', **kwargs)

    assert response.status_code == 406
    assert response["Content-Type"] == "application/json; charset=utf-8"
    error = response.json()["error"]
    assert error["code"] == "not_acceptable"
    assert "dfc-v9" in error["message"]
    assert "dfc-v1, dfc-v2" in error["message"]


def test_an_unknown_organisation_is_a_404_whatever_the_profile(client):
    response = _get(client, "enterprise", 'profile="dfc-v9"', slug="nowhere")

    assert response.status_code == 404


@pytest.mark.parametrize(("accept", "context"), [(None, CONTEXT_1_16), (V2, CONTEXT_2_0)])
def test_the_platform_webid(client, accept, context):
    webid = f"{settings.SITE_URL}/api/dfc/webid"

    response = _get(client, "webid", accept)

    assert response.status_code == 200
    document = response.json()
    assert document["@context"][0] == context
    assert document["@graph"] == [
        {
            "@id": webid,
            "@type": "foaf:PersonalProfileDocument",
            "foaf:maker": f"{webid}#me",
            "foaf:primaryTopic": f"{webid}#me",
        },
        {
            "@id": f"{webid}#me",
            "@type": ["dfc-t:Platform", "foaf:Agent"],
            "foaf:name": "Cabas",
            "dfc-t:supportedOntologyVersion": ["1.16.0", "2.0.0"],
        },
    ]


def test_the_webid_is_read_only(client):
    assert client.post(reverse("dfc:webid")).status_code == 405
