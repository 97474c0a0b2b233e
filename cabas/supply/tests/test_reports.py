"""The stock value and losses at purchase price, and the days of cover: a ledger dated by
hand, each figure computed by hand."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cabas.catalog.models import Product
from cabas.catalog.stock_reports import CostBasis
from cabas.supply import reports
from cabas.supply.models import SupplySettings
from cabas.supply.tests.factories import ShopProductFactory, SupplierItemFactory
from cabas.supply.tests.ledger import Reason, at, move


@pytest.fixture
def ledger(world):
    """Flour sold at 2,11 € (5,5 %), bought 1,35 € excl. VAT from its main supplier; yoghurt
    sold at 1,20 € (20 %: 1,00 € excl. VAT) with no supplier, minimum 3."""
    org = world.org_a
    flour = ShopProductFactory(
        organisation=org,
        producer=world.producer,
        name="Farine",
        category="grocery-flour",
        price=Decimal("2.11"),
        vat_rate=Decimal("5.50"),
    )
    yoghurt = ShopProductFactory(
        organisation=org,
        producer=world.producer,
        name="Yaourt",
        category="dairy-yoghurt",
        price=Decimal("1.20"),
        vat_rate=Decimal("20.00"),
        stock_minimum=Decimal("3"),
    )
    item = SupplierItemFactory(
        supplier__organisation=org,
        supplier__name="Biocoop Grossiste",
        product=flour,
        purchase_price=Decimal("1.3500"),
    )
    # Another supplier of the flour, not the main one: its price is not the cost.
    SupplierItemFactory(
        supplier__organisation=org, product=flour, purchase_price=Decimal("9"), is_main=False
    )
    move(flour, 10, Reason.RECEPTION, at(1))
    move(yoghurt, 6, Reason.RECEPTION, at(10))
    move(flour, -6, Reason.ORDER_PLACED, at(12))
    move(flour, -2, Reason.LOSS, at(20))
    move(flour, -1, Reason.BREAKAGE, at(25))
    move(yoghurt, -3, Reason.EXPIRED, at(28))
    move(yoghurt, -1, Reason.GIFT, at(29, hour=23))
    return {"org": org, "flour": flour, "yoghurt": yoghurt, "supplier": item.supplier}


def _url(name, org, **kwargs):
    return reverse(f"supply:{name}", kwargs={"slug": org.slug, **kwargs})


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


# --- Stock value ----------------------------------------------------------------------------


def test_stock_value_at_purchase_price_or_selling_price(ledger):
    rows = reports.stock_value_at(organisation=ledger["org"], day=date(2026, 11, 15))
    assert [
        (r.product.name, r.quantity, r.unit_cost.price, r.unit_cost.basis, r.value) for r in rows
    ] == [
        ("Farine", Decimal("4"), Decimal("1.3500"), CostBasis.PURCHASE, Decimal("5.40")),
        ("Yaourt", Decimal("6"), Decimal("1"), CostBasis.SELLING, Decimal("6.00")),
    ]


def test_stock_value_page_and_csv(client, world, ledger):
    client.force_login(world.users["supply"])
    page = client.get(_url("stock_value", ledger["org"]) + "?date=2026-11-15")
    text = page.content.decode()
    assert "11,40\u00a0€" in text  # 5,40 + 6,00
    assert "prix de vente HT" in text and "prix d’achat" in text
    rows = _csv(
        client.get(
            _url("report_file", ledger["org"], report="value", file_format="csv")
            + "?date=2026-11-15"
        )
    )
    assert rows[0] == ["Produit", "Stock", "Coût unitaire HT", "Valorisé au", "Valeur HT"]
    assert rows[1:] == [
        ["Farine", "4", "1,35", "prix d’achat", "5,40"],
        ["Yaourt", "6", "1,00", "prix de vente HT", "6,00"],
    ]


# --- Losses ---------------------------------------------------------------------------------


def test_losses_at_purchase_price(ledger):
    rows = reports.losses_by_category(
        organisation=ledger["org"], start=date(2026, 11, 15), end=date(2026, 11, 30)
    )
    by_category = {row.category: row for row in rows}
    flour, dairy = by_category["grocery-flour"], by_category["dairy-yoghurt"]
    assert (flour.values["loss"], flour.values["breakage"]) == (Decimal("2.70"), Decimal("1.35"))
    assert (flour.lost_quantity, flour.lost_value) == (Decimal("3"), Decimal("4.05"))
    assert (dairy.lost_quantity, dairy.lost_value) == (Decimal("3"), Decimal("3.00"))
    assert (dairy.quantities["gift"], dairy.values["gift"]) == (Decimal("1"), Decimal("1.00"))


def test_losses_page_and_xlsx(client, world, ledger):
    client.force_login(world.users["supply"])
    query = "?from=2026-11-15&to=2026-11-30"
    text = client.get(_url("stock_losses", ledger["org"]) + query).content.decode()
    assert "7,05\u00a0€" in text  # 4,05 + 3,00
    content = client.get(
        _url("report_file", ledger["org"], report="losses", file_format="xlsx") + query
    ).content
    sheet = load_workbook(io.BytesIO(content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    flour = next(row for row in values if row[0] == "Farines, céréales et légumineuses")
    assert flour[1:5] == [2, 2.7, 1, 1.35]


# --- Days of cover --------------------------------------------------------------------------


def test_cover_by_hand(ledger):
    rows = reports.cover(
        organisation=ledger["org"], start=date(2026, 11, 1), end=date(2026, 11, 30)
    )
    # The yoghurt is below its minimum (2 < 3): first; it did not sell (no cover figure).
    assert [(r.product.name, r.stock, r.per_day, r.days, r.product.is_low) for r in rows] == [
        ("Yaourt", Decimal("2"), Decimal("0"), None, True),
        ("Farine", Decimal("1"), Decimal("0.200"), Decimal("5.0"), False),  # 6 / 30 days
    ]
    assert [r.product.main_supplier_name for r in rows] == [None, "Biocoop Grossiste"]


def test_cover_page_and_csv(client, world, ledger):
    client.force_login(world.users["supply"])
    query = "?from=2026-11-01&to=2026-11-30"
    text = client.get(_url("cover", ledger["org"]) + query).content.decode()
    assert "Biocoop Grossiste" in text and "Sous le minimum" in text
    rows = _csv(
        client.get(_url("report_file", ledger["org"], report="cover", file_format="csv") + query)
    )
    assert rows[1:] == [
        ["Yaourt", "2", "3", "1", "0", "", ""],
        ["Farine", "1", "", "0", "0,2", "5", "Biocoop Grossiste"],
    ]


def test_cover_default_period_is_the_settings_one(client, world, ledger):
    client.force_login(world.users["supply"])
    url = _url("report_file", ledger["org"], report="cover", file_format="csv") + "?to=2026-11-30"
    # No settings: 28 days (3–30 November): 6 sold → 0,214 a day.
    assert _csv(client.get(url))[2][4] == "0,214"
    # Ten days (21–30 November): the order of the 12th is before.
    SupplySettings.objects.create(organisation=ledger["org"], sales_period_days=10)
    assert _csv(client.get(url))[2][4] == "0"
    assert client.get(_url("cover", ledger["org"])).status_code == 200
    assert (
        client.get(_url("cover", ledger["org"]) + "?from=2026-12-01&to=2026-11-30").status_code
        == 400
    )


# --- Every page -----------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # warm: the first page of a visit writes the organisation into the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_products(client, world, ledger):
    client.force_login(world.users["supply"])
    org = ledger["org"]
    period = "?from=2026-11-01&to=2026-11-30"
    urls = [
        _url("stock_value", org) + "?date=2026-11-30",
        _url("stock_losses", org) + period,
        _url("cover", org) + period,
        _url("report_file", org, report="cover", file_format="csv") + period,
        _url("report_file", org, report="value", file_format="xlsx") + "?date=2026-11-30",
    ]
    before = [_queries(client, url) for url in urls]
    for number in range(4):
        product = ShopProductFactory(organisation=org, producer=world.producer)
        SupplierItemFactory(supplier=ledger["supplier"], product=product)
        move(product, 5 + number, Reason.RECEPTION, at(2))
        move(product, -1, Reason.ORDER_PLACED, at(3))
        move(product, -1, Reason.LOSS, at(4))
    assert [_queries(client, url) for url in urls] == before


@pytest.mark.parametrize(
    "path",
    [
        "stock_value?date=x",
        "stock_losses?from=2026-13-01",
        "cover?to=31/11/2026",
        "cover?category=nope",
    ],
)
def test_bad_query_parameters_give_a_clear_400(client, world, ledger, path):
    name, query = path.split("?")
    client.force_login(world.users["supply"])
    assert client.get(_url(name, ledger["org"]) + "?" + query).status_code == 400


def test_unknown_file_is_404(client, world, ledger):
    client.force_login(world.users["supply"])
    url = _url("report_file", ledger["org"], report="nope", file_format="csv")
    assert client.get(url).status_code == 404
    assert Product.objects.filter(organisation=ledger["org"]).count() == 2


# --- Inventories: the same costs -------------------------------------------------------------


def test_inventory_differences_are_valued_at_purchase_price_open_and_validated(ledger):
    """The flour (bought 1,35 € excl. VAT) counted 1 short, the yoghurt (no supplier: its
    selling price excl. VAT, 1,00 €) counted 1 over: −1,35 € + 1,00 € = −0,35 €, before and
    after the validation (which keeps the values)."""
    from cabas.catalog import inventories

    flour, yoghurt = ledger["flour"], ledger["yoghurt"]
    flour.refresh_from_db()
    yoghurt.refresh_from_db()
    session = inventories.inventory_start(organisation=ledger["org"], name="Rayon", started_by=None)
    for product, delta in ((flour, -1), (yoghurt, 1)):
        inventories.inventory_count_record(
            session=session,
            product_id=product.pk,
            quantity=product.stock_quantity + delta,
            counted_by=None,
        )

    rows, total = inventories.differences(session=session)
    assert {row.product.name: row.unit_value for row in rows} == {
        "Farine": Decimal("1.3500"),
        "Yaourt": Decimal("1.0000"),
    }
    assert total == Decimal("-0.35")

    session = inventories.inventory_validate(session=session, validated_by=None)
    rows, total = inventories.differences(session=session)
    assert total == Decimal("-0.35")
