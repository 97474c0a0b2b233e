"""What a coordinator coming from Cagette or Open Food Network meets in the first week: lines
without VAT, every problem of a line at once, true error counts, spreadsheet line numbers,
references that are each producer's own, weighed products, and a re-import that changes
nothing writing nothing."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cabas.catalog.models import Product, StockMovement, VatRate
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.core.money import format_quantity

from .importing import FILES, csv_file, import_file, line, xlsx_file

pytestmark = pytest.mark.django_db

OFN_HEADER = (
    "producer,sku,name,display_name,category,description,units,unit_type,variant_unit_name,"
    "price,on_hand,available_on,on_demand,shipping_category,tax_category"
)


@pytest.fixture
def garrigue(world):
    """A second farm of the collective, whose Cagette export uses the same references."""
    producer = ProducerFactory(name="Ferme de la Garrigue")
    ProducerLinkFactory(organisation=world.org_a, producer=producer)
    return producer


def _page(client, world, product_import, *, user="coordinator") -> str:
    client.force_login(world.users[user])
    url = reverse("catalog:import_detail", args=[world.org_a.slug, product_import.pk])
    return client.get(url).content.decode()


def _writes(queries) -> list[str]:
    """The INSERTs and UPDATEs of products and of their stock history."""
    return [
        query["sql"]
        for query in queries
        if query["sql"].startswith(("INSERT", "UPDATE"))
        and ('"catalog_product"' in query["sql"] or '"catalog_stockadjustment"' in query["sql"])
    ]


# --- 1. Open Food Network lines without a VAT category --------------------------------------


def test_ofn_lines_without_a_tax_category_take_the_food_rate_and_the_preview_says_so(
    client, world, segala
):
    checked = import_file(world, "ofn.csv", (FILES / "ofn-sans-tva.csv").read_bytes(),
                          confirm=False)  # fmt: skip

    assert checked.status == "ready", checked.errors
    assert checked.summary == ["2 produits sans catégorie de TVA : 5,5 % appliqué."]
    assert [(note["line"], note["column"]) for note in checked.notes] == [
        (3, "tax_category"),
        (4, "tax_category"),
    ]
    page = _page(client, world, checked)
    assert "2 produits sans catégorie de TVA : 5,5 % appliqué." in page
    assert "Pas de catégorie de TVA : 5,5 % appliqué." in page

    done = import_file(world, "ofn.csv", (FILES / "ofn-sans-tva.csv").read_bytes())

    assert done.status == "done", done.errors
    rates = dict(Product.objects.values_list("reference", "vat_rate"))
    # "TVA 5.5 %", a tax category named after its rate, is read as 5.5.
    assert rates == {"OFN-FRO-1": Decimal("5.50"), "OFN-PAIN": Decimal("5.50"),
                     "OFN-OEUFS": Decimal("5.50")}  # fmt: skip


def test_without_the_food_rate_the_lowest_rate_of_the_organisation_applies(world, segala):
    VatRate.objects.create(organisation=world.org_a, rate=Decimal("20"))
    VatRate.objects.create(organisation=world.org_a, rate=Decimal("10"))
    content = f"{OFN_HEADER}\nFerme du Ségala,S-1,Savon,,,,100,g,,6.00,,,true,Default,\n"

    checked = import_file(world, "ofn.csv", content.encode(), confirm=False)

    assert checked.summary == ["1 produit sans catégorie de TVA : 10 % appliqué."]


def test_an_existing_product_keeps_its_rate_when_the_line_gives_none(world, segala):
    bread = ProductFactory(organisation=world.org_a, producer=segala, reference="OFN-PAIN",
                           name="Pain de campagne", vat_rate=Decimal("10"))  # fmt: skip
    content = f"{OFN_HEADER}\nFerme du Ségala,OFN-PAIN,Pain de campagne,,,,1,kg,,5.00,,,true,,\n"

    done = import_file(world, "ofn.csv", content.encode())

    assert done.status == "done" and done.summary == [] and done.notes == []
    bread.refresh_from_db()
    assert bread.vat_rate == Decimal("10.00")


def test_every_problem_of_a_line_is_reported_at_once(world, segala):
    """Unknown producer, a rate the collective does not use and a price that is no number,
    on one line: three errors, not one after the other."""
    content = (
        f"{OFN_HEADER}\n"
        "Ferme du Ségala,OK-1,Tomme,,Dairy,,250,g,,7.20,,,true,Default,5.5\n"
        "Ferme Inconnue,KO-1,Yaourt,,Dairy,,125,g,,deux,,,true,Default,7\n"
    )

    result = import_file(world, "ofn.csv", content.encode())

    assert result.status == "invalid"
    assert [(e["line"], e["column"]) for e in result.errors] == [
        (3, "price"),
        (3, "producer"),
        (3, "tax_category"),
    ]
    assert "« deux » n’est pas un nombre." in result.errors[0]["reason"]
    assert "Ferme Inconnue" in result.errors[1]["reason"]
    assert "taux de TVA" in result.errors[2]["reason"]
    assert not Product.objects.exists()


# --- 2. The true number of errors ---------------------------------------------------------------


def test_a_file_of_many_bad_lines_says_how_many_and_shows_the_first_hundred(client, world, segala):
    content = csv_file(*[line(f"B-{n}", price="abc") for n in range(1_200)])

    result = import_file(world, "mauvais.csv", content)

    assert (result.status, result.error_count, len(result.errors)) == ("invalid", 1_200, 100)
    assert [e["line"] for e in result.errors] == list(range(2, 102))
    page = _page(client, world, result)
    with translation.override("fr"):
        count = format_quantity(1_200)  # "1 200" once thousands are separated
    assert f"Rien n’a été importé : {count} erreurs à corriger dans le fichier." in page
    assert "Voici les 100 premières, dans l’ordre des lignes" in page
    assert not Product.objects.exists()


# --- 3. Line numbers as a spreadsheet shows them -----------------------------------------------


def test_csv_line_numbers_count_empty_lines_and_multi_line_cells(world, segala):
    content = (
        csv_file(line("A-1")).decode()
        + "\r\n;;;\r\n"  # an empty line, then a line of empty cells: lines 3 and 4
        + line("A-2", description='"Tresse\r\nde Lautrec"')  # line 5, on two text lines
        + "\r\n"
        + line("A-3", price="abc")  # line 6 of the spreadsheet, 7th line of text
        + "\r\n"
    ).encode()

    result = import_file(world, "produits.csv", content)

    assert [(e["line"], e["column"]) for e in result.errors] == [(6, "price")]


def test_xlsx_line_numbers_count_empty_rows(world, segala):
    header = csv_file().decode().strip().split(";")
    good, bad = line("X-1").split(";"), line("X-2", price="abc").split(";")

    result = import_file(world, "p.xlsx", xlsx_file([header, good, [], [], bad]))

    assert [(e["line"], e["column"]) for e in result.errors] == [(5, "price")]


# --- 4. References are each producer's own -----------------------------------------------------


def test_a_second_farm_with_the_same_cagette_references_gets_its_own_products(
    client, world, segala, garrigue
):
    cagette = (FILES / "cagette.csv").read_bytes()
    first = import_file(world, "segala.csv", cagette, producer=segala)
    assert (first.status, first.to_create) == ("done", 3), first.errors
    honey = Product.objects.get(producer=segala, reference="MIEL-500")

    checked = import_file(world, "garrigue.csv", cagette, producer=garrigue, confirm=False)

    assert (checked.status, checked.to_create, checked.to_update) == ("ready", 3, 0)
    assert checked.note_count == 3
    assert checked.notes[0] == {
        "line": 2,
        "column": "ref",
        "reason": "La référence MIEL-500 est aussi celle d’un produit de Ferme du Ségala : un "
        "nouveau produit de Ferme de la Garrigue est créé, l’autre reste tel quel.",
    }
    assert "3 remarques sur les lignes" in _page(client, world, checked)

    done = import_file(world, "garrigue.csv", cagette, producer=garrigue)

    assert (done.status, done.to_create) == ("done", 3)
    honey.refresh_from_db()
    assert honey.producer == segala  # not moved to the second farm
    assert Product.objects.filter(reference="MIEL-500").count() == 2


def test_two_lines_of_one_producer_with_one_reference_are_refused(world, garrigue):
    content = (FILES / "cagette.csv").read_text(encoding="cp1252") + (
        "Miel de printemps,8.50,MIEL-500,,500,g,1,0,5.5,10\n"
    )

    result = import_file(world, "cagette.csv", content.encode("cp1252"), producer=garrigue)

    assert result.status == "invalid"
    assert [(e["line"], e["column"]) for e in result.errors] == [(5, "ref")]
    assert "ligne 2" in result.errors[0]["reason"]
    assert not Product.objects.exists()


def test_the_same_reference_for_two_producers_named_in_the_file(world, segala, garrigue):
    content = csv_file(line("R-1"), line("R-1", producer="Ferme de la Garrigue"))

    done = import_file(world, "deux.csv", content)

    assert (done.status, done.to_create, done.notes) == ("done", 2, [])
    assert Product.objects.filter(reference="R-1").count() == 2


# --- 6. Weighed products from Cagette ----------------------------------------------------------


def test_a_cagette_product_by_weight_is_ordered_from_100_g(world, segala):
    content = (
        "productName,price,ref,desc,qt,unit,organic,floatQt,vat,stock\n"
        "Côtelettes d'agneau,24.00,COT-KG,,1,kg,0,1,5.5,\n"
        "Comté 18 mois,11.50,COMTE-500,,500,g,0,1,5.5,\n"
        "Huile de noix,9.00,HUILE-50,,50,cl,1,0,5.5,\n"
    )

    done = import_file(world, "cagette.csv", content.encode(), producer=segala)

    assert done.status == "done", done.errors
    shown = {
        p.reference: (p.unit_kind, p.unit_label, p.price, p.min_quantity, p.quantity_step)
        for p in Product.objects.all()
    }
    assert shown == {
        "COT-KG": ("weight", "kg", Decimal("24.00"), Decimal("0.1"), Decimal("0.1")),
        "COMTE-500": ("weight", "kg", Decimal("23.00"), Decimal("0.1"), Decimal("0.1")),
        "HUILE-50": ("piece", "50 cl", Decimal("9.00"), Decimal("1"), Decimal("1")),
    }


# --- 7. A re-import that changes nothing writes nothing ----------------------------------------


def test_an_unchanged_reimport_writes_no_product(client, world, segala):
    ofn = (FILES / "ofn.csv").read_bytes()
    assert import_file(world, "ofn.csv", ofn).status == "done"
    stamps = dict(Product.objects.values_list("pk", "updated_at"))

    with CaptureQueriesContext(connection) as queries:
        again = import_file(world, "ofn.csv", ofn)

    assert (again.status, again.to_create, again.to_update, again.unchanged) == (
        "done", 0, 0, 3,
    )  # fmt: skip
    assert _writes(queries) == []
    assert dict(Product.objects.values_list("pk", "updated_at")) == stamps
    assert StockMovement.objects.count() == 2  # the first import's stock only
    page = _page(client, world, again)
    assert "0 produit ajouté" in page and "3 produits inchangés" in page


def test_a_reimport_writes_only_the_changed_products(world, segala):
    content = csv_file(*[line(f"C-{n}", name=f"Produit {n}") for n in range(30)])
    assert import_file(world, "c.csv", content).status == "done"
    stamps = dict(Product.objects.values_list("reference", "updated_at"))
    changed = csv_file(
        *[line(f"C-{n}", name=f"Produit {n}", price="2,00" if n == 7 else "1,50")
          for n in range(30)]
    )  # fmt: skip

    with CaptureQueriesContext(connection) as queries:
        done = import_file(world, "c.csv", changed)

    assert (done.to_create, done.to_update, done.unchanged) == (0, 1, 29)
    updates = _writes(queries)
    assert len(updates) == 1 and updates[0].startswith("UPDATE")
    after = dict(Product.objects.values_list("reference", "updated_at"))
    assert [ref for ref in after if after[ref] != stamps[ref]] == ["C-7"]
    assert Product.objects.get(reference="C-7").price == Decimal("2.00")


def _field_checks(monkeypatch) -> list:
    """The products checked field by field (``full_clean``) from now on."""
    checked = []
    full_clean = Product.full_clean

    def counted(product, *args, **kwargs):
        checked.append(product.reference)
        return full_clean(product, *args, **kwargs)

    monkeypatch.setattr(Product, "full_clean", counted)
    return checked


def test_a_line_equal_to_its_product_is_compared_before_its_fields_are_checked(
    world, segala, monkeypatch
):
    """The products a re-import leaves as they are are not checked field by field again
    (their values were checked when saved): at the check and at the apply, only the changed
    line is."""
    content = csv_file(*[line(f"C-{n}", name=f"Produit {n}") for n in range(30)])
    assert import_file(world, "c.csv", content).status == "done"
    checked = _field_checks(monkeypatch)

    assert import_file(world, "c.csv", content).unchanged == 30
    assert checked == []
    changed = csv_file(
        *[line(f"C-{n}", name=f"Produit {n}", price="2,00" if n == 7 else "1,50")
          for n in range(30)]
    )  # fmt: skip
    assert import_file(world, "c.csv", changed).to_update == 1
    assert checked == ["C-7", "C-7"]


def test_a_line_equal_to_its_product_still_follows_the_organisation_s_rules(world, segala):
    """Compared first, an unchanged line is still held to the rules that depend on the
    organisation: a VAT rate it no longer uses is refused."""
    content = csv_file(line("R-1"), line("R-2", name="Navet"))
    assert import_file(world, "p.csv", content).status == "done"
    VatRate.objects.create(organisation=world.org_a, rate=Decimal("20"))  # 5.5 % no longer

    again = import_file(world, "p.csv", content)

    assert again.status == "invalid"
    assert [(error["line"], error["column"]) for error in again.errors] == [
        (2, "vat_rate"), (3, "vat_rate"),
    ]  # fmt: skip


def test_the_preview_counts_new_changed_and_unchanged_lines(client, world, segala):
    ProductFactory(organisation=world.org_a, producer=segala, reference="R-1", name="Radis",
                   category="vegetables-fresh", unit_label="botte", price=Decimal("1.50"),
                   is_organic=True, is_local=True)  # fmt: skip
    ProductFactory(organisation=world.org_a, producer=segala, reference="R-2",
                   price=Decimal("9"))  # fmt: skip
    content = csv_file(line("R-1"), line("R-2", name="Navet"), line("R-3", name="Chou"))

    checked = import_file(world, "p.csv", content, confirm=False)

    assert (checked.to_create, checked.to_update, checked.unchanged) == (1, 1, 1)
    page = _page(client, world, checked)
    for text in ("1 nouveau produit", "1 produit à modifier", "1 produit inchangé"):
        assert text in page
