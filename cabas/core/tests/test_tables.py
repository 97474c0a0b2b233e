"""The one table writer and reader: formulas neutralised, numbers exact and formatted, text
kept through a round trip; uploads over the limits refused before or while being parsed."""

import io
import json
import re
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings
from openpyxl import Workbook, load_workbook

from cabas.core import tables
from cabas.core.tables import Amount, FileTooLarge, FileUnreadable

from .spreadsheets import cost_of, shared_string_bomb, wide_sheet

TRICKY = [
    '=HYPERLINK("https://evil.example/pay","Payer ici")',
    "=1+1",
    "+33 6 12 34 56 78",
    "-20 % sur le miel",
    "@SUM(A1:A2)",
    "'=déjà protégé",
    "''+deux apostrophes",
    "'simple apostrophe",
    "Tomme; « fermière »",
    "ligne 1\nligne 2",
]


def _xlsx_cells(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


# --- Writing ----------------------------------------------------------------------------------


def test_csv_text_that_starts_a_formula_gets_an_apostrophe_and_numbers_stay_numbers():
    rows = [["=1+1", Amount("69.10"), Decimal("-1.500"), -3, "ok"], ["\tx", None, 2, "", "-"]]

    content = tables.table_bytes(["a", "b", "c", "d", "e"], rows, "csv")

    assert content.decode("utf-8-sig").split("\r\n") == [
        "a;b;c;d;e",
        "'=1+1;69,10;-1,5;-3;ok",
        "'\tx;;2;;'-",
        "",
    ]


def test_xlsx_text_is_a_string_cell_never_a_formula_and_numbers_are_exact_and_formatted():
    rows = [[text, Amount("69.1"), Decimal("2.000"), Decimal("0.125"), 7] for text in TRICKY]

    cells = _xlsx_cells(tables.table_bytes(["t", "amount", "q", "kg", "n"], rows, "xlsx"))

    by_column = {}
    for cell in cells[5:]:
        by_column.setdefault(cell.column, []).append(cell)
    assert [(c.value, c.data_type) for c in by_column[1]] == [(t, "s") for t in TRICKY]
    assert [c.quotePrefix for c in by_column[1]] == [True] * 7 + [False] * 3
    assert {(c.value, c.data_type, c.number_format) for c in by_column[2]} == {
        (69.1, "n", '#,##0.00\\ "€"')
    }
    assert {(c.value, c.number_format) for c in by_column[3]} == {(2, "#,##0")}
    assert {(c.value, c.number_format) for c in by_column[4]} == {(0.125, "#,##0.0##")}
    assert {(c.value, c.data_type) for c in by_column[5]} == {(7, "n")}


def test_xlsx_amounts_are_written_with_their_decimal_digits_not_through_a_float():
    content = tables.table_bytes(["amount"], [[Amount("69.10")], [Amount("0.1")]], "xlsx")

    import zipfile

    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<v>69.10</v>" in sheet_xml and "<v>0.10</v>" in sheet_xml
    assert "69.09999" not in sheet_xml


@pytest.mark.parametrize("file_format", tables.FORMATS)
def test_text_comes_back_exactly_through_export_and_import(file_format):
    rows = [[text, Amount("-2.50")] for text in TRICKY]

    header, read = tables.read_table(
        f"t.{file_format}", tables.table_bytes(["texte", "montant"], rows, file_format)
    )

    assert header == ["texte", "montant"]
    assert [row[0] for row in read] == TRICKY
    assert {row[1] for row in read} == {"-2,50" if file_format == "csv" else "-2.5"}


# --- Limits -----------------------------------------------------------------------------------

MAX_SECONDS = 1.0  # the bound; the measured times are a few milliseconds
MAX_PEAK_MB = 50


def test_a_400_mb_shared_string_is_refused_at_once_with_little_memory():
    bomb = shared_string_bomb()
    assert len(bomb) < 500_000

    cost = cost_of(lambda: tables.read_table("factures.xlsx", bomb))

    assert isinstance(cost.error, FileTooLarge)
    assert str(cost.error) == "Une fois décompressé, le fichier pèse 400 Mo (50 Mo au plus)."
    assert cost.seconds < MAX_SECONDS and cost.peak_mb < MAX_PEAK_MB, cost


def test_300_rows_of_16384_cells_are_refused_at_once_with_little_memory():
    wide = wide_sheet()
    assert len(wide) < 600_000

    cost = cost_of(lambda: tables.read_table("large.xlsx", wide))

    assert isinstance(cost.error, FileTooLarge)
    assert cost.seconds < MAX_SECONDS and cost.peak_mb < MAX_PEAK_MB, cost


_MEASURE = """
import json, resource, sys, time
import django
django.setup()
from cabas.core import tables
from cabas.core.tests.spreadsheets import shared_string_bomb, wide_sheet
files = {"bomb": shared_string_bomb(), "wide": wide_sheet()}
found = {}
for name, content in files.items():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        tables.read_table(name + ".xlsx", content)
        error = ""
    except tables.FileUnreadable as exc:
        error = type(exc).__name__
    seconds = time.perf_counter() - started
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    found[name] = {"error": error, "seconds": seconds, "grown_mb": grown_kb / 1024}
print(json.dumps(found))
"""


def test_the_process_does_not_grow_when_refusing_them():
    """Measured in a fresh process (its resident set, C allocations included)."""
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", _MEASURE],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": ""},
        check=True,
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    for name in ("bomb", "wide"):
        assert found[name]["error"] == "FileTooLarge", found
        assert found[name]["seconds"] < MAX_SECONDS, found
        assert found[name]["grown_mb"] < MAX_PEAK_MB, found


