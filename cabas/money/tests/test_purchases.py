"""The purchases journal: validated receptions as purchases and deductible VAT, per line
and per rate, to the cent, apart from the sales' VAT."""

import csv
import io
import zoneinfo
from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cabas.money.reports import purchases as journal_reports
from cabas.supply.models import Reception, ReceptionLine
from cabas.supply.tests.factories import (
    PurchaseOrderFactory,
    ShopProductFactory,
    SupplierFactory,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _reception(org, supplier, when, lines, *, status="validated", **kwargs):
    reception = Reception.objects.create(
        organisation=org, supplier=supplier, status=status, validated_at=when, **kwargs
    )
    for received, price, rate in lines:
        ReceptionLine.objects.create(
            organisation=org,
            reception=reception,
            product=ShopProductFactory(organisation=org),
            received_quantity=None if received is None else Decimal(received),
            damaged_quantity=Decimal("1"),  # never paid
            unit_price=Decimal(price),
            vat_rate=Decimal(rate),
        )
    return reception


@pytest.fixture
def receptions(world):
    org = world.org_a
    biocoop = SupplierFactory(organisation=org, name="Biocoop Grossiste")
    farm = SupplierFactory(organisation=org, name="=Ferme")
    order = PurchaseOrderFactory(supplier=farm, number=7)
    # 12 × 0,6958 = 8,3496 → 8,35 (VAT 5,5 %: 0,459 → 0,46); 2,5 × 3,10 = 7,75 (0,426 →
    # 0,43); 3 × 2,415 = 7,245 → 7,25 (VAT 20 %: 1,45).
    _reception(
        org,
        biocoop,
        datetime(2026, 11, 10, 9, tzinfo=PARIS),
        [("12", "0.6958", "5.50"), ("2.5", "3.1000", "5.50"), ("3", "2.4150", "20.00")],
        delivery_note="BL-881",
    )
    # Late on 30 November in Paris (22:30 UTC): still November. 4 × 1,99 = 7,96 (1,592 → 1,59).
    _reception(
        org,
        farm,
        datetime(2026, 11, 30, 23, 30, tzinfo=PARIS),
        [("4", "1.9900", "20.00"), (None, "5", "20.00")],
        purchase_order=order,
    )
    # Not in the journal: a draft, another month, another organisation.
    _reception(org, biocoop, None, [("5", "1", "5.50")], status="draft")
    _reception(org, biocoop, datetime(2026, 12, 1, 9, tzinfo=PARIS), [("5", "1", "5.50")])
    other = SupplierFactory(organisation=world.org_b)
    _reception(world.org_b, other, datetime(2026, 11, 12, tzinfo=PARIS), [("5", "1", "5.50")])
    return org


def _journal(org):
    from datetime import date

    return journal_reports.purchase_journal(
        organisation=org, start=date(2026, 11, 1), end=date(2026, 11, 30)
    )


def test_totals_per_rate_to_the_cent(receptions):
    journal = _journal(receptions)
    assert [(t.vat_rate, t.amount_excl_vat, t.vat) for t in journal.totals] == [
        (Decimal("5.50"), Decimal("16.10"), Decimal("0.89")),
        (Decimal("20.00"), Decimal("15.21"), Decimal("3.04")),
    ]
    assert (journal.amount_excl_vat, journal.vat, journal.amount_incl_vat) == (
        Decimal("31.31"),
        Decimal("3.93"),
        Decimal("35.24"),
    )
    assert [p.amount_incl_vat for p in journal.purchases] == [Decimal("25.69"), Decimal("9.55")]


def test_journal_xlsx_sheet_is_named_as_a_person_reads_it(client, world, receptions):
    from openpyxl import load_workbook

    client.force_login(world.users["coordinator"])
    url = reverse("money:purchase_journal", kwargs={"slug": receptions.slug, "file_format": "xlsx"})
    response = client.get(url + "?from=2026-11-01&to=2026-11-30")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Journal des achats"
    assert sheet.cell(row=2, column=6).value == 16.1  # a number, not « 16,10 »


def test_journal_file_balances_with_its_accounts(client, world, receptions):
    client.force_login(world.users["coordinator"])
    url = reverse("money:purchase_journal", kwargs={"slug": receptions.slug, "file_format": "csv"})
    response = client.get(url + "?from=2026-11-01&to=2026-11-30")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Date", "Pièce", "Fournisseur", "Compte", "Libellé", "Débit", "Crédit"]
    assert rows[1:] == [
        [
            "2026-11-10",
            "BL-881",
            "Biocoop Grossiste",
            "607",
            "Achats à 5,5\u00a0% de TVA",
            "16,10",
            "",
        ],
        [
            "2026-11-10",
            "BL-881",
            "Biocoop Grossiste",
            "44566",
            "TVA déductible 5,5\u00a0%",
            "0,89",
            "",
        ],
        [
            "2026-11-10",
            "BL-881",
            "Biocoop Grossiste",
            "607",
            "Achats à 20\u00a0% de TVA",
            "7,25",
            "",
        ],
        [
            "2026-11-10",
            "BL-881",
            "Biocoop Grossiste",
            "44566",
            "TVA déductible 20\u00a0%",
            "1,45",
            "",
        ],
        ["2026-11-10", "BL-881", "Biocoop Grossiste", "401", "Biocoop Grossiste", "", "25,69"],
        ["2026-11-30", "BC-0007", "'=Ferme", "607", "Achats à 20\u00a0% de TVA", "7,96", ""],
        ["2026-11-30", "BC-0007", "'=Ferme", "44566", "TVA déductible 20\u00a0%", "1,59", ""],
        ["2026-11-30", "BC-0007", "'=Ferme", "401", "'=Ferme", "", "9,55"],
    ]
    # Never the sales' collected VAT account.
    assert all(row[3] != journal_reports.SALES_VAT_ACCOUNT for row in rows)


def test_purchases_page(client, world, receptions, django_assert_max_num_queries):
    client.force_login(world.users["coordinator"])
    url = reverse("money:purchases", kwargs={"slug": receptions.slug})
    text = client.get(url + "?from=2026-11-01&to=2026-11-30").content.decode()
    assert "35,24\u00a0€" in text and "3,93\u00a0€" in text
    assert client.get(url + "?from=2026-11-30&to=2026-11-01").status_code == 400
    bad = reverse("money:purchase_journal", kwargs={"slug": receptions.slug, "file_format": "pdf"})
    assert client.get(bad).status_code == 404


def test_journal_is_one_query_whatever_the_receptions(receptions, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = _journal(receptions)
    supplier = first.purchases[0].reception.supplier
    for day in (3, 4, 5):
        _reception(
            receptions,
            supplier,
            datetime(2026, 11, day, tzinfo=PARIS),
            [("1", "1", "5.50"), ("1", "1", "20.00")],
        )
    with django_assert_num_queries(1):
        assert len(_journal(receptions).purchases) == 5
