"""The reverse mapping (DFC units and types → Cabas), the sweep's command, and the check's
query count whatever the catalog's size."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cabas.dfc import mapping_back
from cabas.dfc.loader import CONTEXT_1_16
from cabas.dfc.vocabulary import MEASURES, PRODUCT_TYPES

from .importing import import_catalog

V2_MEASURES = "https://w3id.org/dfc/taxonomies/v2.0.0/measures.rdf#"


def _unit(name, value, namespace=MEASURES):
    fields = mapping_back.unit_fields(namespace + name, None if value is None else Decimal(value))
    return (fields["unit_kind"], fields["unit_label"], fields["content_quantity"],
            fields["content_unit"])  # fmt: skip


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("Kilogram", "1", ("weight", "kg", None, "")),
        ("Kilogram", "1.000", ("weight", "kg", None, "")),
        ("Litre", "1", ("volume", "L", None, "")),
        ("Kilogram", "2.5", ("piece", "", Decimal("2.5"), "kg")),
        ("Gram", "1000", ("piece", "", Decimal(1000), "g")),
        ("Milligram", "500", ("piece", "", Decimal("0.5"), "g")),
        ("Tonne", "0.5", ("piece", "", Decimal(500), "kg")),
        ("Decilitre", "5", ("piece", "", Decimal(50), "cl")),
        ("Millilitre", "750", ("piece", "", Decimal(750), "ml")),
        ("Bunch", "1", ("piece", "botte", None, "")),
        ("Bunch", "2", ("piece", "2 × botte", None, "")),
        ("Piece", "1", ("piece", "", None, "")),
        ("Piece", "6", ("piece", "lot de 6", None, "")),
        ("Piece", "1.5", ("piece", "lot de 1,5", None, "")),
        ("Package", "1", ("piece", "colis", None, "")),
        ("Jar", None, ("piece", "bocal", None, "")),
        # Fallback: a unit Cabas does not name is a piece.
        ("Pound", "1", ("piece", "", None, "")),
        ("Gallon", "3", ("piece", "lot de 3", None, "")),
    ],
)
def test_units_back(name, value, expected):
    assert _unit(name, value) == expected


def test_a_unit_is_recognised_in_a_versioned_namespace_and_not_elsewhere():
    assert _unit("Gram", "250", V2_MEASURES) == ("piece", "", Decimal(250), "g")
    assert _unit("Gram", "250", "https://example.org/units#") == ("piece", "lot de 250", None, "")


@pytest.mark.parametrize("value", ["0", "-1", "100000", "0.0001"])
def test_quantities_cabas_cannot_hold_are_refused(value):
    with pytest.raises(mapping_back.QuantityInvalid):
        mapping_back.unit_fields(MEASURES + "Gram", Decimal(value))


@pytest.mark.parametrize(
    "product_type, category",
    [
        ("vegetable", "vegetables"),
        ("dairy-product", "dairy"),
        ("meat-product", "meat"),
        ("pork", "meat-pork"),
        ("bread", "bakery-bread"),
        ("beer", "drinks-beer"),
        ("inedible", "hygiene"),
        ("cosmetic", "hygiene-soap"),
        ("tomato", "other"),  # fallback: a type the table does not name
    ],
)
def test_product_types_back(product_type, category):
    assert mapping_back.category_of(PRODUCT_TYPES + product_type) == category


def test_a_type_outside_the_product_types_is_other():
    assert mapping_back.category_of("https://example.org/types#vegetable") == "other"


def _catalog(count: int) -> dict:
    base = "https://hub.example/e/1"
    graph = []
    for n in range(count):
        graph += [
            {"@id": f"{base}/ci/{n}", "@type": "dfc-b:CatalogItem", "dfc-b:sku": f"S-{n}",
             "dfc-b:references": f"{base}/sp/{n}", "dfc-b:offeredThrough": f"{base}/o/{n}"},
            {"@id": f"{base}/sp/{n}", "@type": "dfc-b:SuppliedProduct", "dfc-b:name": f"P {n}",
             "dfc-b:hasQuantity": {"dfc-b:hasUnit": "dfc-m:Gram", "dfc-b:value": 100 + n}},
            {"@id": f"{base}/o/{n}", "@type": "dfc-b:Offer", "dfc-b:hasPrice": {
                "dfc-b:value": 1 + n, "dfc-b:VATrate": 5.5, "dfc-b:hasUnit": "dfc-m:Euro"}},
        ]  # fmt: skip
    return {"@context": CONTEXT_1_16, "@graph": graph}


@pytest.mark.django_db
def test_the_check_and_apply_cost_the_same_queries_for_5_or_25_products(world):
    # (25: under the rows of one SQLite insert batch, 999 variables)
    counts = []
    for count in (5, 25):
        with CaptureQueriesContext(connection) as queries:
            done = import_catalog(world, json.dumps(_catalog(count)).encode())
        assert (done.status, done.to_create) == ("done", count), done.errors
        counts.append(len(queries))
        done.organisation.products.all().delete()
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_command_reads_the_due_catalogs_and_says_how_many(capsys):
    call_command("dfc_catalogs_refresh")

    assert "DFC catalogs read again: 0" in capsys.readouterr().out
