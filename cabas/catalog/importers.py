"""Reading product files: CSV (comma or semicolon, UTF-8 or Windows-1252, decimal point or
comma) and XLSX, in three column sets — ours, Cagette's and Open Food Network's.

``read_table`` (in ``cabas.core.tables``, re-exported here) turns a file into a header and rows
of text; ``parse_rows`` turns each row into
product fields or line errors (line, column, reason). Nothing here writes to the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _

# Reading a table is shared with other imports (members); the names stay importable from here.
from cabas.core import tables
from cabas.core.tables import MAX_LINES, FileUnreadable, read_table  # noqa: F401

from . import categories
from .models import Product

OUR_COLUMNS = [
    "reference",
    "name",
    "producer",
    "category",
    "description",
    "unit_kind",
    "unit_label",
    "price",
    "vat_rate",
    "variable_weight",
    "price_per_kg",
    "estimated_weight_kg",
    "min_quantity",
    "quantity_step",
    "organic",
    "local",
    "stock_mode",
    "quantity",
    "active",
]
CAGETTE_COLUMNS = [
    "productName", "price", "ref", "desc", "qt", "unit", "organic", "floatQt", "vat", "stock",
]  # fmt: skip
OFN_COLUMNS = [
    "producer", "sku", "name", "display_name", "category", "description", "units", "unit_type",
    "variant_unit_name", "price", "on_hand", "available_on", "on_demand", "shipping_category",
    "tax_category",
]  # fmt: skip

FORMATS = {"cabas": OUR_COLUMNS, "cagette": CAGETTE_COLUMNS, "ofn": OFN_COLUMNS}
REFERENCE_COLUMNS = {"cabas": "reference", "cagette": "ref", "ofn": "sku"}
# A weighed (or measured) product's minimum and step, when the file does not give them: one
# 400 g chop can be ordered.
WEIGHED_STEP = Decimal("0.1")

_RATE_IN_TEXT = re.compile(r"\d+(?:[.,]\d+)?")

TRUE = {"1", "true", "yes", "oui", "vrai", "x", "y", "o"}
FALSE = {"0", "false", "no", "non", "faux", "n", ""}


@dataclass
class LineError:
    line: int
    column: str
    reason: str


@dataclass
class ParsedLine:
    """One line of the file: the product fields it gives, and whether every value was read
    (``ok``). A line with errors is kept, so the producer and the reference are checked too
    and a line's problems are all reported at once. ``vat_missing``: no VAT rate given (an
    Open Food Network line with an empty tax category), the organisation's default applies."""

    line: int
    reference: str
    producer_name: str
    fields: dict
    ok: bool = True
    vat_missing: bool = False
    # The product's identifier on the platform the file comes from (a DFC SuppliedProduct's
    # ``@id``): matched before the reference.
    external_id: str = ""
    # Where the line is in a document that has no line numbers ("Node https://…"): said
    # before each problem the product rules find on it.
    source: str = ""


@dataclass
class ParseResult:
    format: str
    lines: list[ParsedLine] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def reference_column(self) -> str:
        if self.format in DOCUMENT_FORMATS:
            return DOCUMENT_FORMATS[self.format].columns.get("reference", "reference")
        return REFERENCE_COLUMNS[self.format]

    @property
    def producer_column(self) -> str:
        """Where a line names its producer (Cagette files do not: the reference says it)."""
        return "ref" if self.format == "cagette" else "producer"


@dataclass(frozen=True)
class DocumentFormat:
    """A file that is not a table, read by an app above the catalog (the DFC catalogs of
    ``cabas.dfc``, registered by its AppConfig): ``parse(content)`` gives the lines (or raises
    ``FileUnreadable``), ``columns`` names where each product field is in the document, for
    the errors of the product rules."""

    parse: Callable[[bytes], ParseResult]
    columns: dict[str, str]


# file format → how to read it; an import started with one of these formats skips the table.
DOCUMENT_FORMATS: dict[str, DocumentFormat] = {}


def document_format_register(name: str, document_format: DocumentFormat) -> None:
    DOCUMENT_FORMATS[name] = document_format


