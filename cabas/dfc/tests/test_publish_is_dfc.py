"""Every published document is DFC JSON-LD, in both versions: expanded with the shipped context
only (no network), every class, every predicate and every IRI value is one the DFC ontology or
its taxonomies declare in that version's namespaces (or, for the few the connectors write,
their documented names), ``ldp:`` for 2.0.0 lists and ``foaf:`` for the WebID, plus Cabas's own
node ids and the EU country authority."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from cabas.catalog.models import Product
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.dfc import vocabulary, vocabulary_v2
from cabas.dfc.export import FRANCE
from cabas.dfc.export_webid import FOAF
from cabas.dfc.loader import expand
from cabas.dfc.tests.jsonld_walk import new_found, walk
from cabas.dfc.versions import V1_16, V2_0
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales.models import Sale
from cabas.sales.tests.factories import PickupFactory, SaleFactory, SaleItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_network")]

B = vocabulary.BUSINESS
PARIS = ZoneInfo("Europe/Paris")
LDP = vocabulary_v2.LDP
ORGANISATION_PATHS = ["enterprise", "catalog_items", "sale_sessions"]
PRODUCT_PATHS = ["supplied_product", "catalog_item", "offer"]
PRODUCER_PATHS = ["producer", "producer_catalog_items"]
LISTS = {"catalog_items", "sale_sessions", "producer_catalog_items"}
PROFILES = {V1_16: None, V2_0: 'application/ld+json; profile="dfc-v2"'}


@pytest.fixture
def world():
    organisation = OrganisationFactory(
        slug="cabas-albi", description="Collectif", contact_email="a@example.org"
    )
    organisation.address = "12 place du Marché, 81000 Albi"
    organisation.save(update_fields=["address"])
    producer = ProducerFactory(description="Ferme", email="secret@example.org", phone="0600")
    ProducerLinkFactory(organisation=organisation, producer=producer)
    ProducerLinkFactory(organisation=organisation, producer=ProducerFactory())
    # Every kind of unit, categories with and without a DFC type, each stock mode.
    units = [
        {"unit_kind": Product.UnitKind.WEIGHT},
        {"unit_kind": Product.UnitKind.VOLUME},
        {"content_quantity": Decimal("75"), "content_unit": "cl"},
        {"content_quantity": Decimal("33"), "content_unit": "cl", "content_count": 6},
        {"content_quantity": Decimal("500"), "content_unit": "g"},
        {"variable_weight": True, "estimated_weight_kg": Decimal("0.35")},
        {"unit_label": "douzaine"},
        {"unit_label": "pot de miel"},
    ]
    stocks = [
        {"stock_mode": Product.StockMode.UNLIMITED},
        {"stock_mode": Product.StockMode.SHOP, "stock_quantity": Decimal("4")},
        {"stock_mode": Product.StockMode.PER_SALE, "default_quantity_per_sale": Decimal("2.5")},
    ]
    codes = ["vegetables", "dairy-cheese", "drinks-wine", "hygiene-soap", "other", "eggs"]
    products = [
        ProductFactory(
            organisation=organisation,
            producer=producer,
            description="…",
            reference=f"REF-{index}",
            category=codes[index % len(codes)],
            **unit,
            **stocks[index % len(stocks)],
        )
        for index, unit in enumerate(units)
    ]
    sale = SaleFactory(
        organisation=organisation,
        status=Sale.Status.OPEN,
        opens_at=datetime(2026, 11, 30, 8, tzinfo=PARIS),
        closes_at=datetime(2026, 12, 4, 20, tzinfo=PARIS),
    )
    PickupFactory(sale=sale)
    SaleItemFactory(sale=sale, product=products[0], quantity_available=Decimal("3"))
    return {"slug": "cabas-albi", "product": products[0].pk, "producer": producer.pk}


def _kwargs(name, world):
    if name in PRODUCT_PATHS:
        return {"slug": world["slug"], "pk": world["product"]}
    if name in PRODUCER_PATHS:
        return {"slug": world["slug"], "pk": world["producer"]}
    return {"slug": world["slug"]}


def _get(client, name, version, kwargs=None):
    headers = {"HTTP_ACCEPT": PROFILES[version]} if PROFILES[version] else {}
    response = client.get(reverse(f"dfc:{name}", kwargs=kwargs), **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == version.content_type
    return response.json()


def _allowed(version):
    """The IRIs a document of ``version`` may use, by role."""
    prefixes = version.prefixes
    renamed = vocabulary_v2.RENAMED_CLASSES if version is V2_0 else None
    classes = vocabulary.known_classes(prefixes, renamed)
    predicates = vocabulary.known_predicates(prefixes)
    if version.containers:
        classes |= {LDP + "Container"}
        predicates |= {LDP + "contains"}
    return classes, predicates, vocabulary.known_concepts(prefixes)


def _assert_dfc(document, version, *, classes=frozenset(), predicates=frozenset()):
    found = new_found()
    walk(expand(document), found)
    known_classes, known_predicates, concepts = _allowed(version)

    assert found["classes"] <= known_classes | classes, found["classes"] - known_classes
    assert found["predicates"] <= known_predicates | predicates, found["predicates"]
    assert found["concepts"] <= concepts, found["concepts"]
    ours = {iri for iri in found["iris"] if iri.startswith(settings.SITE_URL + "/api/dfc/")}
    assert found["iris"] - ours <= concepts | {FRANCE}, found["iris"] - ours
    return found


@pytest.mark.parametrize("version", [V1_16, V2_0], ids=["1.16.0", "2.0.0"])
@pytest.mark.parametrize("name", ORGANISATION_PATHS + PRODUCT_PATHS + PRODUCER_PATHS)
def test_every_publish_endpoint_expands_to_dfc_iris_only(client, world, name, version):
    document = _get(client, name, version, _kwargs(name, world))

    assert document["@context"] == version.context(ldp=name in LISTS)
    found = _assert_dfc(document, version)

    assert found["classes"]
    outside = {iri for iri in found["predicates"] if not iri.startswith(version.namespace("dfc-b"))}
    assert outside == ({LDP + "contains"} if version.containers and name in LISTS else set())


def _compact_keys(node, keys):
    if isinstance(node, list):
        for item in node:
            _compact_keys(item, keys)
    elif isinstance(node, dict):
        keys.update(key for key in node if not key.startswith("@"))
        for key, value in node.items():
            if key != "@context":
                _compact_keys(value, keys)


@pytest.mark.parametrize("version", [V1_16, V2_0], ids=["1.16.0", "2.0.0"])
def test_every_key_is_prefixed_so_nothing_is_dropped_by_expansion(client, world, version):
    keys = set()
    for name in ORGANISATION_PATHS + PRODUCER_PATHS:
        _compact_keys(_get(client, name, version, _kwargs(name, world)), keys)

    assert keys
    assert all(key.startswith(("dfc-b:", "ldp:")) for key in keys), keys


@pytest.mark.parametrize("version", [V1_16, V2_0], ids=["1.16.0", "2.0.0"])
def test_the_catalog_uses_the_classes_units_and_types_of_its_version(client, world, version):
    found = _assert_dfc(_get(client, "enterprise", version, _kwargs("enterprise", world)), version)

    business = version.namespace("dfc-b")
    enterprise = "Organization" if version is V2_0 else "Enterprise"
    expected = {enterprise, "SuppliedProduct", "CatalogItem", "Offer", "Price", "Address"}
    assert {business + name for name in expected} <= found["classes"]
    assert version.namespace("dfc-m") + "Dozen" in found["concepts"]
    assert version.namespace("dfc-pt") + "cosmetic" in found["concepts"]


def test_predicates_outside_the_ontology_are_only_the_connectors_names(client, world):
    found = new_found()
    for name in ORGANISATION_PATHS + PRODUCER_PATHS:
        walk(expand(_get(client, name, V1_16, _kwargs(name, world))), found)

    declared = vocabulary.OBJECT_PROPERTIES | vocabulary.DATA_PROPERTIES
    outside = {iri.removeprefix(B) for iri in found["predicates"]} - declared
    assert outside == {"hasDescription", "hasStreet", "hasPostalCode", "hasCity", "offeredItem"}


def test_object_values_expand_to_iris_not_strings(client, world):
    document = _get(client, "enterprise", V1_16, _kwargs("enterprise", world))
    [enterprise] = [node for node in expand(document) if node.get("@type") == [B + "Enterprise"]]

    assert all("@id" in value for value in enterprise[B + "supplies"])
    assert all("@id" in value for value in enterprise[B + "affiliates"])
    assert enterprise[B + "hasAddress"][0]["@id"].endswith("#address")


@pytest.mark.parametrize("version", [V1_16, V2_0], ids=["1.16.0", "2.0.0"])
def test_the_webid_is_dfc_and_foaf_only(client, version):
    document = _get(client, "webid", version)

    technical = version.namespace("dfc-t")
    foaf = {FOAF + name for name in ("PersonalProfileDocument", "Agent")}
    foaf_predicates = {FOAF + name for name in ("name", "maker", "primaryTopic")}
    found = _assert_dfc(
        document,
        version,
        classes={technical + "Platform", *foaf},
        predicates={technical + "supportedOntologyVersion", *foaf_predicates},
    )
    assert technical + "Platform" in found["classes"]
