"""GET /api/dfc/enterprises/<slug>: an organisation's public catalog in DFC 1.16.0."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cabas.catalog.models import ProducerLink, Product
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.dfc.export import FRANCE
from cabas.dfc.loader import CONTEXT_1_16
from cabas.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

BASE = f"{settings.SITE_URL}/api/dfc/enterprises/cabas-albi"


@pytest.fixture
def organisation():
    return OrganisationFactory(
        name="Cabas d'Albi",
        slug="cabas-albi",
        description="Un collectif de fermes.",
        contact_email="contact@cabas-albi.example",
        address="12 place du Marché, 81000 Albi",
    )


@pytest.fixture
def catalog(organisation):
    producer = ProducerFactory(name="Ferme du Ségala")
    ProducerLinkFactory(organisation=organisation, producer=producer)
    carrots = ProductFactory(
        organisation=organisation,
        producer=producer,
        name="Carottes",
        description="Sable, lavées.",
        category="vegetables-fresh",
        unit_kind=Product.UnitKind.WEIGHT,
        price=Decimal("3.50"),
        vat_rate=Decimal("5.50"),
    )
    beer = ProductFactory(
        organisation=organisation,
        producer=producer,
        name="Bière blonde",
        category="drinks-beer",
        content_quantity=Decimal("33"),
        content_unit="cl",
        content_count=6,
        price=Decimal("12.00"),
        vat_rate=Decimal("20.00"),
        reference="BIERE-6",
        stock_mode=Product.StockMode.SHOP,
        stock_quantity=Decimal("24"),
    )
    radishes = ProductFactory(
        organisation=organisation,
        producer=producer,
        name="Radis",
        category="other",
        unit_label="botte",
        price=Decimal("1.20"),
        vat_rate=Decimal("5.50"),
        stock_mode=Product.StockMode.PER_SALE,
        default_quantity_per_sale=Decimal("10"),
    )
    # Not published: an inactive product, a product of a producer who left.
    ProductFactory(organisation=organisation, producer=producer, name="Ancien", is_active=False)
    gone = ProducerFactory(name="Ferme partie")
    ProducerLinkFactory(organisation=organisation, producer=gone, status=ProducerLink.Status.LEFT)
    ProductFactory(organisation=organisation, producer=gone, name="Fromage")
    return {"carrots": carrots, "beer": beer, "radishes": radishes}


def _get(client, slug="cabas-albi"):
    return client.get(reverse("dfc:enterprise", kwargs={"slug": slug}))


def _nodes(document):
    return {node["@id"]: node for node in document["@graph"]}


def test_the_enterprise_with_its_address(client, catalog):
    response = _get(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = response.json()
    assert document["@context"] == CONTEXT_1_16
    nodes = _nodes(document)
    # By category code ("drinks-beer", "other", "vegetables-fresh"), then name.
    ids = [catalog[name].pk for name in ("beer", "radishes", "carrots")]
    assert nodes[BASE] == {
        "@id": BASE,
        "@type": "dfc-b:Enterprise",
        "dfc-b:name": "Cabas d'Albi",
        "dfc-b:hasDescription": "Un collectif de fermes.",
        "dfc-b:email": "contact@cabas-albi.example",
        "dfc-b:hasAddress": f"{BASE}#address",
        "dfc-b:affiliates": [f"{BASE}/producers/{catalog['carrots'].producer_id}"],
        "dfc-b:supplies": [f"{BASE}/supplied_products/{pk}" for pk in ids],
        "dfc-b:manages": [f"{BASE}/catalog_items/{pk}" for pk in ids],
    }
    assert nodes[f"{BASE}#address"] == {
        "@id": f"{BASE}#address",
        "@type": "dfc-b:Address",
        "dfc-b:hasStreet": "12 place du Marché",
        "dfc-b:hasPostalCode": "81000",
        "dfc-b:hasCity": "Albi",
        "dfc-b:hasCountry": FRANCE,
    }
    # The enterprise, its address and three nodes per published product.
    assert len(nodes) == 2 + 3 * 3


def test_a_product_sold_by_weight_on_demand(client, catalog):
    pk = catalog["carrots"].pk

    nodes = _nodes(_get(client).json())

    assert nodes[f"{BASE}/supplied_products/{pk}"] == {
        "@id": f"{BASE}/supplied_products/{pk}",
        "@type": "dfc-b:SuppliedProduct",
        "dfc-b:name": "Carottes",
        "dfc-b:description": "Sable, lavées.",
        "dfc-b:hasType": "dfc-pt:vegetable",
        "dfc-b:hasQuantity": {
            "@type": "dfc-b:QuantitativeValue",
            "dfc-b:hasUnit": "dfc-m:Kilogram",
            "dfc-b:value": 1,
        },
    }
    assert nodes[f"{BASE}/catalog_items/{pk}"] == {
        "@id": f"{BASE}/catalog_items/{pk}",
        "@type": "dfc-b:CatalogItem",
        "dfc-b:references": f"{BASE}/supplied_products/{pk}",
        "dfc-b:managedBy": BASE,
        "dfc-b:offeredThrough": f"{BASE}/offers/{pk}",
    }
    # On demand: no stockLimitation. 3,50 € incl. 5,5 % VAT.
    assert nodes[f"{BASE}/offers/{pk}"] == {
        "@id": f"{BASE}/offers/{pk}",
        "@type": "dfc-b:Offer",
        "dfc-b:offeredItem": f"{BASE}/supplied_products/{pk}",
        "dfc-b:hasPrice": {
            "@type": "dfc-b:Price",
            "dfc-b:value": 3.5,
            "dfc-b:VATrate": 5.5,
            "dfc-b:hasUnit": "dfc-m:Euro",
        },
    }


def test_a_pack_from_shop_stock_with_its_reference(client, catalog):
    pk = catalog["beer"].pk

    nodes = _nodes(_get(client).json())

    supplied = nodes[f"{BASE}/supplied_products/{pk}"]
    # 6 × 33 cl = 198 cl.
    assert supplied["dfc-b:hasQuantity"]["dfc-b:hasUnit"] == "dfc-m:Centilitre"
    assert supplied["dfc-b:hasQuantity"]["dfc-b:value"] == 198
    assert supplied["dfc-b:hasType"] == "dfc-pt:beer"
    item = nodes[f"{BASE}/catalog_items/{pk}"]
    assert item["dfc-b:sku"] == "BIERE-6"
    assert item["dfc-b:stockLimitation"] == 24
    offer = nodes[f"{BASE}/offers/{pk}"]
    assert offer["dfc-b:stockLimitation"] == 24
    assert offer["dfc-b:hasPrice"]["dfc-b:value"] == 12
    assert offer["dfc-b:hasPrice"]["dfc-b:VATrate"] == 20


def test_a_bunch_limited_per_sale_without_product_type(client, catalog):
    pk = catalog["radishes"].pk

    nodes = _nodes(_get(client).json())

    supplied = nodes[f"{BASE}/supplied_products/{pk}"]
    assert supplied["dfc-b:hasQuantity"] == {
        "@type": "dfc-b:QuantitativeValue",
        "dfc-b:hasUnit": "dfc-m:Bunch",
        "dfc-b:value": 1,
    }
    assert "dfc-b:hasType" not in supplied  # "other": no DFC product type
    assert nodes[f"{BASE}/offers/{pk}"]["dfc-b:stockLimitation"] == 10


def test_without_public_prices_no_offer_is_published(client, organisation, catalog):
    organisation.public_prices = False
    organisation.save(update_fields=["public_prices"])

    nodes = _nodes(_get(client).json())

    types = [node["@type"] for node in nodes.values()]
    assert "dfc-b:Offer" not in types
    assert types.count("dfc-b:SuppliedProduct") == 3
    assert all("dfc-b:offeredThrough" not in node for node in nodes.values())


def test_an_address_without_postcode_is_a_street(client, organisation, catalog):
    organisation.address = "Salle des fêtes de Lescure"
    organisation.save(update_fields=["address"])

    nodes = _nodes(_get(client).json())

    address = nodes[f"{BASE}#address"]
    assert address["dfc-b:hasStreet"] == "Salle des fêtes de Lescure"
    assert "dfc-b:hasPostalCode" not in address


@pytest.mark.parametrize("active", [True, False])
def test_an_unknown_or_inactive_organisation_is_not_found(client, organisation, active):
    organisation.is_active = False
    organisation.save(update_fields=["is_active"])

    response = _get(client, "cabas-albi" if not active else "nowhere")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_any_other_address_under_api_dfc_is_a_json_404(client):
    response = client.get("/api/dfc/enterprises/cabas-albi/orders")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_only_get_is_allowed_and_other_methods_get_no_csrf_page(catalog):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("dfc:enterprise", kwargs={"slug": "cabas-albi"}))
    assert response.status_code == 405

    response = client.post("/api/dfc/enterprises/cabas-albi/events")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_queries_do_not_grow_with_the_catalog(
    client, organisation, catalog, django_assert_num_queries
):
    with django_assert_num_queries(3) as few:
        _get(client)
    producer = catalog["beer"].producer
    ProductFactory.create_batch(5, organisation=organisation, producer=producer)
    other = ProducerFactory()
    ProducerLinkFactory(organisation=organisation, producer=other)
    ProductFactory.create_batch(3, organisation=organisation, producer=other)

    with django_assert_num_queries(len(few.captured_queries)):
        response = _get(client)

    assert len(_nodes(response.json())) == 2 + 3 * (3 + 5 + 3)
