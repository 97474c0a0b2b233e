"""The published catalog is DFC JSON-LD: expanded with the shipped context only (no network),
every class, every predicate and every unit or product type is an IRI the DFC ontology or its
taxonomies declare (or, for the few the connectors write, their documented names)."""

import socket
from decimal import Decimal

import pytest
from django.urls import reverse

from cabas.catalog.models import Product
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.dfc import vocabulary
from cabas.dfc.loader import expand
from cabas.dfc.tests.jsonld_walk import walk
from cabas.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

B = vocabulary.BUSINESS


@pytest.fixture
def document(client):
    organisation = OrganisationFactory(
        slug="cabas-albi", description="Collectif", contact_email="a@example.org"
    )
    organisation.address = "12 place du Marché, 81000 Albi"
    organisation.save(update_fields=["address"])
    producer = ProducerFactory()
    ProducerLinkFactory(organisation=organisation, producer=producer)
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
    for index, unit in enumerate(units):
        ProductFactory(
            organisation=organisation,
            producer=producer,
            description="…",
            reference=f"REF-{index}",
            category=codes[index % len(codes)],
            **unit,
            **stocks[index % len(stocks)],
        )
    return client.get(reverse("dfc:enterprise", kwargs={"slug": "cabas-albi"})).json()


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("expanding must not touch the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def _compact_keys(node, keys):
    if isinstance(node, list):
        for item in node:
            _compact_keys(item, keys)
    elif isinstance(node, dict):
        keys.update(key for key in node if not key.startswith("@"))
        for value in node.values():
            _compact_keys(value, keys)


def test_every_key_is_prefixed_so_nothing_is_dropped_by_expansion(document):
    keys = set()
    _compact_keys(document, keys)

    assert keys
    assert all(key.startswith("dfc-b:") for key in keys), keys


def test_expansion_yields_only_dfc_classes_predicates_and_concepts(document):
    found = {"classes": set(), "predicates": set(), "concepts": set()}

    walk(expand(document), found)

    assert found["classes"] <= vocabulary.known_classes(), found["classes"]
    assert found["predicates"] <= vocabulary.known_predicates(), found["predicates"]
    assert found["concepts"] <= vocabulary.known_concepts(), found["concepts"]
    # The walk saw what the catalog holds: all three classes of a product, units, types.
    assert {B + "SuppliedProduct", B + "CatalogItem", B + "Offer", B + "Price"} <= found["classes"]
    assert vocabulary.MEASURES + "Dozen" in found["concepts"]
    assert vocabulary.PRODUCT_TYPES + "cosmetic" in found["concepts"]


def test_predicates_outside_the_ontology_are_only_the_connectors_names(document):
    found = {"classes": set(), "predicates": set(), "concepts": set()}

    walk(expand(document), found)

    declared = vocabulary.OBJECT_PROPERTIES | vocabulary.DATA_PROPERTIES
    outside = {iri.removeprefix(B) for iri in found["predicates"]} - declared
    assert outside == {"hasDescription", "hasStreet", "hasPostalCode", "hasCity", "offeredItem"}


def test_object_values_expand_to_iris_not_strings(document):
    [enterprise] = [node for node in expand(document) if node.get("@type") == [B + "Enterprise"]]

    assert all("@id" in value for value in enterprise[B + "supplies"])
    assert enterprise[B + "hasAddress"][0]["@id"].endswith("#address")
