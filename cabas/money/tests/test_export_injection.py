"""Every CSV and XLSX the project writes, fed names that a spreadsheet would run as formulas.

A producer, a product, a member (first and last name) and an order note begin with ``=``,
``+``, ``-``, ``@`` or a tab. In each export: a CSV cell holding such a text starts with the
neutralising apostrophe, an XLSX cell holding it is a string cell (never a formula), and the
amounts stay numbers.
"""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cabas.accounts.tests.factories import UserFactory
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.tests.factories import MembershipFactory
from cabas.sales import services as sales_services

pytestmark = pytest.mark.django_db

PRODUCER = '=HYPERLINK("https://evil.example/pay","Payer ici")'
PRODUCT = '@HYPERLINK("https://evil.example/pay","Payer ici")'
FIRST_NAME = '+HYPERLINK("https://evil.example/pay","Payer ici")'
LAST_NAME = '-HYPERLINK("https://evil.example/pay","Payer ici")'
NOTE = "=1+1"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
CSV_NUMBER = re.compile(r"-?\d+(,\d+)?")


@pytest.fixture
def poisoned(db):
    """An open sale whose producer, product and customer carry formulas, with one order."""
    shop = open_shop()
    farm = shop.products["bread"].producer
    farm.name, farm.email = PRODUCER, "ferme@example.org"
    farm.save(update_fields=["name", "email"])
    cheese = shop.products["cheese"]
    cheese.name, cheese.description = PRODUCT, "=1+1"
    cheese.save(update_fields=["name", "description"])
    sales_services.sale_items_sync(sale=shop.sale)
    customer = shop.member(first_name=FIRST_NAME, last_name=LAST_NAME, phone="+33 6 12 34 56 78")
    shop.order = order_services.order_place(
        user=customer,
        sale=shop.sale,
        pickup_id=shop.pickup.pk,
        slot_id=shop.slots[0].pk,
        lines=[(cheese.pk, Decimal("2")), (shop.products["tomatoes"].pk, Decimal("1.5"))],
        note=NOTE,
        notify=False,
    )
    shop.coordinator = UserFactory(email="coordination@example.org")
    MembershipFactory(organisation=shop.organisation, user=shop.coordinator, is_coordinator=True)
    return shop


def _csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def assert_csv_neutralised(content: bytes, *texts: str) -> None:
    """Each text is there, behind an apostrophe; no cell but a number starts a formula."""
    cells = _csv_cells(content)
    for text in texts:
        assert "'" + text in cells, text
    for cell in cells:
        if cell.startswith(DANGEROUS):
            assert CSV_NUMBER.fullmatch(cell), f"live formula in the CSV: {cell!r}"


def assert_xlsx_safe(content: bytes, *texts: str) -> list:
    """Each text is a string cell; no cell of any sheet is a formula. Returns the cells."""
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    for text in texts:
        found = [cell for cell in cells if cell.value == text]
        assert found, text
        assert {cell.data_type for cell in found} == {"s"}
    return cells


def _get(client, user, name, **kwargs):
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return response.content


def test_the_catalog_export(client, poisoned):
    kwargs = {"slug": poisoned.organisation.slug}
    csv_file = _get(client, poisoned.coordinator, "catalog:export", file_format="csv", **kwargs)
    xlsx_file = _get(client, poisoned.coordinator, "catalog:export", file_format="xlsx", **kwargs)

    assert_csv_neutralised(csv_file, PRODUCER, PRODUCT, "=1+1")
    cells = assert_xlsx_safe(xlsx_file, PRODUCER, PRODUCT, "=1+1")
    prices = [cell for cell in cells if cell.column == 8 and cell.row > 1]
    assert {(cell.data_type, cell.number_format) for cell in prices} == {("n", '#,##0.00\\ "€"')}


def test_the_sale_summary_export(client, poisoned):
    kwargs = {"slug": poisoned.organisation.slug, "sale_id": poisoned.sale.pk}
    name = "distribution:sale_summary_export"
    csv_file = _get(client, poisoned.coordinator, name, file_format="csv", **kwargs)
    xlsx_file = _get(client, poisoned.coordinator, name, file_format="xlsx", **kwargs)

    customer = f"{FIRST_NAME} {LAST_NAME}"
    assert_csv_neutralised(csv_file, PRODUCER, PRODUCT, customer)
    cells = assert_xlsx_safe(xlsx_file, PRODUCER, PRODUCT, customer)
    amounts = {cell.value: cell for cell in cells if cell.column == 12 and cell.row > 1}
    assert sorted(amounts) == [6.0, 13.0]  # 1.5 kg × 4.00, 2 × 6.50
    assert {(c.data_type, c.number_format) for c in amounts.values()} == {("n", '#,##0.00\\ "€"')}


