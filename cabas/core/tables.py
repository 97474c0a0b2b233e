"""Tables in and out of files, one place for every import and export of the project.

Writing: CSV (semicolon, UTF-8 with BOM, as French spreadsheets open it) or XLSX (openpyxl).
Reading: ``read_table`` turns an uploaded CSV (comma or semicolon, UTF-8 or Windows-1252) or
XLSX into a header and rows of stripped text, or raises ``FileUnreadable`` saying why.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.translation import gettext as _

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
MAX_LINES = 20_000


def table_bytes(header: Sequence[str], rows: Iterable[Sequence], file_format: str) -> bytes:
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")
    if file_format == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise ValueError(f"unknown table format: {file_format}")


def table_response(
    file_name: str, header: Sequence[str], rows: Iterable[Sequence], file_format: str
) -> HttpResponse:
    """A download of the table as ``file_name.csv`` or ``file_name.xlsx``."""
    content_type = "text/csv; charset=utf-8" if file_format == "csv" else XLSX_TYPE
    response = HttpResponse(table_bytes(header, rows, file_format), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}.{file_format}"'
    return response


# --- Reading --------------------------------------------------------------------------------


class FileUnreadable(Exception):
    """The file is not a CSV or XLSX that can be read; the message says why."""


def read_table(name: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV or XLSX file, as stripped text."""
    if not content.strip():
        raise FileUnreadable(_("The file is empty."))
    if name.lower().endswith(".xlsx") or content[:2] == b"PK":
        return _read_xlsx(content)
    if name.lower().endswith((".csv", ".txt")):
        if b"\x00" in content[:65536]:  # e.g. an image or a spreadsheet renamed .csv
            raise FileUnreadable(_("This is not a CSV text file."))
        return _read_csv(content)
    raise FileUnreadable(_("Send a CSV or XLSX file."))


def _read_xlsx(content: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileUnreadable(_("This XLSX file cannot be read.")) from exc
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if value is None else _cell_text(value) for value in values])
        if len(rows) > MAX_LINES + 1:
            raise FileUnreadable(_("The file has more than %(max)s lines.") % {"max": MAX_LINES})
    workbook.close()
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise FileUnreadable(_("The file is empty."))
    return [cell.strip() for cell in rows[0]], rows[1:]


def _cell_text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    return str(value).strip()


def _read_csv(content: bytes):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 decodes almost anything; kept for clarity
        raise FileUnreadable(_("The file's characters cannot be read (UTF-8 or Windows-1252)."))
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise FileUnreadable(_("This CSV file is malformed.")) from exc
    if not rows:
        raise FileUnreadable(_("The file is empty."))
    if len(rows) > MAX_LINES + 1:
        raise FileUnreadable(_("The file has more than %(max)s lines.") % {"max": MAX_LINES})
    return [cell.strip() for cell in rows[0]], [[cell.strip() for cell in row] for row in rows[1:]]