def _workbook(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_declared_dimension_of_a_sheet_is_checked_before_reading_it():
    content = _workbook([[f"colonne {n}" for n in range(150)], list(range(150))])

    with pytest.raises(FileTooLarge) as error:
        tables.check_table("large.xlsx", content)

    assert str(error.value) == "Le fichier a plus de 100 colonnes."


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"rows": 5}, "Le fichier a plus de 5 lignes."),
        ({"columns": 5}, "Le fichier a plus de 5 colonnes."),
        ({"cells": 50}, "Le fichier a plus de 50 cellules."),
    ],
)
@pytest.mark.parametrize("file_format", tables.FORMATS)
def test_rows_columns_and_cells_are_counted_while_reading(limits, message, file_format):
    """A sheet may lie about its size or say nothing: the reader counts as it goes."""
    rows = [[f"{r}-{c}" for c in range(10)] for r in range(10)]
    content = tables.table_bytes([f"c{c}" for c in range(10)], rows, file_format)

    with pytest.raises(FileTooLarge) as error:
        tables.read_table(f"t.{file_format}", content, tables.TableLimits(**limits))

    assert str(error.value) == message


def test_the_limits_come_from_the_settings(settings):
    settings.TABLE_IMPORT_MAX_ROWS = 3
    settings.TABLE_IMPORT_MAX_UNCOMPRESSED_MB = 2
    limits = tables.TableLimits.from_settings(columns=7)

    assert (limits.rows, limits.uncompressed_bytes, limits.columns) == (3, 2 * 1024 * 1024, 7)


def test_the_shared_strings_have_their_own_limit(settings):
    settings.TABLE_IMPORT_MAX_SHARED_STRINGS_MB = 1
    settings.TABLE_IMPORT_MAX_COMPRESSION_RATIO = 100_000

    with pytest.raises(FileTooLarge) as error:
        tables.read_table("textes.xlsx", shared_string_bomb(3))

    assert str(error.value) == "Les textes du fichier pèsent 3 Mo (1 Mo au plus)."


def test_a_part_packed_abnormally_tight_is_refused(settings):
    with pytest.raises(FileTooLarge) as error:
        tables.read_table("serre.xlsx", wide_sheet(30, dimension=False))

    assert "anormalement" in str(error.value)


