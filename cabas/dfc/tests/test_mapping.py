"""Cabas units and categories → DFC measures and product types, fallbacks included."""

from decimal import Decimal

import pytest

from cabas.catalog import categories
from cabas.core.quantities import PIECE, VOLUME, WEIGHT, Unit
from cabas.dfc import mapping, vocabulary
from cabas.dfc.mapping import Quantity, measure_of_label, product_type_of, quantity_of

M = vocabulary.MEASURES
PT = vocabulary.PRODUCT_TYPES


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        (Unit(kind=WEIGHT), Quantity(M + "Kilogram", Decimal(1))),
        (Unit(kind=VOLUME), Quantity(M + "Litre", Decimal(1))),
        # A 75 cl bottle: 75 Centilitre, its label not said.
        (
            Unit(kind=PIECE, label="bouteille", content_quantity=Decimal("75"), content_unit="cl"),
            Quantity(M + "Centilitre", Decimal(75)),
        ),
        # A pack of 6 × 33 cl: 6 × 33 = 198 Centilitre.
        (
            Unit(
                kind=PIECE, content_quantity=Decimal("33.000"), content_unit="cl", content_count=6
            ),
            Quantity(M + "Centilitre", Decimal(198)),
        ),
        (
            Unit(kind=PIECE, content_quantity=Decimal("500"), content_unit="g"),
            Quantity(M + "Gram", Decimal(500)),
        ),
        (
            Unit(kind=PIECE, content_quantity=Decimal("1.5"), content_unit="kg"),
            Quantity(M + "Kilogram", Decimal("1.5")),
        ),
        (
            Unit(kind=PIECE, content_quantity=Decimal("250"), content_unit="ml"),
            Quantity(M + "Millilitre", Decimal(250)),
        ),
        (
            Unit(kind=PIECE, content_quantity=Decimal("1"), content_unit="l"),
            Quantity(M + "Litre", Decimal(1)),
        ),
        # A cheese priced per kg, about 350 g a piece: 0.35 Kilogram.
        (
            Unit(kind=PIECE, variable_weight=True, estimated_weight_kg=Decimal("0.350")),
            Quantity(M + "Kilogram", Decimal("0.35")),
        ),
        # Variable weight without an estimate: one piece.
        (Unit(kind=PIECE, variable_weight=True), Quantity(M + "Piece", Decimal(1))),
        (Unit(kind=PIECE, label="botte"), Quantity(M + "Bunch", Decimal(1))),
        (Unit(kind=PIECE), Quantity(M + "Piece", Decimal(1))),
    ],
)
def test_quantity_of_each_kind_of_unit(unit, expected):
    assert quantity_of(unit) == expected


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("botte", "Bunch"),
        ("Botte", "Bunch"),
        ("bottes", "Bunch"),
        ("douzaine", "Dozen"),
        ("Demi-douzaine", "HalfDozen"),
        ("boîte", "Box"),
        ("Boîte de conserve", "Tin"),
        ("pack de 6", "6Pack"),
        ("pots", "Pot"),
        ("colis", "Package"),
        ("barquette", "Punnet"),
        # Fallback: unknown or empty labels are pieces.
        ("gâteau", "Piece"),
        ("", "Piece"),
        ("botte de 3", "Piece"),
    ],
)
def test_measure_of_label(label, name):
    assert measure_of_label(label) == M + name


def test_every_unit_iri_is_a_known_concept():
    known = vocabulary.known_concepts()
    iris = {mapping.EURO, mapping.PIECE_MEASURE, *mapping.CONTENT_UNITS.values()}
    iris |= {M + name for name in mapping.UNIT_LABELS.values()}
    assert iris <= known


def _all_codes(nodes):
    for node in nodes:
        yield node.code
        yield from _all_codes(node.children)


def test_every_category_is_in_the_table_and_maps_to_a_known_product_type():
    codes = set(_all_codes(categories.TREE))

    assert set(mapping.CATEGORY_PRODUCT_TYPES) == codes
    for code in codes:
        iri = product_type_of(code)
        assert iri is None or iri in vocabulary.known_concepts(), code


@pytest.mark.parametrize(
    ("category", "iri"),
    [
        ("dairy-cheese", PT + "dairy-product"),
        ("drinks-beer", PT + "beer"),
        ("grocery-spices", PT + "savory-groceries"),
        ("hygiene-soap", PT + "cosmetic"),
        ("eggs", PT + "egg"),
        ("other", None),
        ("no-such-category", None),
    ],
)
def test_product_type_of(category, iri):
    assert product_type_of(category) == iri


def test_a_category_missing_from_the_table_takes_its_familys_type(monkeypatch):
    table = dict(mapping.CATEGORY_PRODUCT_TYPES)
    del table["meat-pork"]
    monkeypatch.setattr(mapping, "CATEGORY_PRODUCT_TYPES", table)

    assert product_type_of("meat-pork") == PT + "meat-product"
