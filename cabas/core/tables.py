"""Tables in and out of files, one place for every import and export of the project.

Writing (``table_bytes``, ``table_response``): CSV (semicolon, UTF-8 with BOM, as French
spreadsheets open it) or XLSX (openpyxl, write-only). Every CSV and XLSX the project makes goes
through here, because a cell is a way into the reader's spreadsheet:

- a text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as
  a formula (``=HYPERLINK("https://…","Payer ici")`` in a product name). In CSV it gets a
  leading apostrophe (the OWASP advice; the reader below takes it off again); in XLSX it is a
  string cell — never a formula — marked "quote prefix", as a spreadsheet marks typed text;
- numbers stay numbers: an ``Amount`` (money) gets a currency format, another ``Decimal`` (a
  quantity, a rate) a number format, both written with their exact decimal digits (openpyxl
  would write ``Decimal("69.10")`` through a binary float, as 69.09999999999999). In CSV they
  are written with a decimal comma. A negative number is a number, never neutralised.

Reading (``read_table``): an uploaded CSV (comma or semicolon, UTF-8 or Windows-1252) or XLSX
becomes a header and rows of stripped text, or ``FileUnreadable`` says why. An upload is
small when packed and may be huge once unpacked, so ``check_table`` looks at it before any
parser does (the XLSX's zip directory: declared sizes, packing ratio, the shared strings'
size, each sheet's declared dimension; a CSV's line count and length), and the readers stop
at the row, column and cell limits while streaming (``TableLimits``, from the settings
``TABLE_IMPORT_MAX_*``).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .downloads import content_disposition

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

# A text starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = '#,##0.00\\ "€"'
WHOLE_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0##"
# A day is a date cell (a spreadsheet sorts and filters it as one), shown day/month/year.
DATE_FORMAT = "dd/mm/yyyy"


class Amount(Decimal):
    """A sum of money in a table: a number with a currency format in XLSX, two decimals in
    CSV. ``Amount(order.total)``; any other ``Decimal`` is a quantity or a rate."""

    __slots__ = ()


# --- Writing --------------------------------------------------------------------------------


def neutralised(text: str) -> str:
    """The text as a CSV cell: an apostrophe before a formula (also before a text that
    already starts with apostrophes followed by one, so the reader gives back the original)."""
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def _number_text(value: Decimal) -> str:
    if isinstance(value, Amount):
        value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    elif value == value.to_integral_value():
        value = value.quantize(Decimal("1"))
    else:
        value = value.normalize()
    return f"{value:f}"


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return _number_text(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralised(str(value))


class _ExactNumber(str):
    """The digits of a number, written as they are in a numeric cell (see ``_xlsx_cell``)."""

    __slots__ = ()


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet)
    if value is None:
        return cell
    if isinstance(value, bool):
        cell.value = value
        return cell
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        # openpyxl writes numbers with "%.16g" (through a float); its writer keeps a str as is.
        cell._value = _ExactNumber(_number_text(value))
        cell.data_type = "n"
        if isinstance(value, Amount):
            cell.number_format = MONEY_FORMAT
        elif value == value.to_integral_value():
            cell.number_format = WHOLE_FORMAT
        else:
            cell.number_format = DECIMAL_FORMAT
        return cell
    if isinstance(value, int):
        cell.value = value
        return cell
    if isinstance(value, date) and not isinstance(value, datetime):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, datetime):
        value = value.isoformat()
    text = str(value)
    cell._value = text  # never through ``cell.value``, which turns "=…" into a formula
    cell.data_type = "s"
    if text.lstrip("'").startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


# Excel's rules for a sheet's name: at most 31 characters, none of []:*?/\, no apostrophe at
# either end.
SHEET_TITLE_MAX = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\\s]+")
_WORD_ENDS = " -_·"


def sheet_title(title: str) -> str:
    """``title`` as an XLSX sheet's name: the characters Excel refuses become spaces, and a
    long title is cut after its last whole word that fits ("preparation-salle-des-fetes-
    2026-12-06" → "preparation-salle-des-fetes"), never in the middle of one."""
    text = _SHEET_TITLE_FORBIDDEN.sub(" ", title).strip(" '")
    if len(text) > SHEET_TITLE_MAX:
        kept = text[: SHEET_TITLE_MAX + 1]
        cut = max(kept.rfind(end) for end in _WORD_ENDS)
        text = kept[:cut] if cut > 0 else text[:SHEET_TITLE_MAX]
    return text.rstrip(_WORD_ENDS + "'")


def table_bytes(
    header: Sequence[str], rows: Iterable[Sequence], file_format: str, *, title: str = ""
) -> bytes:
    """The table as a CSV or XLSX file; see the module's account of what a cell becomes.
    ``title`` names the XLSX sheet (the file's name, not openpyxl's "Sheet")."""
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([_csv_cell(value) for value in header])
        writer.writerows([_csv_cell(value) for value in row] for row in rows)
        return buffer.getvalue().encode("utf-8-sig")
    if file_format == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=sheet_title(title) or None)
        sheet.append([_xlsx_cell(sheet, value) for value in header])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise ValueError(f"unknown table format: {file_format}")


