"""The one text of a quantity with its unit ("4 × 250 g", "3 bottes", "1,2 kg"), in French and
in English: contents, packs, plurals of free labels, weights, variable weights before and
after weighing."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from cabas.core.money import format_quantity
from cabas.core.quantities import Unit, content_text, field_unit_text, plural_label, unit_text

D = Decimal
NBSP = "\u00a0"

BRIE = Unit(content_quantity=D("250"), content_unit="g")
BOTTLE = Unit(content_quantity=D("75"), content_unit="cl")
LITRE = Unit(content_quantity=D("1"), content_unit="l")
PACK = Unit(content_quantity=D("33"), content_unit="cl", content_count=6)
BUNCH = Unit(label="botte")
PIECE = Unit()
KILO = Unit(kind="weight", label="kg")
LOOSE_MILK = Unit(kind="volume")
CHICKEN = Unit(label="", variable_weight=True, estimated_weight_kg=D("0.300"))
SLICES = Unit(label="4 tranches")  # a label that starts with its own count


def _text(quantity, unit, language):
    with translation.override(language):
        return format_quantity(D(quantity), unit).replace(NBSP, " ")


@pytest.mark.parametrize(
    ("quantity", "unit", "french", "english"),
    [
        ("4", BRIE, "4 × 250 g", "4 × 250 g"),
        ("4", LITRE, "4 × 1 L", "4 × 1 L"),
        ("2", BOTTLE, "2 × 75 cl", "2 × 75 cl"),
        ("1", PACK, "1 lot de 6 × 33 cl", "1 pack of 6 × 33 cl"),
        ("3", PACK, "3 lots de 6 × 33 cl", "3 packs of 6 × 33 cl"),
        ("1", BUNCH, "1 botte", "1 botte"),
        ("3", BUNCH, "3 bottes", "3 bottes"),
        ("1", PIECE, "1 pièce", "1 piece"),
        ("2", PIECE, "2 pièces", "2 pieces"),
        ("1.2", KILO, "1,2 kg", "1.2 kg"),
        ("0.500", KILO, "500 g", "500 g"),
        ("2", KILO, "2 kg", "2 kg"),
        ("1.5", LOOSE_MILK, "1,5 L", "1.5 L"),
        ("2", CHICKEN, "2 × ~300 g", "2 × ~300 g"),
        ("1", SLICES, "1 × 4 tranches", "1 × 4 tranches"),
        ("3", SLICES, "3 × 4 tranches", "3 × 4 tranches"),
    ],
)
def test_a_quantity_reads_with_its_unit(quantity, unit, french, english):
    assert _text(quantity, unit, "fr") == french
    assert _text(quantity, unit, "en") == english


def test_a_weighed_piece_reads_its_weighed_weight():
    weighed = Unit(variable_weight=True, estimated_weight_kg=D("0.3"), weighed_kg=D("0.620"))
    assert _text("2", weighed, "fr") == "2 pièces, 620 g"
    big = Unit(label="poulet", variable_weight=True, weighed_kg=D("1.740"))
    assert _text("1", big, "fr") == "1 poulet, 1,74 kg"
    assert _text("2", big, "en") == "2 poulets, 1.74 kg"


@pytest.mark.parametrize(
    ("label", "french_plural"),
    [
        ("botte", "bottes"),
        ("douzaine", "douzaines"),
        ("boîte de 6", "boîtes de 6"),
        ("lot de 4", "lots de 4"),
        ("gâteau", "gâteaux"),
        ("colis", "colis"),
        ("noix", "noix"),
        ("nez", "nez"),
        ("kg", "kg"),
        ("x4", "x4"),
    ],
)
def test_a_free_label_takes_the_french_plural(label, french_plural):
    with translation.override("fr"):
        assert plural_label(label, D("3")) == french_plural
        assert plural_label(label, D("1")) == label
        assert plural_label(label, D("1.5")) == label  # French: plural from 2


def test_a_free_label_takes_the_english_plural():
    with translation.override("en"):
        assert [plural_label(label, 2) for label in ("box", "bunch", "berry", "jar")] == [
            "boxes",
            "bunches",
            "berries",
            "jars",
        ]
        assert plural_label("box", D("1.5")) == "boxes"


def test_contents_and_units_read_as_written_on_a_shelf():
    assert [content_text(unit).replace(NBSP, " ") for unit in (BRIE, PACK, LITRE, BUNCH)] == [
        "250 g",
        "6 × 33 cl",
        "1 L",
        "",
    ]
    with translation.override("fr"):
        assert [
            unit_text(unit).replace(NBSP, " ")
            for unit in (BOTTLE, Unit(label="bocal", content_quantity=D("400"), content_unit="g"),
                         BUNCH, PIECE, KILO, LOOSE_MILK, CHICKEN)
        ] == ["75 cl", "bocal 400 g", "botte", "pièce", "kg", "L", "pièce ~300 g"]  # fmt: skip


def test_the_template_filter_takes_the_unit():
    template = Template("{{ q|quantity:unit }} / {{ q|quantity }}")
    with translation.override("fr"):
        shown = template.render(Context({"q": D("4.000"), "unit": BRIE}))
    assert shown.replace(NBSP, " ") == "4 × 250 g / 4"


def test_a_label_is_escaped_in_a_template():
    template = Template("{{ q|quantity:unit }}")
    with translation.override("fr"):
        shown = template.render(Context({"q": D("2"), "unit": Unit(label="<b>pot</b>")}))
    assert "<b>" not in shown and shown.startswith("2 &lt;b&gt;pot")


def test_nothing_reads_as_nothing():
    assert format_quantity(None, BRIE) == format_quantity("", BRIE) == ""


@pytest.mark.parametrize(
    ("quantity", "unit", "french"),
    [
        ("0.5", KILO, "kg"),  # the field counts kg, never "500 g"
        ("1.5", LOOSE_MILK, "L"),
        ("2", BOTTLE, "× 75 cl"),
        ("1", PACK, "lot de 6 × 33 cl"),
        ("3", PACK, "lots de 6 × 33 cl"),
        ("1", BUNCH, "botte"),
        ("3", BUNCH, "bottes"),
        ("1", PIECE, "pièce"),
        ("2", PIECE, "pièces"),
        ("2", CHICKEN, "× ~300 g"),
        ("1", SLICES, "× 4 tranches"),
    ],
)
def test_the_unit_beside_a_quantity_field_is_the_quantity_text_without_its_number(
    quantity, unit, french
):
    """What the shop writes after its quantity box: the one text of a quantity of that unit
    without the number typed in the box (and kg for a weight, which the box counts)."""
    with translation.override("fr"):
        beside = field_unit_text(unit, D(quantity)).replace(NBSP, " ")
        whole = format_quantity(D(quantity), unit).replace(NBSP, " ")
    assert beside == french
    if unit.kind == "piece":
        assert whole == f"{format_quantity(D(quantity))} {beside}"