def detect_format(header: list[str]) -> str:
    """Which column set the header is: all of its required columns must be present."""
    present = {column.strip() for column in header}
    lowered = {column.lower() for column in present}
    if {"reference", "name", "price", "vat_rate"} <= lowered:
        return "cabas"
    if {"productName", "price", "ref"} <= present:
        return "cagette"
    if {"sku", "name", "price", "producer"} <= lowered:
        return "ofn"
    raise FileUnreadable(
        _(
            "The columns are not recognised. Use our template, a Cagette export "
            "(productName, price, ref…) or an Open Food Network product list (producer, sku, "
            "name…)."
        )
    )


def parse_decimal(text: str) -> Decimal:
    """A number as people type it in a spreadsheet: "1,25", "1.25", "1 234,56", "2,50 €";
    ``ValueError`` (with the reason, for the line's error) otherwise. The supplier price
    lists read their numbers with it too."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("€", "").replace("%", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")  # 1.234,56
    cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(_("“%(text)s” is not a number.") % {"text": text}) from exc
    if not value.is_finite():
        raise ValueError(_("“%(text)s” is not a number.") % {"text": text})
    return value


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise ValueError(_("“%(text)s” is not yes or no.") % {"text": text})


def _category(text: str) -> str:
    """A category code from a code, a label (English or French) or a word of it, e.g. an
    Open Food Network taxon such as "Dairy" or "Bread"; "other" when nothing matches."""
    if not text:
        return "other"
    if categories.is_valid(text):
        return text
    wanted = text.strip().lower()
    nodes = [node for family in categories.TREE for node in (family, *family.children)]
    for language in ("en", "fr"):
        with translation.override(language):
            labels = [(node.code, str(node.label).lower()) for node in nodes]
        for code, label in labels:
            if wanted == label:
                return code
    for code, label in labels:  # a word of a label or a code ("bread" → bakery-bread)
        if wanted in code.split("-") or wanted in label.split():
            return code
    return "other"


class _Line:
    """Collects one line's fields and errors, column by column."""

    def __init__(self, number: int, values: dict[str, str], result: ParseResult):
        self.number, self.values, self.result = number, values, result
        self.fields: dict = {}
        self.ok = True

    def text(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def number_of(self, column: str, target: str, *, required=False, minimum=None):
        text = self.text(column)
        if not text:
            if required:
                self.error(column, _("This value is required."))
            return None
        try:
            value = parse_decimal(text)
        except ValueError as exc:
            self.error(column, str(exc))
            return None
        if minimum is not None and value < minimum:
            self.error(column, _("The value cannot be below %(min)s.") % {"min": minimum})
            return None
        self.fields[target] = value
        return value

    def flag(self, column: str, target: str, default=False):
        try:
            self.fields[target] = _boolean(self.text(column)) if self.text(column) else default
        except ValueError as exc:
            self.error(column, str(exc))

    def error(self, column: str, reason: str) -> None:
        self.ok = False
        self.result.errors.append(LineError(self.number, column, reason))


def parse_rows(header: list[str], rows: list[tuple[int, list[str]]]) -> ParseResult:
    """Product fields for each line of a recognised file, and the reasons a value is refused.
    ``rows`` are numbered as a spreadsheet shows them (``tables.read_numbered_table``)."""
    file_format = detect_format(header)
    result = ParseResult(format=file_format)
    columns = [column.strip() for column in header]
    if file_format == "cabas":
        columns = [column.lower() for column in columns]
    parser = {"cabas": _parse_ours, "cagette": _parse_cagette, "ofn": _parse_ofn}[file_format]
    for number, row in rows:
        line = _Line(number, dict(zip(columns, row, strict=False)), result)
        reference, producer_name = parser(line)
        line.fields["reference"] = reference
        vat_missing = line.fields.pop("_vat_missing", False)
        result.lines.append(
            ParsedLine(number, reference, producer_name, line.fields, line.ok, vat_missing)
        )
    return result


def _name(line: _Line, column: str) -> None:
    name = line.text(column)
    if not name:
        line.error(column, _("The product needs a name."))
    elif len(name) > 200:
        line.error(column, _("The name is longer than 200 characters."))
    else:
        line.fields["name"] = name


def _parse_ours(line: _Line) -> tuple[str, str]:
    _name(line, "name")
    line.fields["description"] = line.text("description")
    line.fields["category"] = _category(line.text("category"))
    unit_kind = line.text("unit_kind") or Product.UnitKind.PIECE
    if unit_kind not in Product.UnitKind.values:
        line.error("unit_kind", _("Use piece, weight or volume."))
    line.fields["unit_kind"] = unit_kind
    line.fields["unit_label"] = line.text("unit_label")[:40]
    line.number_of("price", "price", required=True, minimum=0)
    line.number_of("vat_rate", "vat_rate", required=True, minimum=0)
    line.flag("variable_weight", "variable_weight")
    line.number_of("price_per_kg", "price_per_kg", minimum=0)
    line.number_of("estimated_weight_kg", "estimated_weight_kg", minimum=0)
    if line.number_of("min_quantity", "min_quantity", minimum=0) is None:
        line.fields.setdefault("min_quantity", Decimal("1"))
    if line.number_of("quantity_step", "quantity_step", minimum=0) is None:
        line.fields.setdefault("quantity_step", Decimal("1"))
    line.flag("organic", "is_organic")
    line.flag("local", "is_local")
    line.flag("active", "is_active", default=True)
    stock_mode = line.text("stock_mode") or Product.StockMode.UNLIMITED
    if stock_mode not in Product.StockMode.values:
        line.error("stock_mode", _("Use unlimited, per_sale or shop."))
    line.fields["stock_mode"] = stock_mode
    quantity = line.number_of("quantity", "_quantity", minimum=0)
    if stock_mode == Product.StockMode.PER_SALE:
        line.fields["default_quantity_per_sale"] = quantity
    elif stock_mode == Product.StockMode.SHOP:
        line.fields["stock_quantity"] = quantity
    line.fields.pop("_quantity", None)
    return line.text("reference"), line.text("producer")


def _parse_cagette(line: _Line) -> tuple[str, str]:
    _name(line, "productName")
    line.fields["description"] = line.text("desc")
    line.fields["category"] = "other"
    line.number_of("price", "price", required=True, minimum=0)
    line.number_of("vat", "vat_rate", required=True, minimum=0)
    _cagette_unit(line)
    line.flag("organic", "is_organic")
    line.fields["is_active"] = True
    if line.text("stock"):
        if line.number_of("stock", "stock_quantity", minimum=0) is not None:
            line.fields["stock_mode"] = Product.StockMode.SHOP
    else:
        line.fields["stock_mode"] = Product.StockMode.UNLIMITED
    return line.text("ref"), ""


def _cagette_unit(line: _Line) -> None:
    """Cagette sells ``qt`` ``unit`` (e.g. 1 kg) at ``price``; with ``floatQt`` a member may
    order a part of it. Such a product is sold by weight (or volume) in kg (or L), priced per
    kg (or L), from 0.1 by 0.1: a 400 g chop can be ordered. Otherwise it is a piece whose
    unit says its content ("500 g")."""
    unit = line.text("unit")
    size_text = line.text("qt")
    fractional = False
    try:
        fractional = _boolean(line.text("floatQt")) if line.text("floatQt") else False
    except ValueError as exc:
        line.error("floatQt", str(exc))
    kinds = {"kg": ("weight", 1), "g": ("weight", 1000), "l": ("volume", 1),
             "litre": ("volume", 1), "cl": ("volume", 100), "ml": ("volume", 1000)}  # fmt: skip
    kind, per_unit = kinds.get(unit.lower(), ("piece", 1))
    line.fields["unit_kind"] = Product.UnitKind.PIECE
    line.fields["unit_label"] = f"{size_text} {unit}".strip()[:40]
    line.fields["quantity_step"] = line.fields["min_quantity"] = Decimal("1")
    if not fractional or kind == "piece":
        return
    try:
        size = parse_decimal(size_text) / per_unit if size_text else Decimal("1")
    except ValueError as exc:
        line.error("qt", str(exc))
        return
    if size <= 0:
        line.error("qt", _("The value cannot be below %(min)s.") % {"min": 0})
        return
    line.fields["unit_kind"] = kind
    line.fields["unit_label"] = "kg" if kind == "weight" else "L"
    line.fields["quantity_step"] = line.fields["min_quantity"] = WEIGHED_STEP
    if line.fields.get("price") is not None and size != 1:
        line.fields["price"] = (line.fields["price"] / size).quantize(Decimal("0.01"))


def _parse_ofn(line: _Line) -> tuple[str, str]:
    _name(line, "name")
    line.fields["description"] = line.text("description")
    line.fields["category"] = _category(line.text("category"))
    line.number_of("price", "price", required=True, minimum=0)
    tax = line.text("tax_category")
    if not tax:
        line.fields["_vat_missing"] = True
    elif (rate := _RATE_IN_TEXT.search(tax)) is None:
        line.error("tax_category", _("“%(text)s” is not a VAT rate.") % {"text": tax})
    else:  # a rate, or a tax category named after its rate ("TVA 5,5 %", "VAT 20%")
        line.values["tax_category"] = rate.group(0)
        line.number_of("tax_category", "vat_rate", minimum=0)
    unit_type = line.text("unit_type").lower()
    units = line.text("units")
    variant = line.text("variant_unit_name")
    line.fields["unit_kind"] = Product.UnitKind.PIECE
    line.fields["unit_label"] = (f"{units} {unit_type}".strip() if unit_type else variant)[:40]
    line.fields["quantity_step"] = line.fields["min_quantity"] = Decimal("1")
    on_demand = False
    try:
        on_demand = _boolean(line.text("on_demand")) if line.text("on_demand") else False
    except ValueError as exc:
        line.error("on_demand", str(exc))
    if on_demand or not line.text("on_hand"):
        line.fields["stock_mode"] = Product.StockMode.UNLIMITED
    elif line.number_of("on_hand", "stock_quantity", minimum=0) is not None:
        line.fields["stock_mode"] = Product.StockMode.SHOP
    line.fields["is_active"] = True
    return line.text("sku"), line.text("producer")


def template_rows(products) -> tuple[list[str], list[list[str]]]:
    """Our column set, filled with ``products`` (the export, which imports back unchanged)."""
    rows = []
    for product in products:
        quantity = (
            product.stock_quantity
            if product.stock_mode == Product.StockMode.SHOP
            else product.default_quantity_per_sale
        )
        rows.append(
            [
                product.reference,
                product.name,
                product.producer.name,
                product.category,
                product.description,
                product.unit_kind,
                product.unit_label,
                tables.Amount(product.price),
                product.vat_rate,
                "1" if product.variable_weight else "0",
                None if product.price_per_kg is None else tables.Amount(product.price_per_kg),
                product.estimated_weight_kg,
                product.min_quantity,
                product.quantity_step,
                "1" if product.is_organic else "0",
                "1" if product.is_local else "0",
                product.stock_mode,
                quantity,
                "1" if product.is_active else "0",
            ]
        )
    return OUR_COLUMNS, rows


def template_example(producer_name: str = "") -> tuple[list[str], list[list[str]]]:
    """Our columns with two example lines (a bunch sold per piece, cheese by weight)."""
    producer = producer_name or _("Ferme des Quatre Vents")
    return OUR_COLUMNS, [
        [
            "CAR-BOT", _("Carrots"), producer, "vegetables", "", "piece", _("bunch"),
            tables.Amount("2.50"), Decimal("5.5"), "0", None, None, 1, 1, "1", "1", "per_sale",
            40, "1",
        ],
        [
            "TOM-KG", _("Tomatoes"), producer, "vegetables", "", "weight", "kg",
            tables.Amount("4.20"), Decimal("5.5"), "0", None, None, Decimal("0.5"),
            Decimal("0.5"), "1", "1", "unlimited", None, "1",
        ],
    ]  # fmt: skip
