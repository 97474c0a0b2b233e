"""The shipped contexts: served by their URLs, never fetched; anything else refused clearly."""

import json

import pytest
from pyld import jsonld

from cabas.dfc import loader, vocabulary, vocabulary_v2
from cabas.dfc.loader import CONTEXT_1_16, CONTEXT_2_0, DocumentNotShipped, JsonLdInvalid, expand

pytestmark = pytest.mark.usefixtures("no_network")

B = vocabulary.BUSINESS
M = vocabulary.MEASURES


def test_the_shipped_file_is_the_vocabularys_context():
    shipped = json.loads((loader.DOCUMENTS / "context_1.16.0.json").read_text(encoding="utf-8"))
    assert shipped == vocabulary.context_1_16()


@pytest.mark.parametrize(
    "url",
    [
        CONTEXT_1_16,
        "http://w3id.org/dfc/ontology/context/context_1.16.0.json",
        "https://www.datafoodconsortium.org/wp-content/plugins/wordpress-context-jsonld/context_1.16.0.jsonld",
    ],
)
def test_the_1_16_context_is_served_by_each_of_its_addresses(url):
    answer = loader.load_document(url, {})

    assert answer["documentUrl"] == url
    assert answer["document"]["@context"]["dfc-b"] == B


def test_a_served_document_cannot_change_the_shipped_one():
    loader.load_document(CONTEXT_1_16)["document"]["@context"]["dfc-b"] = "changed"

    assert loader.load_document(CONTEXT_1_16)["document"]["@context"]["dfc-b"] == B


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/context.json",
        "https://w3id.org/dfc/ontology/context/context_3.0.0.json",
        "https://www.datafoodconsortium.org",
        "file:///etc/passwd",
        "",
    ],
)
def test_any_other_url_is_refused_naming_it(url):
    with pytest.raises(DocumentNotShipped) as refused:
        loader.load_document(url)

    assert repr(url) in str(refused.value)
    assert CONTEXT_1_16 in str(refused.value)


def test_expand_makes_prefixed_keys_and_object_values_iris():
    document = {
        "@context": CONTEXT_1_16,
        "@id": "https://example.org/q",
        "@type": "dfc-b:QuantitativeValue",
        "dfc-b:hasUnit": "dfc-m:Kilogram",
        "dfc-b:value": 1.5,
    }

    [node] = expand(document)

    assert node["@type"] == [B + "QuantitativeValue"]
    assert node[B + "hasUnit"] == [{"@id": M + "Kilogram"}]
    assert node[B + "value"] == [{"@value": 1.5}]


def test_expand_accepts_the_connectors_offered_item_as_a_reference():
    document = {
        "@context": CONTEXT_1_16,
        "@id": "https://example.org/offer",
        "@type": "dfc-b:Offer",
        "dfc-b:offeredItem": "https://example.org/item",
    }

    [node] = expand(document)

    assert node[B + "offeredItem"] == [{"@id": "https://example.org/item"}]


def test_expand_refuses_a_document_naming_an_unknown_context():
    document = {"@context": "https://example.org/evil.json", "name": "x"}

    with pytest.raises(DocumentNotShipped) as refused:
        expand(document)

    assert refused.value.url == "https://example.org/evil.json"


def test_expand_refuses_malformed_json_ld_with_a_message():
    with pytest.raises(JsonLdInvalid) as refused:
        expand({"@context": 5, "@id": "x"})

    assert str(refused.value)


def test_pyld_by_default_uses_the_shipped_documents_only():
    """The app sets pyld's default loader: code that forgets the option cannot fetch either."""
    [node] = jsonld.expand({"@context": CONTEXT_1_16, "@type": "dfc-b:Offer"})
    assert node["@type"] == [B + "Offer"]

    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand({"@context": "https://example.org/other.json", "name": "x"})


def test_the_properties_cabas_uses_are_declared_by_the_ontology():
    assert vocabulary.OBJECT_PROPERTIES <= vocabulary.ONTOLOGY_OBJECT_PROPERTIES
    assert not vocabulary.DATA_PROPERTIES & vocabulary.ONTOLOGY_OBJECT_PROPERTIES
    assert not set(vocabulary.CONNECTOR_PROPERTIES) & vocabulary.ONTOLOGY_OBJECT_PROPERTIES