def test_csv_lines_are_counted_and_measured_before_decoding():
    limits = tables.TableLimits(rows=10, line_chars=200)
    long_line = b"nom;description\r\nRadis;" + b"x" * 300 + b"\r\n"
    many_lines = b"nom\r\n" + b"Radis\r\n" * 2_100

    with pytest.raises(FileTooLarge) as long_error:
        tables.read_table("long.csv", long_line, limits)
    with pytest.raises(FileTooLarge) as many_error:
        tables.read_table("many.csv", many_lines, limits)

    assert str(long_error.value) == "Une ligne du fichier dépasse 200 caractères."
    assert str(many_error.value) == "Le fichier a plus de 10 lignes."


def test_a_damaged_xlsx_is_unreadable_not_an_error():
    with pytest.raises(FileUnreadable) as error:
        tables.read_table("abime.xlsx", b"PK\x03\x04" + bytes(300))

    assert str(error.value) == "Ce fichier XLSX ne peut pas être lu."


def test_no_module_but_the_table_writer_writes_csv_or_xlsx():
    """One writer: any other csv writer or openpyxl workbook would escape the neutralising."""
    root = settings.BASE_DIR / "cabas"
    writers = re.compile(r"csv\.writer|DictWriter|openpyxl|xlsxwriter")
    found = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*.py"))
        if "tests" not in path.parts and writers.search(path.read_text(encoding="utf-8"))
    ]
    assert found == ["core/tables.py"]


def test_rows_are_numbered_as_a_spreadsheet_shows_them():
    """Empty rows are counted (and left out), a CSV cell over two text lines is one row."""
    csv_content = b'a;b\r\n1;x\r\n\r\n;;\r\n2;"deux\r\nlignes"\r\n3;y\r\n'
    workbook = Workbook()
    for row in [["a", "b"], [1, "x"], [], [None, None], [2, "deux"], [3, "y"]]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)

    for name, content in (("t.csv", csv_content), ("t.xlsx", buffer.getvalue())):
        header, rows = tables.read_numbered_table(name, content)
        assert header == ["a", "b"], name
        assert [(number, row[0]) for number, row in rows] == [(2, "1"), (5, "2"), (6, "3")], name


def test_an_xlsx_download_s_sheet_is_named_after_its_file():
    response = tables.table_response("epicerie/stock:valeur", ["a"], [[1]], "xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["epicerie stock valeur"]


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        # 38 characters: the date does not fit, the point's name is kept whole.
        ("preparation-salle-des-fetes-2026-12-06", "preparation-salle-des-fetes"),
        ("emargement-marche-de-noel-du-bourg-2026-12-06", "emargement-marche-de-noel-du"),
        ("accounting-paniers-2026-12-06-42", "accounting-paniers-2026-12-06"),  # 32: one word out
        ("a" * 40, "a" * 31),  # one word too long for a sheet: cut at 31
        ("'[Stock]: valeur?'", "Stock valeur"),
        ("exactly-thirty-one-characters-x", "exactly-thirty-one-characters-x"),
    ],
)
def test_a_sheet_s_name_is_cut_after_a_whole_word(title, shown):
    assert tables.sheet_title(title) == shown
    assert len(shown) <= 31


def test_an_xlsx_download_s_sheet_takes_the_title_given_cut_at_a_word():
    response = tables.table_response(
        "emargement-cagnac-les-mines-foyer-2026-06-01", ["a"], [[1]], "xlsx",
        title="Émargement Cagnac-les-Mines Foyer",
    )  # fmt: skip
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Émargement Cagnac-les-Mines"]


def test_a_day_is_a_date_cell_in_xlsx_and_iso_text_in_csv():
    from datetime import date

    rows = [[date(2026, 6, 1), Amount("3")]]
    sheet = load_workbook(io.BytesIO(tables.table_bytes(["day", "x"], rows, "xlsx"))).active
    cell = sheet["A2"]
    assert (cell.value.date(), cell.number_format, cell.is_date) == (
        date(2026, 6, 1),
        "dd/mm/yyyy",
        True,
    )
    csv_text = tables.table_bytes(["day", "x"], rows, "csv").decode("utf-8-sig")
    assert csv_text.splitlines()[1] == "2026-06-01;3,00"
