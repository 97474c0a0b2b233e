"""Reading a supplier's price list: a CSV or XLSX (read by ``cabas.core.tables``, numbers by
the product import's ``parse_decimal``) whose columns are found by their names, in French
or English: reference, name, price excl. VAT per unit, package size (optional).

Suppliers' files often start with a title block (their name, the date): the header is the
first of the first ``HEADER_SEARCH_ROWS`` rows that names a reference and a price column. A
row without a price and with at most one cell (a section title such as "FRUITS SECS") is
left out. Nothing here touches the database: ``parse_price_list`` gives lines and line errors.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from cabas.catalog.importers import parse_decimal
from cabas.core import tables

HEADER_SEARCH_ROWS = 20
PRICE_PLACES = Decimal("0.0001")  # as SupplierItem.purchase_price
PACKAGE_PLACES = Decimal("0.001")  # as SupplierItem.package_size
MAX_PRICE = Decimal("100000000")  # 12 digits, 4 of them decimals
MAX_PACKAGE = Decimal("10000000")  # 10 digits, 3 of them decimals

# Column names as they are compared: lower case, no accents, words only ("Prix HT (€)" is
# "prix ht"), the most telling first: with "Prix" and "Prix HT", the price excl. VAT is the
# second; with "Désignation" and "Description", the name is the first. The template's own
# headers, in both languages, are among them.
COLUMN_NAMES = {
    "reference": (
        "reference fournisseur", "supplier s reference", "supplier reference", "reference",
        "ref", "ref article", "code article", "references", "code", "sku",
    ),
    "name": ("designation", "libelle", "name", "nom", "produit", "product", "description"),
    "price": (
        "prix d achat ht", "prix achat ht", "purchase price excl vat", "prix unitaire ht",
        "pu ht", "prix ht", "price excl vat", "tarif ht", "prix d achat", "prix achat",
        "purchase price", "unit price", "prix unitaire", "pu", "price", "prix", "tarif",
    ),
    "package_size": (
        "colisage", "package size", "pcb", "uvc par colis", "unites par colis", "pack size",
        "conditionnement", "colis", "package",
    ),
}  # fmt: skip
REQUIRED = ("reference", "price")
CURRENCY_WORDS = {"eur", "euro", "euros", "en"}  # at the end of a name: "prix HT en euros"


class PriceListUnreadable(Exception):
    """The file cannot be read as a price list; the message says why."""


@dataclass
class PriceLine:
    """One line of the list: the supplier's reference and name, the price excl. VAT per unit
    (four decimals) and the package size (None when the file does not give it)."""

    line: int
    reference: str
    name: str
    price: Decimal
    package_size: Decimal | None


@dataclass
class PriceList:
    columns: dict[str, str]  # field → the file's own column name, for the errors
    lines: list[PriceLine] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"line", "column", "reason"}
    total_lines: int = 0

    def error(self, line: int, field_name: str, reason: str) -> None:
        column = self.columns.get(field_name, "")
        self.errors.append({"line": line, "column": column, "reason": str(reason)})


def normalised(header: str) -> str:
    """A column name as it is compared: "Prix HT (€)", "Prix H.T." and "Prix HT en euros"
    → "prix ht", "Réf." → "ref"."""
    text = unicodedata.normalize("NFKD", header)
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    # Dots join the letters of an abbreviation ("P.U.", "H.T."); other marks part words.
    chunks = re.split(r"[\s'’_/\-]+", text)
    words = [word for chunk in chunks if (word := re.sub(r"[^a-z0-9]+", "", chunk))]
    while len(words) > 1 and words[-1] in CURRENCY_WORDS:
        words.pop()
    return " ".join(words)


def _columns(row: list[str]) -> dict[str, int]:
    """field → the position of its column in ``row``: the column with the most telling name
    (two columns with the same name: PriceListUnreadable, rather than a guess)."""
    best: dict[str, tuple[int, int]] = {}  # field → (rank of its name, position)
    for position, header in enumerate(row):
        key = normalised(header)
        for field_name, names in COLUMN_NAMES.items():
            if key not in names:
                continue
            rank = names.index(key)
            if field_name in best and best[field_name][0] == rank:
                raise PriceListUnreadable(
                    _("Two columns hold the same thing: “%(first)s” and “%(second)s”. Keep one.")
                    % {"first": row[best[field_name][1]], "second": header}
                )
            if field_name not in best or rank < best[field_name][0]:
                best[field_name] = (rank, position)
    return {field_name: position for field_name, (_rank, position) in best.items()}


def _header(header: list[str], rows: list[tuple[int, list[str]]]):
    """The header's columns and the rows under it."""
    candidates = [(0, header), *[(index + 1, row) for index, (_number, row) in enumerate(rows)]]
    for index, row in candidates[:HEADER_SEARCH_ROWS]:
        columns = _columns(row)
        if all(name in columns for name in REQUIRED):
            return columns, row, rows[index:]
    raise PriceListUnreadable(
        _(
            "The columns are not recognised: the file needs a reference column (référence, "
            "ref…) and a price column excl. VAT (prix HT, prix…); designation and package size "
            "(colisage, conditionnement, PCB) may follow."
        )
    )


def read_price_list(file_name: str, content: bytes) -> PriceList:
    """The file's lines, or PriceListUnreadable (the file, or its columns, cannot be read)."""
    try:
        header, rows = tables.read_numbered_table(
            file_name, content, tables.TableLimits.from_settings()
        )
    except tables.FileUnreadable as exc:
        raise PriceListUnreadable(str(exc)) from exc
    positions, header_row, rows = _header(header, rows)
    result = PriceList(columns={name: header_row[at] for name, at in positions.items()})
    for number, row in rows:
        values = {name: (row[at] if at < len(row) else "") for name, at in positions.items()}
        if not values["price"] and sum(1 for cell in row if cell) < 2:
            continue  # a section title ("ÉPICERIE") or a note between the lines
        result.total_lines += 1
        _parse_line(number, values, result)
    return result


def _number(result: PriceList, number: int, field_name: str, text: str, places, maximum):
    try:
        value = parse_decimal(text)
    except ValueError as exc:
        result.error(number, field_name, str(exc))
        return None
    if value >= maximum:
        result.error(number, field_name, _("“%(text)s” is too large.") % {"text": text})
        return None
    return value.quantize(places, rounding=ROUND_HALF_UP)


def _parse_line(number: int, values: dict[str, str], result: PriceList) -> None:
    reference, price_text = values["reference"], values["price"]
    ok = True
    if not reference:
        result.error(number, "reference", _("The reference is missing."))
        ok = False
    elif len(reference) > 64:
        result.error(number, "reference", _("The reference is longer than 64 characters."))
        ok = False
    price = None
    if not price_text:
        result.error(number, "price", _("The purchase price is missing."))
    else:
        price = _number(result, number, "price", price_text, PRICE_PLACES, MAX_PRICE)
        if price is not None and price < 0:
            result.error(number, "price", _("A price cannot be negative."))
            price = None
        elif price is not None and price == 0:
            result.error(number, "price", _("The price must be above zero."))
            price = None
    package_size = None
    package_text = values.get("package_size", "")
    if package_text:
        package_size = _number(
            result, number, "package_size", package_text, PACKAGE_PLACES, MAX_PACKAGE
        )
        if package_size is not None and package_size <= 0:
            result.error(number, "package_size", _("The package size must be above zero."))
            package_size = None
        ok = ok and package_size is not None
    if ok and price is not None:
        name = values.get("name", "")[:200]
        result.lines.append(PriceLine(number, reference, name, price, package_size))
