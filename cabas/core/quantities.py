"""What a quantity counts, and its one text: "4 × 250 g", "3 bottes", "1,2 kg", "2 × ~300 g".

A product (and an order line, which freezes the product's unit when it is placed) is sold:

- **by the piece** (``piece``): a count of things. A piece may have a **content**, its net
  quantity (``content_quantity`` of ``content_unit``: g, kg, ml, cl or L), or be a pack of
  ``content_count`` such contents ("6 × 33 cl"); without a content it has a free **label**
  ("botte", "douzaine"), else it is a "pièce". A piece of **variable weight** is priced per
  kg and weighed on distribution day: its estimated weight is shown until then.
- **by weight** (``weight``): a quantity in kg, served loose.
- **by volume** (``volume``): a quantity in litres, served loose (raw milk from the churn).
  A bottle is a piece with a content, never a volume.

``quantity_text`` is what ``format_quantity(quantity, unit)`` (``cabas.core.money``) and the
``quantity`` template filter show for a quantity *with* its unit; the bare number stays
``format_quantity(quantity)``. Nothing else writes a quantity with its unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import get_language, ngettext, npgettext, pgettext

PIECE, WEIGHT, VOLUME = "piece", "weight", "volume"

# The units of a content: how it is written, and its size in the reference unit (kg or L),
# the unit of the price per kg / per litre shops must show.
CONTENT_UNITS: dict[str, tuple[str, str, Decimal]] = {
    "g": ("g", "kg", Decimal("0.001")),
    "kg": ("kg", "kg", Decimal("1")),
    "ml": ("ml", "L", Decimal("0.001")),
    "cl": ("cl", "L", Decimal("0.01")),
    "l": ("L", "L", Decimal("1")),
}

# The attributes (or keys) a product, an order line or a row of them carries for its unit.
UNIT_FIELDS = (
    "unit_kind",
    "unit_label",
    "content_quantity",
    "content_unit",
    "content_count",
    "variable_weight",
    "estimated_weight_kg",
)


@dataclass(frozen=True)
class Unit:
    """What one unit of a product is (see the module). ``weighed_kg`` is an order line's
    weighed weight, once weighed."""

    kind: str = PIECE
    label: str = ""
    content_quantity: Decimal | None = None
    content_unit: str = ""
    content_count: int = 1
    variable_weight: bool = False
    estimated_weight_kg: Decimal | None = None
    weighed_kg: Decimal | None = None

    @property
    def has_content(self) -> bool:
        return (
            self.kind == PIECE
            and not self.variable_weight
            and bool(self.content_quantity)
            and self.content_unit in CONTENT_UNITS
        )

    def content_in_reference_unit(self) -> tuple[Decimal, str] | None:
        """The whole content of one piece in kg or L ("6 × 33 cl" → 1.98, "L"), or None."""
        if not self.has_content:
            return None
        _symbol, reference, factor = CONTENT_UNITS[self.content_unit]
        count = max(self.content_count or 1, 1)
        return Decimal(count) * Decimal(self.content_quantity) * factor, reference


def unit_of(source, *, weighed_kg=None) -> Unit:
    """The unit of a product, an order line, or a row (mapping) with the ``UNIT_FIELDS``;
    ``weighed_kg``, a line's weighed weight, is given (a sum of lines' weights is not one)."""

    def read(name, default=None):
        if isinstance(source, Mapping):
            return source.get(name, default)
        return getattr(source, name, default)

    return Unit(
        kind=read("unit_kind") or PIECE,
        label=(read("unit_label") or "").strip(),
        content_quantity=read("content_quantity"),
        content_unit=read("content_unit") or "",
        content_count=read("content_count") or 1,
        variable_weight=bool(read("variable_weight")),
        estimated_weight_kg=read("estimated_weight_kg"),
        weighed_kg=weighed_kg,
    )


# --- Texts ----------------------------------------------------------------------------------


def _number(value) -> str:
    from cabas.core.money import format_quantity

    return format_quantity(value)


def weight_text(kg) -> str:
    """A weight as a shop writes it: under a kilo in grams ("300 g"), else in kg ("1,2 kg")."""
    kg = Decimal(kg)
    if abs(kg) < 1:
        return f"{_number(kg * 1000)}\u00a0g"
    return f"{_number(kg)}\u00a0kg"


def content_text(unit: Unit) -> str:
    """The content of one piece: "75 cl", "500 g", "6 × 33 cl"; "" without one."""
    if not unit.has_content:
        return ""
    symbol = CONTENT_UNITS[unit.content_unit][0]
    single = f"{_number(unit.content_quantity)}\u00a0{symbol}"
    count = unit.content_count or 1
    return f"{count}\u00a0×\u00a0{single}" if count > 1 else single


def unit_text(unit: Unit) -> str:
    """What one unit is, for a "Unit" column or a product page: "75 cl", "bocal 400 g",
    "botte", "pièce ~300 g", "kg", "L"."""
    if unit.kind == WEIGHT:
        return "kg"
    if unit.kind == VOLUME:
        return "L"
    name = unit.label or pgettext("unit", "piece")
    if unit.variable_weight and unit.estimated_weight_kg:
        return f"{name} ~{weight_text(unit.estimated_weight_kg)}"
    content = content_text(unit)
    if content:
        return f"{unit.label} {content}" if unit.label else content
    return name


def plural_label(label: str, quantity) -> str:
    """A free unit label for ``quantity`` in the active language: "botte" → "bottes",
    "boîte de 6" → "boîtes de 6", "gâteau" → "gâteaux"; a label ending in s, x or z
    ("colis", "noix") stays; symbols ("kg") and labels starting with a digit stay."""
    number = Decimal(quantity)
    language = (get_language() or "fr").split("-")[0]
    plural = number >= 2 if language == "fr" else number != 1
    if not plural or not label or not label[0].isalpha() or len(label.split()[0]) < 3:
        return label
    first, _space, rest = label.partition(" ")
    lower = first.lower()
    if language == "en":
        if lower.endswith(("s", "x", "z", "ch", "sh")):
            first += "es"
        elif lower.endswith("y") and lower[-2:-1] not in "aeiou":
            first = first[:-1] + "ies"
        else:
            first += "s"
    elif lower.endswith(("s", "x", "z")):
        pass
    elif lower.endswith(("eau", "au", "eu")):
        first += "x"
    else:
        first += "s"
    return f"{first} {rest}" if rest else first


def quantity_text(quantity, unit: Unit) -> str:
    """The one text of a quantity of ``unit`` (see the module): "4 × 250 g",
    "2 lots de 6 × 33 cl", "3 bottes", "2 pièces", "1,2 kg", "1,5 L", "2 × ~300 g"
    before weighing and "2 pièces, 620 g" after."""
    if quantity is None or quantity == "":
        return ""
    quantity = Decimal(quantity)
    if unit.kind == WEIGHT:
        return weight_text(quantity)
    if unit.kind == VOLUME:
        return f"{_number(quantity)}\u00a0L"
    count = _number(quantity)
    if unit.variable_weight:
        if unit.weighed_kg is not None:
            return f"{_pieces(quantity, unit.label)}, {weight_text(unit.weighed_kg)}"
        if unit.estimated_weight_kg:
            return f"{count}\u00a0×\u00a0~{weight_text(unit.estimated_weight_kg)}"
        return _pieces(quantity, unit.label)
    if unit.has_content:
        if (unit.content_count or 1) > 1:
            return ngettext(
                "%(count)s pack of %(content)s", "%(count)s packs of %(content)s", int(quantity)
            ) % {"count": count, "content": content_text(unit)}
        return f"{count}\u00a0×\u00a0{content_text(unit)}"
    return _pieces(quantity, unit.label)


def _pieces(quantity: Decimal, label: str) -> str:
    if label[:1].isdigit():  # "4 tranches", "6 parts": 1 × 4 tranches, not "1 4 tranches"
        return f"{_number(quantity)}\u00a0×\u00a0{label}"
    if label:
        return f"{_number(quantity)} {plural_label(label, quantity)}"
    return ngettext("%(count)s piece", "%(count)s pieces", int(quantity)) % {
        "count": _number(quantity)
    }


def field_unit_text(unit: Unit, quantity) -> str:
    """The words after a quantity field of ``unit`` holding ``quantity``: ``quantity_text``
    without its number, in the unit the field counts (kg, never g): "kg", "L", "× 75 cl",
    "lots de 6 × 33 cl", "bottes", "pièce", "× ~300 g"."""
    if unit.kind == WEIGHT:
        return "kg"
    if unit.kind == VOLUME:
        return "L"
    # 0, 1 and 2 or more are every plural form of our languages; the shop writes one per
    # product in its basket on each page: each text is made once per process.
    return _field_unit_text(unit, min(int(Decimal(quantity or 1)), 2), get_language())


@lru_cache(maxsize=1024)
def _field_unit_text(unit: Unit, count: int, language: str) -> str:
    if unit.variable_weight and unit.estimated_weight_kg:
        return f"×\u00a0~{weight_text(unit.estimated_weight_kg)}"
    if unit.has_content:
        if (unit.content_count or 1) > 1:
            return ngettext("pack of %(content)s", "packs of %(content)s", count) % {
                "content": content_text(unit)
            }
        return f"×\u00a0{content_text(unit)}"
    if unit.label[:1].isdigit():
        return f"×\u00a0{unit.label}"
    if unit.label:
        return plural_label(unit.label, count)
    return npgettext("quantity field", "piece", "pieces", count)


def line_text(name: str, quantity, unit: Unit) -> str:
    """A product and its quantity in one phrase: "Brousse de brebis · 4 × 250 g"."""
    return f"{name} · {quantity_text(quantity, unit)}"
