"""Supplier price lists: French and English columns, Latin-1, XLSX, the preview, all or
nothing, unknown references, bad files, and a worker killed in the middle."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from cabas.catalog.errors import ImportFileTooBig, ImportFileUnreadable, ImportNotReady
from cabas.supply import services, tasks
from cabas.supply.errors import PriceListConflict
from cabas.supply.models import PriceProposal, SupplierItem, SupplierPriceImport
from cabas.supply.services import price_lists
from cabas.supply.tests.factories import SupplierItemFactory

from .price_listing import FILES, apply, csv_file, prices, relais_vert, upload, xlsx_file

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def relais(world):
    return relais_vert(world.org_a)


def test_a_french_list_in_latin_1_with_semicolons_decimal_commas_and_a_title_block(relais):
    checked = upload(relais.supplier, "tarif.csv", (FILES / "relais-vert-latin1.csv").read_bytes())

    assert checked.status == "ready", checked.errors
    assert (checked.total_lines, checked.to_update, checked.unchanged, checked.unknown) == (
        4, 2, 1, 1,
    )  # fmt: skip
    assert checked.preview == [
        {"line": 6, "action": "update", "reference": "FAR-T65",
         "name": "Farine de blé T65 1 kg", "product": "Farine T65", "old_price": "1.2000",
         "new_price": "1.3500", "old_package": "10.000", "new_package": "10.000"},
        {"line": 9, "action": "update", "reference": "SAV-1",
         "name": "Savon de Marseille 300 g", "product": "Savon", "old_price": "2.8000",
         "new_price": "3.1000", "old_package": "12.000", "new_package": "12.000"},
        {"line": 10, "action": "unknown", "reference": "NOIX-500",
         "name": "Cerneaux de noix 500 g", "new_price": "6.8000", "new_package": "5.000"},
    ]  # fmt: skip
    # The check changes nothing.
    assert prices(relais.flour, relais.soap) == [(D("1.2"), D("10")), (D("2.8"), D("12"))]
    assert not PriceProposal.objects.exists()


def test_applying_updates_the_prices_and_proposes_selling_prices_of_main_suppliers(relais):
    checked = upload(relais.supplier, "tarif.csv", (FILES / "relais-vert-latin1.csv").read_bytes())

    done = apply(checked)

    assert (done.status, done.to_update, done.unchanged, done.unknown) == ("done", 2, 1, 1)
    assert done.finished_at is not None
    assert prices(relais.flour, relais.rice, relais.soap) == [
        (D("1.35"), D("10")), (D("2.35"), D("6")), (D("3.10"), D("12")),
    ]  # fmt: skip
    flour = SupplierItem.objects.get(pk=relais.flour.pk)
    assert (flour.reference, flour.minimum_quantity, flour.is_main) == ("FAR-T65", D("20"), True)
    assert SupplierItem.objects.get(pk=relais.soap.pk).reference == "sav-1"
    # 1,35 × 1,30 × 1,055 = 1,8515 → 1,85; the soap's main supplier is another one.
    proposal = PriceProposal.objects.get()
    assert (proposal.product, proposal.purchase_price, proposal.proposed_price) == (
        relais.flour.product, D("1.35"), D("1.85"),
    )  # fmt: skip
    assert not SupplierItem.objects.filter(supplier=relais.supplier, product__name="noix")


def test_applying_twice_changes_nothing_the_second_time(relais):
    done = apply(upload(relais.supplier, "t.csv", csv_file("FAR-T65;Farine;1,35;10")))
    services.supplier_item_save(  # changed by hand since
        supplier=relais.supplier, product=relais.flour.product, purchase_price=D("1.40"),
        reference="FAR-T65", package_size=D("10"),
    )  # fmt: skip

    again = services.supplier_price_import_apply(price_import=done)

    assert again.status == "done"
    assert prices(relais.flour) == [(D("1.40"), D("10"))]
    assert PriceProposal.objects.filter(status="pending").count() == 1


def test_an_english_list_with_commas_points_and_a_new_package_size(relais):
    content = csv_file(
        "RIZ-1,Basmati rice,2.45,12", "FAR-T65,Flour,1.2,10", header="Ref,Name,Price,Package size"
    )

    done = apply(upload(relais.supplier, "prices.csv", content))

    assert (done.status, done.to_update, done.unchanged) == ("done", 1, 1), done.errors
    assert prices(relais.rice, relais.flour) == [(D("2.45"), D("12")), (D("1.2"), D("10"))]


def test_an_xlsx_list_with_numbers_as_cells(relais):
    content = xlsx_file([
        ["Tarif Relais Vert"],
        ["Code article", "Libellé", "Prix unitaire HT", "PCB"],
        ["FAR-T65", "Farine", 8.35 / 6, 6],  # 1,391666… € rounded to 1,3917
        ["RIZ-1", "Riz", 2.35, None],  # no package size: the item keeps its own
    ])  # fmt: skip

    done = apply(upload(relais.supplier, "tarif.xlsx", content))

    assert (done.status, done.file_format, done.to_update, done.unchanged) == (
        "done", "xlsx", 1, 1,
    ), done.errors  # fmt: skip
    assert prices(relais.flour, relais.rice) == [(D("1.3917"), D("6")), (D("2.35"), D("6"))]


def test_one_bad_line_and_nothing_changes(relais):
    content = csv_file("FAR-T65;Farine;1,35;10", "RIZ-1;Riz;2,5O;6", "SAV-1;Savon;3,10;12")

    checked = upload(relais.supplier, "t.csv", content)

    assert (checked.status, checked.error_count, checked.preview) == ("invalid", 1, [])
    assert checked.errors == [
        {"line": 3, "column": "prix HT", "reason": "« 2,5O » n’est pas un nombre."}
    ]
    with pytest.raises(ImportNotReady):
        services.supplier_price_import_apply(price_import=checked)
    assert prices(relais.flour, relais.rice) == [(D("1.2"), D("10")), (D("2.35"), D("6"))]
    assert not PriceProposal.objects.exists()


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        ("FAR-T65;Farine;-1,20;10", "prix HT", "Un prix ne peut pas être négatif."),
        ("FAR-T65;Farine;0;10", "prix HT", "Le prix doit être supérieur à zéro."),
        ("FAR-T65;Farine;;10", "prix HT", "Le prix d’achat manque."),
        (";Farine;1,20;10", "référence", "La référence manque."),
        ("FAR-T65;Farine;1,20;0", "colisage", "Le colisage doit être supérieur à zéro."),
        ("FAR-T65;Farine;1,20;six", "colisage", "« six » n’est pas un nombre."),
        ("FAR-T65;Farine;123456789;1", "prix HT", "« 123456789 » est trop grand."),
    ],
)
def test_each_bad_value_names_its_line_and_column_in_french(relais, line, column, reason):
    checked = upload(relais.supplier, "t.csv", csv_file("RIZ-1;Riz;2,40;6", line))

    assert checked.status == "invalid"
    assert checked.errors == [{"line": 3, "column": column, "reason": reason}]
    assert prices(relais.rice) == [(D("2.35"), D("6"))]


def test_a_reference_twice_in_the_file_is_an_error(relais):
    checked = upload(
        relais.supplier, "t.csv", csv_file("FAR-T65;Farine;1,35;10", "far-t65 ;Farine;1,40;10")
    )

    assert checked.errors == [
        {"line": 3, "column": "référence", "reason": "La même référence est déjà à la ligne 2."}
    ]


def test_references_not_sold_by_this_supplier_are_listed_not_refused(relais, world):
    other = SupplierItemFactory(organisation=world.org_a, reference="NOIX-500")  # elsewhere

    checked = upload(relais.supplier, "t.csv", csv_file("NOIX-500;Noix;6,80;5", "X;Y;1;1"))

    assert (checked.status, checked.to_update, checked.unknown) == ("ready", 0, 2)
    assert [row["reference"] for row in checked.preview] == ["NOIX-500", "X"]
    assert {row["action"] for row in checked.preview} == {"unknown"}
    assert apply(checked).status == "done"
    assert prices(other) == [(D("1.2"), D("1"))]


def test_section_titles_between_the_lines_are_skipped(relais):
    content = csv_file("FRUITS SECS;;;", "RIZ-1;Riz;2,40;6", ";;;", "DROGUERIE")

    checked = upload(relais.supplier, "t.csv", content)

    assert (checked.status, checked.total_lines, checked.to_update) == ("ready", 1, 1)


def test_a_file_whose_columns_are_not_found_says_which_it_needs(relais):
    checked = upload(relais.supplier, "t.csv", csv_file("FAR-T65;1,35", header="article;prix TTC"))

    assert checked.status == "invalid" and checked.errors[0]["line"] == 0
    assert "colonne de référence" in checked.errors[0]["reason"]


def test_the_most_telling_column_name_wins(relais):
    content = csv_file(
        "RIZ-1;Basmati;Riz basmati 1 kg;3,00;2,40",
        header="Référence;Description;Désignation;Prix;Prix HT",
    )

    checked = upload(relais.supplier, "t.csv", content)

    assert checked.status == "ready", checked.errors
    assert [(row["name"], row["new_price"]) for row in checked.preview] == [
        ("Riz basmati 1 kg", "2.4000")
    ]


def test_two_columns_with_one_name_are_refused_rather_than_guessed(relais):
    content = csv_file("FAR-T65;1,35;1,40", header="ref;prix HT;Prix H.T.")

    checked = upload(relais.supplier, "t.csv", content)

    assert checked.errors == [
        {"line": 0, "column": "", "reason": "Deux colonnes disent la même chose : « prix HT » et "
         "« Prix H.T. ». Gardez-en une."}
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("vide.csv", b"  \r\n", "vide"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "CSV"),
        ("classeur.xlsx", b"PK\x03\x04" + bytes(300), "XLSX"),
        ("tarif.pdf", b"%PDF-1.4 blabla", "CSV ou XLSX"),
    ],
)
def test_unreadable_files_are_refused_at_once_and_nothing_is_kept(relais, name, content, reason):
    with pytest.raises(ImportFileUnreadable) as error:
        upload(relais.supplier, name, content)

    assert reason in str(error.value)
    assert not SupplierPriceImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused(relais, settings):
    settings.CATALOG_IMPORT_MAX_BYTES = 1024 * 1024
    content = csv_file(*[f"R-{n};{'x' * 200};1,00;1" for n in range(6000)])

    with pytest.raises(ImportFileTooBig):
        upload(relais.supplier, "gros.csv", content)
    assert not SupplierPriceImport.objects.exists()


def test_a_file_over_the_line_limit_is_refused_by_the_worker(relais, settings):
    settings.TABLE_IMPORT_MAX_ROWS = 3
    content = csv_file(*[f"R-{n};Produit;1,00;1" for n in range(4)])

    checked = upload(relais.supplier, "t.csv", content)

    assert checked.status == "invalid"
    assert checked.errors == [{"line": 0, "column": "", "reason": "Le fichier a plus de 3 lignes."}]


def test_the_check_runs_a_constant_number_of_queries(relais, world):
    def check_queries(count: int) -> int:
        lines = [f"R-{n};Produit {n};1,{n:02d};1" for n in range(count)]
        for n in range(count):
            SupplierItemFactory(supplier=relais.supplier, reference=f"R-{n}")
        checked = SupplierPriceImport.objects.create(
            organisation=world.org_a, supplier=relais.supplier, file_name="t.csv",
            content=csv_file(*lines),
        )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            services.supplier_price_import_check(price_import=checked)
        SupplierItem.objects.filter(reference__startswith="R-").delete()
        return len(queries)

    assert check_queries(3) == check_queries(30)


def test_a_worker_killed_during_the_check_leaves_it_to_be_checked_again(relais, monkeypatch):
    checking = SupplierPriceImport.objects.create(  # uploaded; its task not run yet
        organisation=relais.supplier.organisation, supplier=relais.supplier, file_name="t.csv",
        content=csv_file("FAR-T65;Farine;1,35;10", "RIZ-1;Riz;2,40;6"),
    )  # fmt: skip
    real_plan_line = price_lists._plan_line
    calls = []

    def killed_after_one_line(*args):
        calls.append(args)
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return real_plan_line(*args)

    monkeypatch.setattr(price_lists, "_plan_line", killed_after_one_line)
    with pytest.raises(SystemExit):
        tasks.supplier_price_import_check.call(import_id=checking.pk)
    checking.refresh_from_db()
    assert (checking.status, checking.to_update, checking.preview) == ("checking", 0, [])

    monkeypatch.setattr(price_lists, "_plan_line", real_plan_line)
    # The task, taken again after the lease, checks the file from the start.
    assert tasks.supplier_price_import_check.call(import_id=checking.pk) == "ready"
    checking.refresh_from_db()
    assert (checking.to_update, checking.unchanged) == (2, 0)
    # Once checked, a task run again does nothing.
    assert tasks.supplier_price_import_check.call(import_id=checking.pk) == "ready"


def test_a_crash_during_the_apply_rolls_everything_back_and_it_can_be_applied_again(
    relais, monkeypatch
):
    checked = upload(relais.supplier, "t.csv", csv_file("FAR-T65;F;1,35;10", "RIZ-1;R;2,40;6"))
    real_save = price_lists.supplier_item_save
    saved = []

    def crash_on_the_second(**kwargs):
        saved.append(real_save(**kwargs))
        if len(saved) == 2:
            raise RuntimeError("the process died")
        return saved[-1]

    monkeypatch.setattr(price_lists, "supplier_item_save", crash_on_the_second)
    with pytest.raises(RuntimeError):
        services.supplier_price_import_apply(price_import=checked)
    checked.refresh_from_db()
    assert checked.status == "ready"
    assert prices(relais.flour, relais.rice) == [(D("1.2"), D("10")), (D("2.35"), D("6"))]
    assert not PriceProposal.objects.exists()

    monkeypatch.setattr(price_lists, "supplier_item_save", real_save)
    assert apply(checked).status == "done"
    assert prices(relais.flour, relais.rice) == [(D("1.35"), D("10")), (D("2.40"), D("6"))]


def test_a_collision_with_another_change_rolls_back_and_leaves_it_ready(relais, monkeypatch):
    checked = upload(relais.supplier, "t.csv", csv_file("FAR-T65;F;1,35;10", "RIZ-1;R;2,40;6"))
    real_save = price_lists.supplier_item_save
    saved = []

    def collide_on_the_second(**kwargs):
        if saved:
            raise IntegrityError("supplieritem_one_main")
        saved.append(real_save(**kwargs))
        return saved[-1]

    monkeypatch.setattr(price_lists, "supplier_item_save", collide_on_the_second)
    with pytest.raises(PriceListConflict) as error:
        services.supplier_price_import_apply(price_import=checked)

    assert "appliquez de nouveau le tarif" in str(error.value)
    checked.refresh_from_db()
    assert checked.status == "ready"
    assert prices(relais.flour) == [(D("1.2"), D("10"))]
    assert not PriceProposal.objects.exists()


def test_a_line_wrong_at_apply_time_changes_nothing(relais):
    checked = upload(relais.supplier, "t.csv", csv_file("FAR-T65;F;1,35;10", "RIZ-1;R;2,40;6"))
    relais.rice.product.stock_mode = "unlimited"  # no longer bought for the shop
    relais.rice.product.save(update_fields=["stock_mode"])

    result = apply(checked)

    assert result.status == "invalid"
    assert [(error["line"], error["column"]) for error in result.errors] == [(3, "référence")]
    assert prices(relais.flour) == [(D("1.2"), D("10"))]
    assert not PriceProposal.objects.exists()


def test_an_import_still_being_checked_cannot_be_applied(relais):
    with TestCase.captureOnCommitCallbacks(execute=False):
        checking = services.supplier_price_import_create(
            supplier=relais.supplier, uploaded_by=None, file_name="t.csv",
            content=csv_file("FAR-T65;F;1,35;10"),
        )  # fmt: skip

    with pytest.raises(ImportNotReady):
        services.supplier_price_import_apply(price_import=checking)
    assert prices(relais.flour) == [(D("1.2"), D("10"))]