def test_the_preparation_and_attendance_sheets(client, poisoned):
    kwargs = {"slug": poisoned.organisation.slug, "pickup_id": poisoned.pickup.pk}
    preparation = _get(client, poisoned.coordinator, "distribution:preparation_xlsx", **kwargs)
    attendance = _get(client, poisoned.coordinator, "distribution:attendance_xlsx", **kwargs)

    name = f"{FIRST_NAME} {LAST_NAME}"  # as at check-in: first name, then family name
    cells = assert_xlsx_safe(preparation, PRODUCER, PRODUCT, name, "+33 6 12 34 56 78")
    quantities = [cell for cell in cells if cell.column == 8 and cell.row > 1]
    assert sorted((c.value, c.data_type, c.number_format) for c in quantities) == [
        (1.5, "n", "#,##0.0##"),
        (2, "n", "#,##0"),
    ]
    cells = assert_xlsx_safe(attendance, name)
    (amount_due,) = [cell for cell in cells if cell.column == 7 and cell.row > 1]
    assert (amount_due.value, amount_due.data_type) == (19, "n")


def test_the_members_export(client, poisoned):
    kwargs = {"slug": poisoned.organisation.slug}
    csv_file = _get(
        client, poisoned.coordinator, "money:member_export", file_format="csv", **kwargs
    )
    xlsx_file = _get(
        client, poisoned.coordinator, "money:member_export", file_format="xlsx", **kwargs
    )

    assert_csv_neutralised(csv_file, FIRST_NAME, LAST_NAME, "+33 6 12 34 56 78")
    assert_xlsx_safe(xlsx_file, FIRST_NAME, LAST_NAME, "+33 6 12 34 56 78")


def test_the_money_reports(client, poisoned):
    kwargs = {"slug": poisoned.organisation.slug, "sale_id": poisoned.sale.pk}
    csv_file = _get(client, poisoned.coordinator, "money:sale_accounting", file_format="csv",
                    **kwargs)  # fmt: skip
    xlsx_file = _get(client, poisoned.coordinator, "money:sale_accounting", file_format="xlsx",
                     **kwargs)  # fmt: skip

    assert_csv_neutralised(csv_file, PRODUCER)
    cells = assert_xlsx_safe(xlsx_file, PRODUCER)
    money = [cell for cell in cells if cell.number_format == '#,##0.00\\ "€"']
    assert money and {cell.data_type for cell in money} == {"n"}


def test_the_emailed_producer_summaries(poisoned, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sales_services.sale_close_now(sale=poisoned.sale)

    by_recipient = {message.to[0]: message for message in mailoutbox}
    customer = f"{FIRST_NAME} {LAST_NAME}"
    for recipient in ("ferme@example.org", "coordination@example.org"):
        attachments = {name[-4:]: content for name, content, _type in
                       by_recipient[recipient].attachments}  # fmt: skip
        assert sorted(attachments) == [".csv", "xlsx"]
        csv_file = attachments[".csv"]
        csv_file = csv_file.encode("utf-8") if isinstance(csv_file, str) else csv_file
        assert_csv_neutralised(csv_file, PRODUCER, PRODUCT)
        assert_xlsx_safe(attachments["xlsx"], PRODUCER, PRODUCT)
        if recipient == "ferme@example.org":  # the customers' lines
            assert_csv_neutralised(csv_file, customer)
            assert_xlsx_safe(attachments["xlsx"], customer)


def test_the_order_note_is_in_no_export_and_never_a_formula(client, poisoned):
    """The note is shown on the preparation page only; no file carries it as a formula."""
    kwargs = {"slug": poisoned.organisation.slug, "pickup_id": poisoned.pickup.pk}
    preparation = _get(client, poisoned.coordinator, "distribution:preparation_xlsx", **kwargs)

    cells = assert_xlsx_safe(preparation)
    assert [cell for cell in cells if cell.value == NOTE and cell.data_type != "s"] == []
