"""A product's content and its reference price: the one place they are read and computed.

French law wants the price per kg or per litre (the *prix de référence*) shown beside the price
of a packed product; it is computed here from the price and the content, never typed. The
texts themselves (quantities, contents) are ``cabas.core.quantities``'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from cabas.core.money import format_money
from cabas.core.quantities import CONTENT_UNITS, PIECE, VOLUME, WEIGHT, Unit, unit_of, unit_text

# "75 cl", "500g", "1,5 L", "6 x 33 cl", "6×33cl", "bocal 400 g", "barquette de 250 g".
_CONTENT = re.compile(
    r"^(?P<label>[^\d]*?)\s*"
    r"(?:(?P<count>\d+)\s*[x×*]\s*)?"
    r"(?P<quantity>\d+(?:[.,]\d+)?)\s*"
    r"(?P<unit>kg|g|ml|cl|l|litres?|grammes?)\.?$",
    re.IGNORECASE,
)
_UNIT_WORDS = {"litre": "l", "litres": "l", "gramme": "g", "grammes": "g"}


@dataclass(frozen=True)
class ParsedContent:
    """A unit label read as a content: what remains of the label, the count, the quantity and
    the unit ("bocal 400 g" → "bocal", 1, 400, "g")."""

    label: str
    count: int
    quantity: Decimal
    unit: str


def parse_content(text: str) -> ParsedContent | None:
    """A unit label as a content, when the whole label is one ("75 cl", "6 x 33 cl", "1 L",
    "bocal 400 g"); None otherwise ("botte", "x4", "environ 1 kg ou plus")."""
    match = _CONTENT.match((text or "").strip())
    if not match:
        return None
    unit = match["unit"].lower()
    unit = _UNIT_WORDS.get(unit, unit)
    try:
        quantity = Decimal(match["quantity"].replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return None
    count = int(match["count"] or 1)
    if quantity <= 0 or not 1 <= count <= 1000:
        return None
    label = re.sub(r"\s+(?:de|d'|of)$", "", (match["label"] or "").strip(" -–—:,("), flags=re.I)
    return ParsedContent(label=label, count=count, quantity=quantity, unit=unit)


@dataclass(frozen=True)
class ReferencePrice:
    amount: Decimal
    unit: str  # "kg" or "L"

    def __str__(self) -> str:
        return f"{format_money(self.amount)}/{self.unit}"


def reference_price(price, unit: Unit, *, price_per_kg=None) -> ReferencePrice | None:
    """The price per kg or per litre of ``price`` for one ``unit``: a piece's price divided by
    its whole content (a 75 cl bottle at 12,50 € → 16,67 €/L), the price itself for what is
    sold by weight or volume, the price per kg of a variable-weight piece; None for a piece
    without a content."""
    if price is None:
        return None
    if unit.variable_weight:
        return ReferencePrice(Decimal(price_per_kg), "kg") if price_per_kg else None
    if unit.kind == WEIGHT:
        return ReferencePrice(Decimal(price), "kg")
    if unit.kind == VOLUME:
        return ReferencePrice(Decimal(price), "L")
    content = unit.content_in_reference_unit()
    if content is None or not content[0]:
        return None
    amount = (Decimal(price) / content[0]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return ReferencePrice(amount, content[1])


def price_text(price, unit: Unit, *, price_per_kg=None) -> str:
    """A price with its reference price: "12,50 € (16,67 €/L)" for a 75 cl bottle,
    "3,50 €/kg", "2,20 €/L" (loose), "2,50 € / botte", "26,00 €/kg" for a variable-weight
    piece (whose estimated weight is its unit's)."""
    reference = reference_price(price, unit, price_per_kg=price_per_kg)
    if unit.variable_weight or unit.kind in (WEIGHT, VOLUME):
        return str(reference) if reference else format_money(price)
    text = format_money(price)
    if reference:
        return _("%(price)s (%(reference)s)") % {"price": text, "reference": reference}
    if unit.label:
        return f"{text} / {unit.label}"
    return text


def offer_text(price, unit: Unit, *, price_per_kg=None) -> str:
    """What the shop shows under a product's name: its content or estimated weight, then its
    price: "75 cl · 12,50 € (16,67 €/L)", "pièce ~350 g · 26,00 €/kg", "3,50 €/kg"."""
    shown = price_text(price, unit, price_per_kg=price_per_kg)
    if unit.kind == PIECE and (unit.has_content or unit.variable_weight):
        return f"{unit_text(unit)} · {shown}"
    return shown


def product_unit(product) -> Unit:
    """The unit of a product (or of a row with the product's unit fields)."""
    return unit_of(product)


def content_fields(text: str, unit_kind: str = PIECE) -> dict:
    """The content fields a unit label fills when it reads as one (for the migration of old
    labels and for imports): ``content_quantity``, ``content_unit``, ``content_count`` and
    what is left of the label; {} when the label is no content."""
    parsed = parse_content(text)
    if parsed is None or parsed.unit not in CONTENT_UNITS:
        return {}
    return {
        "unit_label": parsed.label,
        "content_quantity": parsed.quantity,
        "content_unit": parsed.unit,
        "content_count": parsed.count,
    }


def label_with_content(label: str, quantity, unit: str, count: int) -> str:
    """A label and a content written back as one label ("bocal 400 g", "6 x 33 cl"): how
    the content migrations are undone."""
    if quantity is None:
        return label
    content = f"{Decimal(quantity).normalize():f} {CONTENT_UNITS[unit][0]}"
    if count and count > 1:
        content = f"{count} x {content}"
    return f"{label} {content}".strip()[:40]
