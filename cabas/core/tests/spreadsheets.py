"""Hostile spreadsheets for the upload tests, built on the fly (nothing big in the repository),
and a measure of what refusing one costs."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

MB = 1024 * 1024

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_RELS_NS}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'{_XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{_REL}">'
    '<sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_RELS_NS}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _xlsx(sheet_parts, shared_strings_parts) -> bytes:
    """A minimal XLSX whose sheet and shared strings are written from iterables of text, so
    that a huge part is packed without being held in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, parts in (
            ("xl/worksheets/sheet1.xml", sheet_parts),
            ("xl/sharedStrings.xml", shared_strings_parts),
        ):
            with archive.open(name, "w", force_zip64=True) as stream:
                for part in parts:
                    stream.write(part.encode())
    return buffer.getvalue()


@cache
def shared_string_bomb(megabytes: int = 400) -> bytes:
    """One cell whose shared string is ``megabytes`` MB of "A" (about 1 kB packed per MB;
    built once per test run, in a few seconds)."""
    chunk = "A" * MB

    def strings():
        yield '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        yield 'uniqueCount="1"><si><t>'
        for _ in range(megabytes):
            yield chunk
        yield "</t></si></sst>"

    sheet = [_SHEET_START, '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>',
             "</sheetData></worksheet>"]  # fmt: skip
    return _xlsx(sheet, strings())


@cache
def wide_sheet(rows: int = 300, columns: int = 16_384, *, dimension: bool = True) -> bytes:
    """``rows`` rows of ``columns`` numbers each (16,384 is the last column, XFD)."""
    row_cells = '<c t="n"><v>1</v></c>' * columns

    def sheet():
        yield _SHEET_START
        if dimension:
            yield f'<dimension ref="A1:{_column_letters(columns)}{rows}"/>'
        yield "<sheetData>"
        for number in range(1, rows + 1):
            yield f'<row r="{number}">{row_cells}</row>'
        yield "</sheetData></worksheet>"

    empty_strings = ['<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>']
    return _xlsx(sheet(), empty_strings)


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class Cost:
    seconds: float
    peak_mb: float
    error: Exception | None


def cost_of(call: Callable[[], object]) -> Cost:
    """How long ``call`` takes and the peak of the memory Python allocates meanwhile; the
    exception it raised, if any."""
    tracemalloc.start()
    started = time.perf_counter()
    error = None
    try:
        call()
    except Exception as exc:  # the refusal is the expected outcome
        error = exc
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Cost(seconds=seconds, peak_mb=peak / MB, error=error)
