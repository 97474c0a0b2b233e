"""Product files: the three column sets, CSV and XLSX, all or nothing, bad input, round trip."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cabas.catalog.errors import ImportFileTooBig, ImportFileUnreadable, ImportProducerMissing
from cabas.catalog.models import Product, ProductImport, StockMovement
from cabas.catalog.tests.factories import ProducerLinkFactory, ProductFactory
from cabas.core import tables
from cabas.core.tests.spreadsheets import cost_of, shared_string_bomb, wide_sheet

from .importing import FILES, HEADER
from .importing import csv_file as _csv
from .importing import import_file as _import
from .importing import line as _line
from .importing import xlsx_file as _xlsx

pytestmark = pytest.mark.django_db


def test_our_template_in_csv_with_semicolons_and_decimal_commas(world, segala):
    done = _import(world, "cabas.csv", (FILES / "cabas.csv").read_bytes())

    assert done.status == "done", done.errors
    assert (done.file_format, done.to_create) == ("cabas", 4)
    carrots = Product.objects.get(organisation=world.org_a, reference="CAR-BOT")
    assert (carrots.price, carrots.stock_mode, carrots.default_quantity_per_sale) == (
        Decimal("2.50"),
        "per_sale",
        Decimal("40"),
    )
    assert carrots.is_organic and carrots.producer == segala
    tomatoes = Product.objects.get(reference="TOM-KG")
    assert (tomatoes.unit_kind, tomatoes.quantity_step) == ("weight", Decimal("0.5"))
    chicken = Product.objects.get(reference="POU-1")
    assert chicken.variable_weight and chicken.price_per_kg == Decimal("11.90")
    soap = Product.objects.get(reference="SAV-1")
    assert (soap.stock_mode, soap.stock_quantity, soap.vat_rate, soap.category) == (
        "shop",
        Decimal("25"),
        Decimal("20"),
        "hygiene-home",
    )
    assert StockMovement.objects.get(product=soap).delta == Decimal("25")


def test_a_cagette_export_in_windows_1252_with_commas(world, segala):
    done = _import(world, "export-cagette.csv", (FILES / "cagette.csv").read_bytes(),
                   producer=segala)  # fmt: skip

    assert done.status == "done", done.errors
    assert done.file_format == "cagette"
    honey = Product.objects.get(reference="MIEL-500")
    assert (honey.name, honey.unit_label, honey.price, honey.description) == (
        "Miel de châtaignier",
        "500 g",
        Decimal("9.50"),
        "Récolte 2026",
    )
    assert (honey.stock_mode, honey.stock_quantity, honey.is_organic) == ("shop", 30, True)
    apples = Product.objects.get(reference="POM-KG")
    # Sold by weight from 0.1 kg by 0.1 kg: one 400 g piece can be ordered.
    assert (apples.unit_kind, apples.unit_label, apples.price, apples.stock_mode) == (
        "weight",
        "kg",
        Decimal("3.20"),
        "unlimited",
    )
    assert (apples.min_quantity, apples.quantity_step) == (Decimal("0.1"), Decimal("0.1"))


def test_a_cagette_export_needs_the_producer_chosen(world, segala):
    # The format is known once the worker has read the file: the import says what is missing.
    result = _import(world, "cagette.csv", (FILES / "cagette.csv").read_bytes())

    assert result.status == "invalid"
    assert result.errors == [
        {"line": 0, "column": "", "reason": str(ImportProducerMissing.default_message)}
    ]
    assert not Product.objects.exists()


def test_an_open_food_network_product_list(world, segala):
    done = _import(world, "ofn.csv", (FILES / "ofn.csv").read_bytes())

    assert done.status == "done", done.errors
    assert done.file_format == "ofn"
    cheese = Product.objects.get(reference="OFN-FRO-1")
    assert (cheese.unit_label, cheese.category, cheese.stock_quantity) == ("250 g", "dairy", 15)
    bread = Product.objects.get(reference="OFN-PAIN")
    assert (bread.stock_mode, bread.category) == ("unlimited", "bakery-bread")
    assert Product.objects.get(reference="OFN-BIERE").vat_rate == Decimal("20")


def test_an_xlsx_file_with_numbers_as_cells(world, segala):
    rows = [HEADER.split(";"), ["X-1", "Œufs", "Ferme du Ségala", "eggs", "", "piece",
            "boîte de 6", 3.2, 5.5, 0, None, None, 1, 1, 1, 1, "per_sale", 20, 1]]  # fmt: skip

    done = _import(world, "oeufs.xlsx", _xlsx(rows))

    assert done.status == "done", done.errors
    eggs = Product.objects.get(reference="X-1")
    assert (eggs.price, eggs.default_quantity_per_sale) == (Decimal("3.20"), Decimal("20"))


def test_existing_products_are_updated_by_reference(world, segala):
    product = ProductFactory(organisation=world.org_a, producer=segala, reference="R-1",
                             price=Decimal("1.00"))  # fmt: skip

    done = _import(world, "maj.csv", _csv(_line("R-1", price="1,80"), _line("R-2", name="Navet")))

    assert (done.status, done.to_create, done.to_update) == ("done", 1, 1)
    product.refresh_from_db()
    assert product.price == Decimal("1.80")
    assert Product.objects.filter(organisation=world.org_a).count() == 2


def test_one_bad_line_and_nothing_is_imported(world, segala):
    existing = ProductFactory(organisation=world.org_a, producer=segala, reference="R-1",
                              price=Decimal("1.00"))  # fmt: skip
    content = _csv(_line("R-1", price="9,99"), _line("R-2"), _line("R-3", price="abc"))

    result = _import(world, "produits.csv", content)

    assert result.status == "invalid"
    assert result.errors == [
        {"line": 4, "column": "price", "reason": "« abc » n’est pas un nombre."}
    ]
    existing.refresh_from_db()
    assert existing.price == Decimal("1.00")
    assert Product.objects.filter(organisation=world.org_a).count() == 1


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        (_line(price="0"), "price", "Le prix doit être supérieur à zéro."),
        (_line(price="-2"), "price", "La valeur ne peut pas être inférieure à 0."),
        (_line(vat="7"), "vat_rate", "Ce taux de TVA ne fait pas partie des taux"),
        (_line(unit_kind="sac"), "unit_kind", "Indiquez piece, weight ou volume."),
        (_line(quantity_step="0,5"), "quantity_step", "quantités entières"),
        (_line(variable_weight="1"), "price_per_kg", "prix au kg"),
        (_line(stock_mode="shop"), "quantity", "Indiquez la quantité disponible"),
        (_line(organic="peut-être"), "organic", "n’est pas oui ou non"),
        (_line(name=""), "name", "Le produit doit avoir un nom."),
        (_line(producer="Ferme inconnue"), "producer", "n’est pas un producteur"),
    ],
)
def test_each_bad_value_names_its_line_and_column(world, segala, line, column, reason):
    result = _import(world, "produits.csv", _csv(_line("OK-1"), line))

    assert result.status == "invalid"
    assert [(e["line"], e["column"]) for e in result.errors] == [(3, column)]
    assert reason in result.errors[0]["reason"]
    assert not Product.objects.exists()


def test_duplicate_references_in_one_file(world, segala):
    result = _import(world, "produits.csv", _csv(_line("R-1"), _line("R-2"), _line("R-1")))

    assert result.status == "invalid"
    assert result.errors[0]["line"] == 4 and result.errors[0]["column"] == "reference"
    assert "ligne 2" in result.errors[0]["reason"]
    assert not Product.objects.exists()


def test_a_file_over_the_size_limit_is_refused(world, segala, settings):
    settings.CATALOG_IMPORT_MAX_BYTES = 1024 * 1024
    content = _csv(*[_line(f"R-{n}", description="x" * 200) for n in range(6000)])
    assert len(content) > 1024 * 1024

    with pytest.raises(ImportFileTooBig):
        _import(world, "gros.csv", content)
    assert not ProductImport.objects.exists() and not Product.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "CSV"),
        ("classeur.csv", b"PK\x03\x04" + bytes(300), "XLSX"),
        ("vide.csv", b"  \r\n", "vide"),
        ("notes.pdf", b"%PDF-1.4 blabla", "CSV ou XLSX"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(world, segala, name, content, reason):
    with pytest.raises(ImportFileUnreadable) as error:
        _import(world, name, content)
    assert reason in str(error.value)
    assert not ProductImport.objects.exists()


def test_a_file_without_known_columns_is_refused_by_the_worker(world, segala):
    result = _import(world, "autre.csv", b"nom;prix\r\nRadis;2\r\n")

    assert result.status == "invalid" and len(result.errors) == 1
    assert "colonnes" in result.errors[0]["reason"]
    assert not Product.objects.exists()


def test_a_producer_imports_only_its_own_products(world):
    other = ProductFactory(organisation=world.org_a, reference="VOISIN-1", price=Decimal("4"))
    ProducerLinkFactory(organisation=world.org_a, producer=other.producer)
    mine = world.producer.name
    content = _csv(
        _line("MIEN-1", producer=mine),
        _line("AUTRE-1", producer=other.producer.name),
    )

    result = _import(world, "mes-produits.csv", content, user="producer", producer=world.producer)

    assert result.status == "invalid"
    assert [(e["line"], e["column"]) for e in result.errors] == [(3, "producer")]
    assert not Product.objects.filter(reference="MIEN-1")


def test_a_producer_with_the_reference_of_another_never_touches_its_product(world):
    """References are each producer's own: the neighbour's VOISIN-1 stays, the producer
    gets its own VOISIN-1."""
    other = ProductFactory(organisation=world.org_a, reference="VOISIN-1", price=Decimal("4"))
    ProducerLinkFactory(organisation=world.org_a, producer=other.producer)
    content = _csv(_line("VOISIN-1", producer=world.producer.name, price="0,10"))

    done = _import(world, "mes-produits.csv", content, user="producer", producer=world.producer)

    assert (done.status, done.to_create, done.to_update) == ("done", 1, 0), done.errors
    other.refresh_from_db()
    assert (other.price, other.producer_id) == (Decimal("4"), other.producer_id)
    mine = Product.objects.get(reference="VOISIN-1", producer=world.producer)
    assert mine.price == Decimal("0.10")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_leaves_the_catalog_unchanged(client, world, segala, file_format):
    ProductFactory(organisation=world.org_a, producer=segala, reference="A-1", name="Ail; rose",
                   description="Tresse « Lautrec »\nmoyenne", is_organic=True)  # fmt: skip
    ProductFactory(organisation=world.org_a, producer=segala, reference="", name="Sans réf",
                   unit_kind="weight", quantity_step=Decimal("0.25"),
                   min_quantity=Decimal("0.5"))  # fmt: skip
    ProductFactory(organisation=world.org_a, producer=segala, reference="V-1", name="Poulet",
                   variable_weight=True, price_per_kg=Decimal("11.90"),
                   estimated_weight_kg=Decimal("1.650"), stock_mode="per_sale",
                   default_quantity_per_sale=Decimal("12"), vat_rate=Decimal("5.50"))  # fmt: skip
    ProductFactory(organisation=world.org_a, producer=segala, reference="S-1", stock_mode="shop",
                   stock_quantity=Decimal("7.5"), vat_rate=Decimal("20"),
                   is_active=False)  # fmt: skip
    fields = [f.name for f in Product._meta.fields if f.name not in ("created_at", "updated_at")]
    before = list(Product.objects.order_by("pk").values(*fields))
    client.force_login(world.users["coordinator"])

    exported = client.get(reverse("catalog:export", args=[world.org_a.slug, file_format]))
    assert exported.status_code == 200
    result = _import(world, f"export.{file_format}", exported.content)

    assert (result.status, result.to_create, result.to_update, result.unchanged) == (
        "done", 0, 0, 4,
    ), result.errors  # fmt: skip
    assert list(Product.objects.order_by("pk").values(*fields)) == before
    assert not StockMovement.objects.exists()


def test_the_template_downloads_import_cleanly(client, world):
    client.force_login(world.users["producer"])
    for file_format in tables.FORMATS:
        response = client.get(reverse("catalog:import_template", args=[world.org_a.slug,
                                                                      file_format]))  # fmt: skip
        assert response.status_code == 200
        result = _import(world, f"modele.{file_format}", response.content, user="producer",
                         producer=world.producer, confirm=False)  # fmt: skip
        assert (result.status, result.to_create) == ("ready", 2), result.errors
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]][:3] == ["reference", "name", "producer"]
    # Named in the organisation's language (was "modele-produits-cabas" in every language).
    assert response["Content-Disposition"] == 'attachment; filename="modele-produits.xlsx"'
    # Its sheet too, as a person reads it (was the file's slug, "modele-produits").
    assert sheet.title == "Modèle de produits"
    # The importer reads the first sheet whatever its name: a template downloaded before
    # (its sheet named by the slug) still imports.
    sheet.title = "modele-produits"
    old = io.BytesIO()
    workbook.save(old)
    result = _import(world, "ancien-modele.xlsx", old.getvalue(), user="producer",
                     producer=world.producer, confirm=False)  # fmt: skip
    assert (result.status, result.to_create) == ("ready", 2), result.errors


def _queries_for(world, count: int) -> tuple[int, int]:
    """(queries other than INSERTs, INSERTs) to check then apply ``count`` new lines."""
    content = _csv(*[_line(f"Q-{count}-{n}") for n in range(count)])
    with CaptureQueriesContext(connection) as queries:
        result = _import(world, f"{count}.csv", content)
    assert result.status == "done", result.errors
    inserts = sum(1 for query in queries if query["sql"].startswith("INSERT"))
    return len(queries) - inserts, inserts


def test_query_count_does_not_grow_with_the_lines(world, segala):
    """Checking and applying cost the same queries for 20 and 400 lines; products are
    inserted in batches (SQLite takes about 40 rows per INSERT, PostgreSQL 500)."""
    others_20, inserts_20 = _queries_for(world, 20)
    others_400, inserts_400 = _queries_for(world, 400)

    assert others_20 == others_400
    assert inserts_400 <= inserts_20 + 400 // 30


def test_ten_thousand_lines(world, segala):
    content = _csv(*[_line(f"G-{n}", name=f"Produit {n}") for n in range(10_000)])

    result = _import(world, "grand.csv", content)

    assert (result.status, result.to_create) == ("done", 10_000), result.errors[:3]
    assert Product.objects.filter(organisation=world.org_a).count() == 10_000


def test_the_pages_upload_preview_confirm_and_show_progress(client, world, segala):
    client.force_login(world.users["coordinator"])
    url = reverse("catalog:import", args=[world.org_a.slug])
    upload = SimpleUploadedFile("cabas.csv", (FILES / "cabas.csv").read_bytes())

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"file": upload})

    product_import = ProductImport.objects.get()
    assert response.url == reverse("catalog:import_detail", args=[world.org_a.slug,
                                                                  product_import.pk])  # fmt: skip
    page = client.get(response.url).content.decode()
    assert "4 nouveaux produits" in page and "Carottes" in page
    assert not Product.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("catalog:import_confirm", args=[world.org_a.slug, product_import.pk]))
    partial = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "4 produits ajoutés" in partial and "<html" not in partial
    assert Product.objects.count() == 4


def test_the_page_shows_errors_and_keeps_the_form_for_unreadable_files(client, world):
    client.force_login(world.users["coordinator"])
    url = reverse("catalog:import", args=[world.org_a.slug])

    response = client.post(url, {"file": SimpleUploadedFile("x.csv", b"\x89PNG\x00\x00IHDR")})

    assert response.status_code == 200
    assert "Ce n’est pas un fichier texte CSV" in response.content.decode()
    assert not ProductImport.objects.exists()


def test_a_running_import_polls_for_progress(client, world):
    running = ProductImport.objects.create(
        organisation=world.org_a, uploaded_by=world.users["coordinator"], file_name="a.csv",
        content=b"", status="checking", total_lines=2000, processed_lines=500,
    )  # fmt: skip
    client.force_login(world.users["coordinator"])

    page = client.get(reverse("catalog:import_detail", args=[world.org_a.slug, running.pk]))

    assert 'hx-trigger="every 1s"' in page.content.decode()
    assert 'value="500"' in page.content.decode()


# --- Hostile files and the round trip of formulas -------------------------------------------


@pytest.mark.parametrize("builder", [shared_string_bomb, wide_sheet], ids=["bomb", "wide"])
def test_hostile_spreadsheets_are_refused_at_once_with_little_memory(world, segala, builder):
    """A 400 MB shared string (400 kB packed) and 300 rows × 16,384 cells: refused in the
    request, before any parser, in milliseconds (bounded at 1 s and 50 MB, generously)."""
    content = builder()

    cost = cost_of(lambda: _import(world, "produits.xlsx", content))

    assert isinstance(cost.error, ImportFileUnreadable), cost.error
    assert "Mo" in str(cost.error)
    assert cost.seconds < 1.0 and cost.peak_mb < 50, cost
    assert not ProductImport.objects.exists() and not Product.objects.exists()


def test_the_upload_page_refuses_a_hostile_spreadsheet_with_its_reason(client, world):
    client.force_login(world.users["coordinator"])
    url = reverse("catalog:import", args=[world.org_a.slug])

    response = client.post(url, {"file": SimpleUploadedFile("p.xlsx", shared_string_bomb())})

    assert response.status_code == 200
    assert "Une fois décompressé, le fichier pèse 400 Mo (50 Mo au plus)." in (
        response.content.decode()
    )
    assert not ProductImport.objects.exists()


def test_a_sheet_that_hides_its_width_is_stopped_by_the_worker(world, segala):
    """No declared dimension, 150 columns: the check in the request cannot see it; the
    worker's reader counts the columns and stops."""
    row = "".join(f'<c t="inlineStr"><is><t>c{n}</t></is></c>' for n in range(150))
    content = _xlsx([["reference"]])  # a real workbook, whose sheet is replaced below
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    f'<sheetData><row r="1">{row}</row></sheetData></worksheet>'
                ).encode()
            archive.writestr(item, data)

    result = _import(world, "large.xlsx", buffer.getvalue())

    assert result.status == "invalid"
    assert result.errors == [
        {"line": 0, "column": "", "reason": "Le fichier a plus de 100 colonnes."}
    ]
    assert not Product.objects.exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_formulas_in_names_and_descriptions_come_back_exactly(client, world, segala, file_format):
    texts = [
        ('=HYPERLINK("https://evil.example/pay","Payer ici")', "=1+1"),
        ("-20 % : miel de printemps", "+ bon"),
        ("@Ferme", "'=déjà protégée"),
    ]
    for number, (name, description) in enumerate(texts):
        ProductFactory(organisation=world.org_a, producer=segala, reference=f"F-{number}",
                       name=name, description=description)  # fmt: skip
    fields = ["pk", "name", "description", "price"]
    before = list(Product.objects.order_by("pk").values(*fields))
    client.force_login(world.users["coordinator"])

    exported = client.get(reverse("catalog:export", args=[world.org_a.slug, file_format]))
    result = _import(world, f"export.{file_format}", exported.content)

    assert (result.status, result.unchanged) == ("done", 3), result.errors
    assert list(Product.objects.order_by("pk").values(*fields)) == before