def table_response(
    file_name: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    file_format: str,
    *,
    title: str = "",
) -> HttpResponse:
    """A download of the table as ``file_name.csv`` or ``file_name.xlsx``; ``title`` names
    the XLSX sheet as a person reads it ("Préparation Cagnac-les-Mines"; the file's name,
    a slug, when none is given)."""
    content_type = "text/csv; charset=utf-8" if file_format == "csv" else XLSX_TYPE
    content = table_bytes(header, rows, file_format, title=str(title) if title else file_name)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(f"{file_name}.{file_format}")
    return response


# --- Limits ---------------------------------------------------------------------------------

MB = 1024 * 1024


@dataclass(frozen=True)
class TableLimits:
    """How big an uploaded table may be once unpacked. ``rows`` does not count the header."""

    rows: int = 20_000
    columns: int = 100
    cells: int = 1_000_000
    uncompressed_bytes: int = 50 * MB
    shared_strings_bytes: int = 20 * MB
    compression_ratio: int = 100  # of a part of an XLSX over 1 MB once unpacked
    line_chars: int = 100_000  # of a CSV line

    @classmethod
    def from_settings(cls, **overrides) -> TableLimits:
        def setting(name: str, default: int) -> int:
            return getattr(settings, f"TABLE_IMPORT_MAX_{name}", default)

        limits = cls(
            rows=setting("ROWS", cls.rows),
            columns=setting("COLUMNS", cls.columns),
            cells=setting("CELLS", cls.cells),
            uncompressed_bytes=setting("UNCOMPRESSED_MB", cls.uncompressed_bytes // MB) * MB,
            shared_strings_bytes=setting("SHARED_STRINGS_MB", cls.shared_strings_bytes // MB) * MB,
            compression_ratio=setting("COMPRESSION_RATIO", cls.compression_ratio),
            line_chars=setting("LINE_CHARS", cls.line_chars),
        )
        return replace(limits, **overrides)


# Kept for the callers that name the line limit (the default of ``TableLimits.rows``).
MAX_LINES = TableLimits.rows
RATIO_CHECKED_FROM = MB  # small parts (styles, a short sheet) may pack tighter, harmlessly
MAX_XLSX_PARTS = 1_000


class FileUnreadable(Exception):
    """The file is not a CSV or XLSX that can be read; the message says why."""


class FileTooLarge(FileUnreadable):
    """The file is over one of the ``TableLimits``; the message says which."""


def report_response(request, files: dict, report: str, file_format: str) -> HttpResponse:
    """One of a page's report files: ``files`` maps a report's name in the URL to (the
    function making its table from the request, the file's name); named after the
    organisation. An unknown report or format does not exist (404)."""
    from django.http import Http404
    from django.utils.text import capfirst, slugify

    if report not in files or file_format not in FORMATS:
        raise Http404
    table, name = files[report]
    header, rows = table(request)
    file_name = f"{request.organisation.slug}-{slugify(str(name))}"
    return table_response(file_name, header, rows, file_format, title=capfirst(str(name)))


def _too_many_lines(limits: TableLimits) -> FileTooLarge:
    return FileTooLarge(_("The file has more than %(max)s lines.") % {"max": limits.rows})


def _too_many_columns(limits: TableLimits) -> FileTooLarge:
    return FileTooLarge(_("The file has more than %(max)s columns.") % {"max": limits.columns})


def _too_many_cells(limits: TableLimits) -> FileTooLarge:
    return FileTooLarge(_("The file has more than %(max)s cells.") % {"max": limits.cells})


def _megabytes(size: int) -> str:
    return f"{size / MB:.0f}"


def _is_xlsx(name: str, content: bytes) -> bool:
    return name.lower().endswith(".xlsx") or content[:2] == b"PK"


# --- Checking before reading ----------------------------------------------------------------


def check_table(name: str, content: bytes, limits: TableLimits | None = None) -> None:
    """Refuse, without parsing it, a file that is not a table or is over the limits: cheap
    enough for a web request (reads the zip directory and a few kB of each sheet)."""
    limits = limits or TableLimits.from_settings()
    if not content.strip():
        raise FileUnreadable(_("The file is empty."))
    if _is_xlsx(name, content):
        _check_xlsx(content, limits)
        return
    if name.lower().endswith((".csv", ".txt")):
        if b"\x00" in content[:65536]:  # e.g. an image or a spreadsheet renamed .csv
            raise FileUnreadable(_("This is not a CSV text file."))
        _check_csv_lines(content, limits)
        return
    raise FileUnreadable(_("Send a CSV or XLSX file."))


_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?\""
)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _check_xlsx(content: bytes, limits: TableLimits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise FileUnreadable(_("This XLSX file cannot be read.")) from exc
    if len(parts) > MAX_XLSX_PARTS:
        raise FileUnreadable(_("This XLSX file cannot be read."))
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.uncompressed_bytes:
        raise FileTooLarge(
            _("Once unpacked, the file takes %(size)s MB (%(max)s MB at most).")
            % {"size": _megabytes(unpacked), "max": _megabytes(limits.uncompressed_bytes)}
        )
    for part in parts:
        if part.file_size > RATIO_CHECKED_FROM and part.file_size > limits.compression_ratio * max(
            part.compress_size, 1
        ):
            raise FileTooLarge(
                _(
                    "This XLSX file is packed abnormally tight (%(size)s MB once unpacked): "
                    "save it again from your spreadsheet, or send it as CSV."
                )
                % {"size": _megabytes(part.file_size)}
            )
        lowered = part.filename.lower()
        if lowered.endswith("sharedstrings.xml") and part.file_size > limits.shared_strings_bytes:
            raise FileTooLarge(
                _("The texts of the file take %(size)s MB (%(max)s MB at most).")
                % {
                    "size": _megabytes(part.file_size),
                    "max": _megabytes(limits.shared_strings_bytes),
                }
            )
    for part in parts:
        if part.filename.lower().startswith("xl/worksheets/") and part.filename.endswith(".xml"):
            _check_dimension(archive, part, limits)


def _check_dimension(archive: zipfile.ZipFile, part: zipfile.ZipInfo, limits) -> None:
    """A sheet declares its extent at its start ("A1:XFD300"); refuse it over the limits.
    A sheet that lies or says nothing is stopped by the streaming reader instead."""
    try:
        with archive.open(part) as stream:
            start = stream.read(16_384)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
        raise FileUnreadable(_("This XLSX file cannot be read.")) from exc
    found = _DIMENSION.search(start)
    if not found:
        return
    first_column, first_row, last_column, last_row = found.groups()
    if last_column is None:
        return
    columns = _column_number(last_column) - _column_number(first_column) + 1
    rows = int(last_row) - int(first_row) + 1
    if columns > limits.columns:
        raise _too_many_columns(limits)
    if rows > limits.rows + 1:
        raise _too_many_lines(limits)
    if rows * columns > limits.cells:
        raise _too_many_cells(limits)


def _check_csv_lines(content: bytes, limits: TableLimits) -> None:
    """Lines counted and measured on the bytes, before decoding (a quoted cell over several
    lines counts once per line here: the margin is generous)."""
    if content.count(b"\n") > 2 * (limits.rows + 1) + 1_000:
        raise _too_many_lines(limits)
    start = 0
    while start < len(content):
        end = content.find(b"\n", start)
        end = len(content) if end == -1 else end
        # bytes ≥ characters; decoding would only shorten the line
        if (
            end - start > limits.line_chars
            and len(content[start:end].decode("utf-8", "replace")) > limits.line_chars
        ):
            raise FileTooLarge(
                _("A line of the file is longer than %(max)s characters.")
                % {"max": limits.line_chars}
            )
        start = end + 1


# --- Reading --------------------------------------------------------------------------------


def read_table(
    name: str, content: bytes, limits: TableLimits | None = None
) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV or XLSX file, as stripped text; checked first, then read
    while counting rows, columns and cells. Empty rows are left out."""
    header, numbered = read_numbered_table(name, content, limits)
    return header, [row for _number, row in numbered]


def read_numbered_table(
    name: str, content: bytes, limits: TableLimits | None = None
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Like ``read_table``, each row with its line number as a spreadsheet shows it: the
    header's row is line 1 when it is the first, empty rows are counted (and left out), a
    CSV cell over several lines is one row."""
    limits = limits or TableLimits.from_settings()
    check_table(name, content, limits)
    if _is_xlsx(name, content):
        rows = _read_xlsx(content, limits)
    else:
        rows = _read_csv(content, limits)
    if not rows:
        raise FileUnreadable(_("The file is empty."))
    header = [cell.strip() for cell in rows[0][1]]
    return header, [(number, [cell.strip() for cell in row]) for number, row in rows[1:]]


def _bounded(rows: Iterator[list[str]], limits: TableLimits) -> list[tuple[int, list[str]]]:
    """The non-empty rows with their line numbers (from 1, empty rows counted), stopping as
    soon as one limit is crossed."""
    kept: list[tuple[int, list[str]]] = []
    cells = 0
    for number, row in enumerate(rows, start=1):
        width = len(row)
        while width and not row[width - 1].strip():
            width -= 1  # empty cells at the end of a row are not columns
        if not width:
            continue
        if width > limits.columns:
            raise _too_many_columns(limits)
        cells += width
        if cells > limits.cells:
            raise _too_many_cells(limits)
        kept.append((number, row))
        if len(kept) > limits.rows + 1:
            raise _too_many_lines(limits)
    return kept


def _read_xlsx(content: bytes, limits: TableLimits) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileUnreadable(_("This XLSX file cannot be read.")) from exc
    try:
        if not workbook.worksheets:
            raise FileUnreadable(_("The file is empty."))
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        texts = (["" if value is None else _cell_text(value) for value in row] for row in values)
        try:
            return _bounded(texts, limits)
        except FileUnreadable:
            raise
        except Exception as exc:  # a damaged sheet fails while streaming
            raise FileUnreadable(_("This XLSX file cannot be read.")) from exc
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    return str(value).strip()


def _unneutralised(text: str) -> str:
    """A CSV cell as it was before ``neutralised``."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _read_csv(content: bytes, limits: TableLimits) -> list[tuple[int, list[str]]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 decodes almost anything; kept for clarity
        raise FileUnreadable(_("The file's characters cannot be read (UTF-8 or Windows-1252)."))
    end = text.find("\n")
    first_line = text if end == -1 else text[:end]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _bounded(([_unneutralised(cell) for cell in row] for row in reader), limits)
    except csv.Error as exc:
        raise FileUnreadable(_("This CSV file is malformed.")) from exc
