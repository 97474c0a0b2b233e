"""DFC units and product types back to Cabas's: the reverse of ``mapping``, for imports.

Units (a SuppliedProduct's ``dfc-b:hasQuantity``: a ``dfc-m:`` unit and a value):

- 1 ``Kilogram`` → sold by weight (price per kg), 1 ``Litre`` → sold loose by the litre: what
  Cabas itself publishes for them (a 1 kg bag reads the same: DFC cannot tell them apart);
- another quantity of a weight or volume unit (``Gram``, ``Kilogram``, ``Milligram``,
  ``Tonne``, ``Millilitre``, ``Centilitre``, ``Decilitre``, ``Litre``) → a piece with that
  content ("500 ``Gram``" → a piece of 500 g; milligrams, tonnes and decilitres are converted);
- a unit ``mapping.UNIT_LABELS`` names → a piece with its French label (``Bunch`` → "botte"),
  "2 × botte" for 2 of them; ``Piece`` → a piece without label ("lot de 6" for 6);
- **fallback**: any other unit (``Pound``, ``Gallon``, an IRI outside the measures) → a piece,
  as ``Piece``. A missing value counts as 1.

A pack ("6 × 33 cl", published as 198 ``Centilitre``) comes back as one content of 198 cl,
a variable-weight piece (published as its estimated weight) as a piece of that weight: the
same reference price, not the same form.

Product types: the first Cabas category of ``mapping.CATEGORY_PRODUCT_TYPES`` mapped to the
type (the family before its subcategories: ``vegetable`` → vegetables); **fallback**: "other"
for a type the table does not name (``tomato``, ``mature-cheese``…).

Namespaces: a unit or type is recognised by its local name in any DFC measures or
productTypes namespace (1.16.0's ``releases/latest`` or a versioned one of 2.0.0).
"""

from __future__ import annotations

from decimal import Decimal

from cabas.catalog.models import Product

from .mapping import CATEGORY_PRODUCT_TYPES, UNIT_LABELS

# DFC unit → (Cabas content unit, factor to it).
CONTENT_MEASURES = {
    "Milligram": ("g", Decimal("0.001")),
    "Gram": ("g", Decimal(1)),
    "Kilogram": ("kg", Decimal(1)),
    "Tonne": ("kg", Decimal(1000)),
    "Millilitre": ("ml", Decimal(1)),
    "Centilitre": ("cl", Decimal(1)),
    "Decilitre": ("cl", Decimal(10)),
    "Litre": ("l", Decimal(1)),
}
# DFC unit → French label (the first label of ``UNIT_LABELS`` naming it).
LABELS: dict[str, str] = {}
for _label, _name in UNIT_LABELS.items():
    LABELS.setdefault(_name, "colis" if _label == "coli" else _label)
LABELS["Piece"] = ""

# DFC product type → Cabas category (the first in the table: a family before its children).
CATEGORIES: dict[str, str] = {}
for _code, _type in CATEGORY_PRODUCT_TYPES.items():
    if _type:
        CATEGORIES.setdefault(_type, _code)

# The largest content a product holds (``Product.content_quantity``: 8 digits, 3 decimals).
MAX_CONTENT = Decimal("99999.999")


class QuantityInvalid(ValueError):
    """A quantity Cabas cannot hold (not above 0, too large); the message says why."""


def local_name(iri: str, scheme: str) -> str | None:
    """The concept's name when ``iri`` is in a DFC ``scheme`` ("measures", "productTypes")
    namespace, whatever its version; None otherwise."""
    namespace, hash_sign, name = (iri or "").rpartition("#")
    if hash_sign and name and namespace.rstrip("/").endswith((f"{scheme}.rdf", scheme)):
        return name
    return None


def unit_fields(unit_iri: str, value: Decimal | None) -> dict:
    """The unit fields of a product holding ``value`` ``unit_iri`` (the module's rules)."""
    value = Decimal(1) if value is None else value
    if value <= 0:
        raise QuantityInvalid("not above 0")
    name = local_name(unit_iri, "measures")
    fields = {
        "unit_kind": Product.UnitKind.PIECE,
        "unit_label": "",
        "content_quantity": None,
        "content_unit": "",
        "content_count": 1,
        "variable_weight": False,
    }
    if name in ("Kilogram", "Litre") and value == 1:
        weight = name == "Kilogram"
        kind = Product.UnitKind.WEIGHT if weight else Product.UnitKind.VOLUME
        return {**fields, "unit_kind": kind, "unit_label": "kg" if weight else "L"}
    if name in CONTENT_MEASURES:
        unit, factor = CONTENT_MEASURES[name]
        content = value * factor
        if content > MAX_CONTENT or content != content.quantize(Decimal("0.001")):
            raise QuantityInvalid("too large or too precise")
        return {**fields, "content_quantity": _plain(content), "content_unit": unit}
    label = LABELS.get(name or "", "")
    if value != 1:
        count = f"{_plain(value)}".replace(".", ",")
        label = f"{count} × {label}" if label else f"lot de {count}"
    return {**fields, "unit_label": label[:40]}


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros nor exponent (500, not 5E+2)."""
    return Decimal(format(value.normalize(), "f"))


def category_of(type_iri: str) -> str:
    """The Cabas category of a DFC product type, or "other"."""
    return CATEGORIES.get(local_name(type_iri, "productTypes") or "", "other")
