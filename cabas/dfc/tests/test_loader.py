"""The shipped contexts: served by their URLs, never fetched; anything else refused clearly."""

import json
import socket

import pytest
from pyld import jsonld

from cabas.dfc import loader, vocabulary
from cabas.dfc.loader import CONTEXT_1_16, DocumentNotShipped, JsonLdInvalid, expand

B = vocabulary.BUSINESS
M = vocabulary.MEASURES


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the DFC loader must never touch the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


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
        "https://w3id.org/dfc/ontology/context/context_2.0.0.json",
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