def test_a_catalog_shaped_like_ofns_expands_as_dfc():
    """A vector written from OFN's published description of its catalog_items answer (our own
    values): references, a variant's group, units and numbers given as strings."""
    document = {
        "@context": CONTEXT_1_16,
        "@graph": [
            {
                "@id": "https://hub.example/api/dfc/enterprises/7/catalog_items/31",
                "@type": "dfc-b:CatalogItem",
                "dfc-b:references": "https://hub.example/api/dfc/enterprises/7/supplied_products/31",
                "dfc-b:sku": "POM-1",
                "dfc-b:stockLimitation": "-1",
                "dfc-b:offeredThrough": "https://hub.example/api/dfc/enterprises/7/offers/31",
            },
            {
                "@id": "https://hub.example/api/dfc/enterprises/7/supplied_products/31",
                "@type": "dfc-b:SuppliedProduct",
                "dfc-b:name": "Pommes - 1kg",
                "dfc-b:hasType": "dfc-pt:apples",
                "dfc-b:hasQuantity": {
                    "@type": "dfc-b:QuantitativeValue",
                    "dfc-b:hasUnit": "dfc-m:Kilogram",
                    "dfc-b:value": "1.0",
                },
                "dfc-b:isVariantOf": "https://hub.example/api/dfc/product_groups/3",
            },
            {
                "@id": "https://hub.example/api/dfc/enterprises/7/offers/31",
                "@type": "dfc-b:Offer",
                "dfc-b:hasPrice": {
                    "@type": "dfc-b:Price",
                    "dfc-b:value": 2.9,
                    "dfc-b:hasUnit": "dfc-m:Euro",
                },
            },
        ],
    }

    nodes = {node["@id"]: node for node in expand(document)}

    item = nodes["https://hub.example/api/dfc/enterprises/7/catalog_items/31"]
    assert item[B + "references"] == [
        {"@id": "https://hub.example/api/dfc/enterprises/7/supplied_products/31"}
    ]
    assert item[B + "stockLimitation"] == [{"@value": "-1"}]
    product = nodes["https://hub.example/api/dfc/enterprises/7/supplied_products/31"]
    assert product[B + "hasType"] == [{"@id": vocabulary.PRODUCT_TYPES + "apples"}]
    assert product[B + "isVariantOf"] == [{"@id": "https://hub.example/api/dfc/product_groups/3"}]
    [quantity] = product[B + "hasQuantity"]
    assert quantity[B + "hasUnit"] == [{"@id": M + "Kilogram"}]
    assert quantity[B + "value"] == [{"@value": "1.0"}]
    [price] = nodes["https://hub.example/api/dfc/enterprises/7/offers/31"][B + "hasPrice"]
    assert price[B + "hasUnit"] == [{"@id": M + "Euro"}]
    assert price[B + "value"] == [{"@value": 2.9}]


def test_the_shipped_2_0_0_file_is_the_vocabularys_context():
    shipped = json.loads((loader.DOCUMENTS / "context_2.0.0.json").read_text(encoding="utf-8"))
    assert shipped == vocabulary_v2.context_2_0()


@pytest.mark.parametrize(
    "url",
    [
        CONTEXT_2_0,
        "https://w3id.org/dfc/ontology/v2.0.0/context/context_2.0.0.json",
        "https://www.datafoodconsortium.org/wp-content/plugins/wordpress-context-jsonld/context_2.0.0.jsonld",
        "https://cdn.jsdelivr.net/gh/datafoodconsortium/ontology/context/context_2.0.0.json",
    ],
)
def test_the_2_0_0_context_is_served_by_each_of_its_addresses(url):
    context = loader.load_document(url, {})["document"]["@context"]

    assert context["dfc-b"] == vocabulary_v2.BUSINESS
    assert context["dfc-m"] == "http://w3id.org/dfc/taxonomies/v2.0.0/measures.rdf#"


def test_a_2_0_0_document_expands_to_the_2_0_0_namespaces():
    [node] = expand(
        {
            "@context": CONTEXT_2_0,
            "@type": "dfc-b:Organization",
            "dfc-b:affiliates": "https://example.org/producers/1",
            "dfc-b:hasMember": "https://example.org/producers/2",
        }
    )

    business = vocabulary_v2.BUSINESS
    assert node["@type"] == [business + "Organization"]
    assert node[business + "affiliates"] == [{"@id": "https://example.org/producers/1"}]
    assert node[business + "hasMember"] == [{"@id": "https://example.org/producers/2"}]
