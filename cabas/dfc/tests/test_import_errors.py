"""Malformed DFC catalogs: a clear error naming the node (its ``@id``) and the property, and
nothing imported — not even the good products of the same catalog."""

import copy
import json

import pytest

from cabas.catalog.models import Product, ProductImport

from .importing import import_catalog, vector_json

pytestmark = pytest.mark.django_db

OFN = "https://ofn.example/api/dfc/enterprises/10000/"


def _ofn():
    return copy.deepcopy(vector_json("ofn_catalog_items.json"))


def _node(document, suffix):
    return next(node for node in document["@graph"] if node["@id"] == OFN + suffix)


def _refused(world, document) -> ProductImport:
    product_import = import_catalog(world, document)
    assert product_import.status == "invalid"
    assert not Product.objects.exists()
    return product_import


def _only_error(product_import) -> tuple:
    assert product_import.error_count == len(product_import.errors) == 1, product_import.errors
    error = product_import.errors[0]
    return error["line"], error["column"], error["reason"]


def _price(document, suffix="offers/10001"):
    return _node(document, suffix)["dfc-b:hasPrice"]


def test_a_price_in_another_currency_names_the_offer_and_its_unit(world):
    document = _ofn()
    _price(document)["dfc-b:hasUnit"] = "dfc-m:USDollar"

    line, column, reason = _only_error(_refused(world, document))

    assert (line, column) == (1, "dfc-b:hasUnit")
    assert reason.startswith(f"Nœud {OFN}offers/10001 : ")
    assert "USDollar" in reason and "dfc-m:Euro" in reason


def test_a_price_without_currency_is_refused(world):
    document = _ofn()
    del _price(document)["dfc-b:hasUnit"]

    line, column, reason = _only_error(_refused(world, document))

    assert (line, column) == (1, "dfc-b:hasUnit") and f"{OFN}offers/10001" in reason


def test_a_price_that_is_not_a_number_names_the_offer_and_has_price(world):
    document = _ofn()
    _price(document, "offers/10002")["dfc-b:value"] = "sept euros"

    line, column, reason = _only_error(_refused(world, document))

    assert (line, column) == (2, "dfc-b:hasPrice")
    assert f"{OFN}offers/10002" in reason and "sept euros" in reason


def test_a_vat_rate_as_text_names_the_offer_and_vat_rate(world):
    document = _ofn()
    _price(document)["dfc-b:VATrate"] = "réduit"

    line, column, reason = _only_error(_refused(world, document))

    assert (line, column) == (1, "dfc-b:VATrate") and f"{OFN}offers/10001" in reason


def test_a_vat_rate_the_organisation_does_not_use_names_the_item(world):
    document = _ofn()
    _price(document)["dfc-b:VATrate"] = 7

    line, column, reason = _only_error(_refused(world, document))

    assert (line, column) == (1, "dfc-b:VATrate")
    assert reason.startswith(f"Nœud {OFN}catalog_items/10001 : ")


def test_a_product_without_name(world):
    document = _ofn()
    del _node(document, "supplied_products/10002")["dfc-b:name"]

    line, column, reason = _only_error(_refused(world, document))

    assert (line, column) == (2, "dfc-b:name") and f"{OFN}supplied_products/10002" in reason


def test_a_quantity_of_zero_or_as_text(world):
    document = _ofn()
    _node(document, "supplied_products/10001")["dfc-b:hasQuantity"]["dfc-b:value"] = 0
    _node(document, "supplied_products/10002")["dfc-b:hasQuantity"]["dfc-b:value"] = "un"

    product_import = _refused(world, document)

    assert [(e["line"], e["column"]) for e in product_import.errors] == [
        (1, "dfc-b:hasQuantity"), (2, "dfc-b:hasQuantity")
    ]  # fmt: skip
    assert f"{OFN}supplied_products/10001" in product_import.errors[0]["reason"]


def test_an_item_referencing_no_product_and_an_item_without_offer(world):
    document = _ofn()
    _node(document, "catalog_items/10001")["dfc-b:references"] = OFN + "supplied_products/999"
    offer = _node(document, "offers/10003")
    document["@graph"].remove(offer)
    del _node(document, "catalog_items/10003")["dfc-b:offeredThrough"]

    product_import = _refused(world, document)

    errors = [(e["line"], e["column"]) for e in product_import.errors]
    assert errors == [(1, "dfc-b:references"), (3, "dfc-b:offeredThrough")]
    assert f"{OFN}catalog_items/10003" in product_import.errors[1]["reason"]


def test_two_items_of_one_product_and_a_product_without_id(world):
    document = _ofn()
    _node(document, "catalog_items/10002")["dfc-b:references"] = OFN + "supplied_products/10001"
    product = _node(document, "supplied_products/10003")
    document["@graph"].remove(product)
    del product["@id"]
    _node(document, "catalog_items/10003")["dfc-b:references"] = product

    product_import = _refused(world, document)

    assert [(e["line"], e["column"]) for e in product_import.errors] == [(2, "@id"), (3, "@id")]
    assert "ligne 1" in product_import.errors[0]["reason"]


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"{not json", "Ce n’est pas un document JSON"),
        (b'"a string"', "Ce n’est pas un document JSON-LD"),
        (json.dumps({"@context": "https://evil.example/context.json", "@id": "x"}).encode(),
         "https://evil.example/context.json"),
        (json.dumps({"@context": 5, "@id": "x"}).encode(), "JSON-LD"),
        (json.dumps({"name": "not DFC"}).encode(), "dfc-b:CatalogItem"),
        (b"[" * 100_000 + b"]" * 100_000, "trop profondément"),
    ],
)  # fmt: skip
def test_documents_that_are_no_dfc_catalog(world, content, reason):
    line, column, message = _only_error(_refused(world, content))

    assert (line, column) == (0, "")
    assert reason in message
