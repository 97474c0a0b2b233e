"""Tables as downloadable files: CSV (semicolon, UTF-8 with BOM, as French spreadsheets
open it) or XLSX (openpyxl). One place for every export of the project."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


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
