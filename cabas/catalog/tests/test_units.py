"""A product's content and its reference price (the price per kg or per litre French shops
must show), computed from the price and the content; labels read as contents by the
migration of old products; the product form's content fields."""

import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from cabas.catalog import services
from cabas.catalog.errors import ContentIncomplete
from cabas.catalog.models import Product
from cabas.catalog.units import ParsedContent, parse_content, reference_price
from cabas.core.quantities import Unit

from .factories import ProductFactory

D = Decimal
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("price", "unit", "expected"),
    [
        ("12.50", Unit(content_quantity=D("75"), content_unit="cl"), (D("16.67"), "L")),
        ("2.80", Unit(content_quantity=D("33"), content_unit="cl"), (D("8.48"), "L")),
        ("9.50", Unit(label="bib", content_quantity=D("3"), content_unit="l"), (D("3.17"), "L")),
        ("17.50", Unit(content_quantity=D("33"), content_unit="cl", content_count=6),
         (D("8.84"), "L")),
        ("3.50", Unit(content_quantity=D("250"), content_unit="g"), (D("14.00"), "kg")),
        ("4.50", Unit(content_quantity=D("15"), content_unit="ml"), (D("300.00"), "L")),
        ("85.00", Unit(content_quantity=D("5"), content_unit="kg"), (D("17.00"), "kg")),
        ("4.00", Unit(kind="weight"), (D("4.00"), "kg")),
        ("2.20", Unit(kind="volume"), (D("2.20"), "L")),
    ],
)  # fmt: skip
def test_the_reference_price_is_the_price_over_the_whole_content(price, unit, expected):
    reference = reference_price(D(price), unit)
    assert (reference.amount, reference.unit) == expected


def test_no_reference_price_without_a_content_and_per_kg_for_a_weighed_piece():
    assert reference_price(D("2.50"), Unit(label="botte")) is None
    weighed = Unit(variable_weight=True, estimated_weight_kg=D("1.6"))
    assert reference_price(D("19.04"), weighed, price_per_kg=D("11.90")).amount == D("11.90")


@pytest.mark.django_db
def test_a_bottle_shows_its_price_its_content_and_its_price_per_litre():
    oil = ProductFactory(
        name="Huile d'olive", price=D("12.50"), content_quantity=D("75"), content_unit="cl"
    )
    with translation.override("fr"):
        assert oil.offer_text.replace(NBSP, " ") == "75 cl · 12,50 € (16,67 €/L)"
    with translation.override("en"):
        assert oil.offer_text.replace(NBSP, " ") == "75 cl · €12.50 (€16.67/L)"


@pytest.mark.parametrize(
    ("label", "parsed"),
    [
        ("75 cl", ParsedContent("", 1, D("75"), "cl")),
        ("500g", ParsedContent("", 1, D("500"), "g")),
        ("1 L", ParsedContent("", 1, D("1"), "l")),
        ("1,5 kg", ParsedContent("", 1, D("1.5"), "kg")),
        ("6 x 33 cl", ParsedContent("", 6, D("33"), "cl")),
        ("6×33cl", ParsedContent("", 6, D("33"), "cl")),
        ("bocal 400 g", ParsedContent("bocal", 1, D("400"), "g")),
        ("barquette de 250 g", ParsedContent("barquette", 1, D("250"), "g")),
        ("bag-in-box 3 L", ParsedContent("bag-in-box", 1, D("3"), "l")),
        ("2 litres", ParsedContent("", 1, D("2"), "l")),
        ("botte", None),
        ("x4", None),
        ("pièce", None),
        ("kg", None),
        ("", None),
        ("0 g", None),
    ],
)
def test_a_label_reads_as_a_content_when_the_whole_label_is_one(label, parsed):
    assert parse_content(label) == parsed


_migration = importlib.import_module("cabas.catalog.migrations.0006_product_content_from_labels")


def _old(kind, label, step="1", variable=False):
    return SimpleNamespace(
        unit_kind=kind,
        unit_label=label,
        min_quantity=D(step),
        quantity_step=D(step),
        variable_weight=variable,
        content_quantity=None,
    )


def test_the_migration_makes_bottles_pieces_and_keeps_loose_litres():
    beer = _migration.content_from_label(_old("volume", "33 cl"))
    assert beer == {
        "unit_kind": "piece",
        "unit_label": "",
        "content_quantity": D("33"),
        "content_unit": "cl",
        "content_count": 1,
    }
    assert _migration.content_from_label(_old("piece", "6 x 33 cl"))["content_count"] == 6
    assert _migration.content_from_label(_old("piece", "bocal 400 g"))["unit_label"] == "bocal"
    # Sold loose by half-litres: still by volume; by weight, weighed, or no content: unchanged.
    assert _migration.content_from_label(_old("volume", "1 L", step="0.5")) == {}
    assert _migration.content_from_label(_old("weight", "500 g")) == {}
    assert _migration.content_from_label(_old("piece", "500 g", variable=True)) == {}
    assert _migration.content_from_label(_old("piece", "botte")) == {}


@pytest.mark.django_db
def test_a_content_needs_its_unit_and_a_weighed_product_has_none():
    product = ProductFactory(name="Huile d'olive", price=D("12.50"))
    before = Product.objects.values().get(pk=product.pk)
    with pytest.raises(ContentIncomplete) as refused:
        services.product_update(product=product, content_quantity=D("75"), content_unit="")
    assert refused.value.field == "content_unit"
    assert Product.objects.values().get(pk=product.pk) == before

    services.product_update(product=product, content_quantity=D("75"), content_unit="cl")
    product.refresh_from_db()
    assert (product.content_quantity, product.content_unit, product.content_count) == (
        D("75"),
        "cl",
        1,
    )
    services.product_update(product=product, unit_kind="weight", quantity_step=D("0.5"),
                            min_quantity=D("0.5"))  # fmt: skip
    product.refresh_from_db()
    assert (product.content_quantity, product.content_unit) == (None, "")
