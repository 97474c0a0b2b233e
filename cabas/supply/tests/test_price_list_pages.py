"""The price list pages: upload, preview, apply (once), bad files on the form, the current
prices as a file that imports back unchanged, and two people applying at once."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cabas.core import tables
from cabas.core.tests.concurrency import postgresql_only, run_together
from cabas.supply import services
from cabas.supply.models import PriceProposal, SupplierPriceImport

from .price_listing import FILES, csv_file, prices, relais_vert, upload

D = Decimal


@pytest.fixture
def relais(world):
    return relais_vert(world.org_a)


def _url(name, *args):
    return reverse(f"supply:{name}", args=args)


@pytest.mark.django_db
def test_upload_preview_and_apply_through_the_pages(client, world, relais):
    client.force_login(world.users["supply"])
    form_url = _url("price_import", world.org_a.slug, relais.supplier.pk)
    content = (FILES / "relais-vert-latin1.csv").read_bytes()

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(form_url, {"file": SimpleUploadedFile("tarif.csv", content)})

    checked = SupplierPriceImport.objects.get()
    assert (checked.uploaded_by, checked.status) == (world.users["supply"], "ready")
    assert response.url == _url("price_import_detail", world.org_a.slug, checked.pk)
    page = client.get(response.url).content.decode()
    assert "2 produits à modifier" in page and "1 produit inchangé" in page
    assert "1 ligne absente de votre catalogue" in page and "NOIX-500" in page
    assert '1,20\xa0€ → <strong>1,35\xa0€</strong> <span class="badge">+12,5\xa0%</span>' in page
    assert "message warning" not in page
    assert prices(relais.flour) == [(D("1.2"), D("10"))]

    confirm_url = _url("price_import_confirm", world.org_a.slug, checked.pk)
    response = client.post(confirm_url, follow=True)
    assert "Les prix du fournisseur ont été mis à jour." in response.content.decode()
    assert "2 produits modifiés" in response.content.decode()
    assert prices(relais.flour) == [(D("1.35"), D("10"))]
    assert PriceProposal.objects.count() == 1

    client.post(confirm_url)  # a second tap
    assert PriceProposal.objects.count() == 1
    assert SupplierPriceImport.objects.get().status == "done"


@pytest.mark.django_db
def test_a_price_per_package_where_a_unit_price_is_expected_is_pointed_out(client, world, relais):
    checked = upload(relais.supplier, "t.csv", csv_file("FAR-T65;F;12,00;10", "RIZ-1;R;2,40;6"))
    client.force_login(world.users["supply"])

    page = client.get(_url("price_import_detail", world.org_a.slug, checked.pk)).content.decode()

    assert '<span class="badge warn">+900\xa0%</span>' in page
    assert '<span class="badge">+2,1\xa0%</span>' in page
    assert (
        "1 prix d’achat change de 30\xa0% ou plus : vérifiez que le fichier donne des prix "
        "à l’unité, pas au colis." in page
    )


@pytest.mark.django_db
def test_the_page_shows_the_errors_of_a_checked_file(client, world, relais):
    checked = upload(relais.supplier, "t.csv", csv_file("FAR-T65;F;abc;10"))
    client.force_login(world.users["coordinator"])

    page = client.get(_url("price_import_detail", world.org_a.slug, checked.pk)).content.decode()

    assert "Rien n’a été modifié : 1 erreur à corriger dans le fichier." in page
    assert "« abc » n’est pas un nombre." in page
    assert "Appliquer ces prix" not in page
    response = client.post(_url("price_import_confirm", world.org_a.slug, checked.pk))
    assert response.status_code == 302
    assert prices(relais.flour) == [(D("1.2"), D("10"))]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.csv", b"\x89PNG\x00\x00IHDR", "Ce n’est pas un fichier texte CSV"),
        ("vide.csv", b"", "Le fichier soumis est vide."),  # Django's own check
        ("tarif.ods", b"<office:document/>", "Envoyez un fichier CSV ou XLSX."),
        ("tarif.xlsx", b"PK-ish", "Ce fichier XLSX ne peut pas être lu."),
    ],
)
def test_the_form_says_why_a_file_is_refused(client, world, relais, name, content, message):
    client.force_login(world.users["supply"])

    response = client.post(
        _url("price_import", world.org_a.slug, relais.supplier.pk),
        {"file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SupplierPriceImport.objects.exists()


@pytest.mark.django_db
def test_the_form_refuses_a_huge_file_before_reading_it(client, world, relais, settings):
    settings.CATALOG_IMPORT_MAX_BYTES = 1024
    client.force_login(world.users["supply"])

    response = client.post(
        _url("price_import", world.org_a.slug, relais.supplier.pk),
        {"file": SimpleUploadedFile("gros.csv", csv_file(*["A;B;1;1"] * 200))},
    )

    assert response.status_code == 200
    assert "Le fichier est trop gros" in response.content.decode()
    assert not SupplierPriceImport.objects.exists()


@pytest.mark.django_db
def test_a_list_being_checked_polls_for_its_result(client, world, relais):
    checking = SupplierPriceImport.objects.create(
        organisation=world.org_a, supplier=relais.supplier, file_name="t.csv", content=b"x"
    )
    client.force_login(world.users["supply"])
    url = _url("price_import_detail", world.org_a.slug, checking.pk)

    page = client.get(url).content.decode()
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 1s"' in page and "/htmx-2.min.js" in page
    assert "Vérification des lignes…" in partial and "<html" not in partial


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", tables.FORMATS)
def test_the_current_prices_import_back_unchanged(client, world, relais, file_format):
    client.force_login(world.users["supply"])

    download = client.get(
        _url("price_import_template", world.org_a.slug, relais.supplier.pk, file_format)
    )

    assert download.status_code == 200
    assert 'filename="tarif-relais-vert.' in download["Content-Disposition"]
    header, rows = tables.read_table(f"t.{file_format}", download.content)
    assert header == ["référence", "désignation", "prix HT", "colisage"]
    assert rows[0] == ["FAR-T65", "Farine T65", "1,2" if file_format == "csv" else "1.2", "10"]
    if file_format == "xlsx":
        sheet = load_workbook(io.BytesIO(download.content)).active
        assert sheet.title == "Tarif Relais Vert"  # was the file's slug, "tarif-relais-vert"
        assert [cell.value for cell in sheet[2]][2:] == [1.2, 10]  # numbers, not texts
    checked = upload(relais.supplier, f"t.{file_format}", download.content)
    assert (checked.status, checked.to_update, checked.unchanged) == ("ready", 0, 3)


@pytest.mark.django_db
def test_an_unknown_file_format_is_not_found(client, world, relais):
    client.force_login(world.users["supply"])
    url = _url("price_import_template", world.org_a.slug, relais.supplier.pk, "pdf")
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_preview_page_costs_the_same_for_few_and_many_lines(client, world, relais):
    client.force_login(world.users["supply"])

    def queries(count: int) -> int:
        lines = [f"N-{n};Noix {n};6,80;5" for n in range(count)]
        checked = upload(relais.supplier, "t.csv", csv_file("FAR-T65;F;1,35;10", *lines))
        client.get(
            _url("price_import_detail", world.org_a.slug, checked.pk)
        )  # warm: the first page of a visit writes the organisation into the session
        with CaptureQueriesContext(connection) as captured:
            client.get(_url("price_import_detail", world.org_a.slug, checked.pk))
        return len(captured)

    assert queries(2) == queries(40)


@pytest.mark.django_db
def test_the_form_lists_the_last_lists_of_the_supplier_at_a_constant_cost(client, world, relais):
    client.force_login(world.users["supply"])
    url = _url("price_import", world.org_a.slug, relais.supplier.pk)

    def queries(count: int) -> int:
        for _ in range(count):
            upload(relais.supplier, "t.csv", csv_file("FAR-T65;F;1,35;10"))
        client.get(url)  # warm: the first page of a visit writes the organisation into the session
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    assert queries(1) == queries(8)


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_two_people_applying_at_once_apply_it_once(world):
    postgresql_only()
    relais = relais_vert(world.org_a)
    checked = upload(relais.supplier, "t.csv", csv_file("FAR-T65;F;1,35;10", "RIZ-1;R;2,40;6"))

    results = run_together(
        lambda _index: (
            services.supplier_price_import_apply(
                price_import=SupplierPriceImport.objects.get(pk=checked.pk)
            ).status
        ),
        6,
    )

    assert results == ["done"] * 6
    assert prices(relais.flour, relais.rice) == [(D("1.35"), D("10")), (D("2.40"), D("6"))]
    # One proposal per main product: the flour and the rice, made once.
    assert PriceProposal.objects.filter(status="pending").count() == 2
    assert PriceProposal.objects.count() == 2


@pytest.mark.django_db
def test_another_organisations_supplier_and_lists_are_not_found(client, world, relais):
    elsewhere = relais_vert(world.org_b)
    theirs = upload(elsewhere.supplier, "t.csv", csv_file("FAR-T65;F;1,35;10"))
    client.force_login(world.users["supply"])
    slug = world.org_a.slug

    assert client.get(_url("price_import", slug, elsewhere.supplier.pk)).status_code == 404
    assert client.get(_url("price_import_detail", slug, theirs.pk)).status_code == 404
    assert client.post(_url("price_import_confirm", slug, theirs.pk)).status_code == 404
    assert (
        client.get(_url("price_import_template", slug, elsewhere.supplier.pk, "csv")).status_code
        == 404
    )
    assert prices(elsewhere.flour) == [(D("1.2"), D("10"))]
