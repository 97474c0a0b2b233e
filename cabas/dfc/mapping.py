"""Cabas units and categories in the DFC taxonomies: the mapping table, and its fallbacks.

Units. A DFC SuppliedProduct says what one unit sold holds with ``dfc-b:hasQuantity``: a
QuantitativeValue (a ``dfc-m:`` unit and a value). Cabas's unit (``cabas.core.quantities``) maps
to it so:

- sold by weight (price per kg): 1 ``Kilogram``; sold loose by the litre: 1 ``Litre``;
- a piece with a content: its whole content in the content's unit ("6 × 33 cl" → 198
  ``Centilitre``, "500 g" → 500 ``Gram``); its label ("bocal") is then not said;
- a variable-weight piece (priced per kg, weighed at pickup) with an estimated weight: that
  weight in ``Kilogram``;
- any other piece: 1 of the DFC unit its label names ("botte" → ``Bunch``, "douzaine" →
  ``Dozen``, ``UNIT_LABELS``), accents, case and plural ignored; **fallback**: 1 ``Piece``
  for an empty or unknown label.

Categories. A product's category maps to the most specific DFC product type that contains all
the category holds ("Salt, spices and condiments" → ``savory-groceries``, not ``salt``);
``CATEGORY_PRODUCT_TYPES`` is the table. **Fallback**: a category missing from the table takes
its family's type; "other" (and anything unknown) has none, and the product is published
without ``dfc-b:hasType`` (the property is optional in DFC).

Prices are in euros: ``dfc-m:Euro``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cabas.catalog import categories
from cabas.core.quantities import PIECE, VOLUME, WEIGHT, Unit
from cabas.core.search import search_words

from .vocabulary import MEASURES, PRODUCT_TYPES

EURO = MEASURES + "Euro"
PIECE_MEASURE = MEASURES + "Piece"

# Content units of a piece (cabas.core.quantities.CONTENT_UNITS) → DFC unit.
CONTENT_UNITS = {
    "g": MEASURES + "Gram",
    "kg": MEASURES + "Kilogram",
    "ml": MEASURES + "Millilitre",
    "cl": MEASURES + "Centilitre",
    "l": MEASURES + "Litre",
}

# What a piece is called in French (the words of its label, normalised by
# ``cabas.core.search.search_words``) → DFC unit, from the French labels of the measures
# taxonomy. Several words: the whole label must be those words.
UNIT_LABELS = {
    "piece": "Piece",
    "botte": "Bunch",
    "douzaine": "Dozen",
    "demi douzaine": "HalfDozen",
    "paire": "Pair",
    "pack de 4": "4Pack",
    "pack de 6": "6Pack",
    "bocal": "Jar",
    "bouteille": "Bottle",
    "pot": "Pot",
    "barquette": "Punnet",
    "sachet": "Packet",
    "sac": "Bag",
    "boite": "Box",
    "boite de conserve": "Tin",
    "panier": "Basket",
    "filet": "Net",
    "cagette": "Crate",
    "plateau": "Tray",
    "tube": "Tube",
    "rouleau": "Roll",
    "canette": "Can",
    "lot": "Bundle",
    "kit": "Kit",
    "tablette": "Tablet",
    "coli": "Package",  # "colis", its final s folded like a plural
    "seau": "Bucket",
    "carton": "Carton",
    "bac": "Tub",
    "poche": "Pouch",
}

# Cabas category code → DFC product type (local name in dfc-pt), or None for none.
CATEGORY_PRODUCT_TYPES: dict[str, str | None] = {
    "vegetables": "vegetable",
    "vegetables-fresh": "vegetable",
    "vegetables-salad": "vegetable",  # salads and herbs: DFC has salad and herb apart
    "vegetables-potatoes": "vegetable",  # potatoes and roots
    "fruit": "fruit",
    "fruit-fresh": "fruit",
    "fruit-dried": "dried-fruit",  # "fruit sec", nuts included as in French
    "dairy": "dairy-product",
    "dairy-cheese": "dairy-product",  # DFC's cheeses are by animal (cow, goat, sheep)
    "dairy-milk": "dairy-product",
    "dairy-yoghurt": "dairy-product",
    "meat": "meat-product",
    "meat-beef": "meat-product",  # beef and veal: DFC has beef and veal apart
    "meat-pork": "pork",
    "meat-lamb": "lamb",
    "meat-poultry": "poultry",
    "meat-charcuterie": "meat-product",
    "eggs": "egg",
    "bakery": "bakery",
    "bakery-bread": "bread",
    "bakery-pastry": "bakery",
    "grocery": "local-grocery-store",
    "grocery-flour": "dried_goods",
    "grocery-oil": "savory-groceries",
    "grocery-preserves": "local-grocery-store",  # jams and honey are sweet, preserves not
    "grocery-spices": "savory-groceries",
    "drinks": "drink",
    "drinks-beer": "beer",
    "drinks-wine": "alcoholic-beverage",
    "drinks-juice": "soft-drink",
    "hygiene": "inedible",
    "hygiene-soap": "cosmetic",
    "hygiene-home": "inedible",
    "other": None,
}


@dataclass(frozen=True)
class Quantity:
    """A DFC QuantitativeValue: a ``dfc-m:`` unit IRI and a value."""

    unit: str
    value: Decimal


def quantity_of(unit: Unit) -> Quantity:
    """What one unit of a product holds, in DFC terms (the rules in this module's docstring)."""
    if unit.kind == WEIGHT:
        return Quantity(MEASURES + "Kilogram", Decimal(1))
    if unit.kind == VOLUME:
        return Quantity(MEASURES + "Litre", Decimal(1))
    if unit.kind == PIECE and unit.has_content:
        count = max(unit.content_count or 1, 1)
        whole = Decimal(count) * Decimal(unit.content_quantity)
        return Quantity(CONTENT_UNITS[unit.content_unit], whole.normalize())
    if unit.variable_weight and unit.estimated_weight_kg:
        return Quantity(MEASURES + "Kilogram", Decimal(unit.estimated_weight_kg).normalize())
    return Quantity(measure_of_label(unit.label), Decimal(1))


def measure_of_label(label: str) -> str:
    """The DFC unit a piece's label names ("Botte" → Bunch), or ``Piece``."""
    words = search_words(label or "")
    name = UNIT_LABELS.get(" ".join(words))
    if name is None and len(words) == 1 and words[0].endswith("s"):
        name = UNIT_LABELS.get(words[0][:-1])  # short plurals search_words keeps: "pots"
    return MEASURES + name if name else PIECE_MEASURE


def product_type_of(category: str) -> str | None:
    """The DFC product type IRI of a Cabas category, its family's, or None."""
    if category in CATEGORY_PRODUCT_TYPES:
        name = CATEGORY_PRODUCT_TYPES[category]
    else:
        family = categories.family_of(category)
        name = CATEGORY_PRODUCT_TYPES.get(family.code) if family else None
    return PRODUCT_TYPES + name if name else None
