"""Printable sheets of a pickup: preparation list, labels, attendance sheet and their XLSX."""

import io
import re
from decimal import Decimal

import pytest
import segno
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext
from openpyxl import load_workbook

from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.core import tables
from cabas.distribution import selectors, sheets
from cabas.orders import services
from cabas.orders.models import OrderLine
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.sales import services as sales_services
from cabas.sales.models import Slot

pytestmark = pytest.mark.django_db


def _place(shop, user, lines, *, slot=None, pickup=None):
    return services.order_place(
        user=user,
        sale=shop.sale,
        pickup_id=(pickup or shop.pickup).pk,
        slot_id=slot.pk if slot else None,
        lines=[(shop.products[name].pk, Decimal(quantity)) for name, quantity in lines],
        notify=False,
    )


def _volunteer(shop, **kwargs):
    user = shop.member(language="en", **kwargs)
    Membership.objects.filter(user=user).update(is_volunteer=True)
    return user


def _slot_text(slot):
    starts = timezone.localtime(slot.starts_at)
    ends = timezone.localtime(slot.ends_at)
    return f"{starts:%H:%M}–{ends:%H:%M}"


@pytest.fixture
def shop():
    """Given a sale with a second producer (a bakery, sorted before "Ferme du Cérou") and
    orders n° 1 (Martin, slot 2), n° 2 (Durand, slot 1), n° 3 (Bernard, slot 1); one order at
    the other pickup and one cancelled order, both left out of every sheet."""
    shop = open_shop()
    bakery = ProducerFactory(name="Boulangerie Aubrac")
    ProducerLinkFactory(organisation=shop.organisation, producer=bakery)
    shop.products["fougasse"] = ProductFactory(
        organisation=shop.organisation, producer=bakery, name="Fougasse", price=Decimal("3.00"),
        category="bakery-bread",
    )  # fmt: skip
    sales_services.sale_items_sync(sale=shop.sale)
    first, second = shop.slots[0], shop.slots[1]
    martin = shop.member(last_name="Martin", first_name="Anna", phone="06 11 22 33 44")
    durand = shop.member(last_name="Durand", first_name="Bob", phone="06 55 66 77 88",
                         second_person="Alice Durand")  # fmt: skip
    bernard = shop.member(last_name="Bernard", first_name="Chloé", phone="")
    shop.orders = {
        1: _place(shop, martin, [("bread", 1), ("fougasse", 2)], slot=second),
        2: _place(shop, durand, [("cheese", 1)], slot=first),
        3: _place(shop, bernard, [("tomatoes", "1.5"), ("bread", 1), ("chicken", 1)], slot=first),
    }
    elsewhere = _place(shop, shop.member(last_name="Ailleurs"), [("bread", 1)],
                       pickup=shop.open_pickup)  # fmt: skip
    cancelled = _place(shop, shop.member(last_name="Abandon"), [("bread", 1)], slot=first)
    services.order_cancel(order=cancelled)
    assert (elsewhere.number, cancelled.number) == (4, 5)
    # Distribution day: the chicken of n° 3 is missing.
    OrderLine.objects.filter(order=shop.orders[3], product_name="Poulet").update(is_missing=True)
    for order in shop.orders.values():
        order.refresh_from_db()
    return shop


@pytest.fixture
def volunteer_client(client, shop):
    client.force_login(_volunteer(shop))
    return client


def _url(shop, name, **query):
    url = reverse(f"distribution:{name}", kwargs={"slug": shop.organisation.slug,
                                                   "pickup_id": shop.pickup.pk})  # fmt: skip
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def _xlsx_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# Selectors ----------------------------------------------------------------------------------


def test_preparation_orders_by_slot_then_number_with_lines_by_producer(
    shop, django_assert_num_queries
):
    with django_assert_num_queries(4):  # the orders, their members, the slots, the lines
        orders = list(sheets.preparation_orders(pickup=shop.pickup))
        prepared = sheets.preparation_sheets(orders)

    assert [order.number for order in orders] == [2, 3, 1]
    assert [
        [(group.producer.name, [line.product_name for line in group.lines])
         for group in sheet.producers]
        for sheet in prepared
    ] == [
        [("Ferme du Cérou", ["Tomme"])],
        [("Ferme du Cérou", ["Pain de campagne", "Poulet", "Tomates"])],
        [("Boulangerie Aubrac", ["Fougasse"]), ("Ferme du Cérou", ["Pain de campagne"])],
    ]  # fmt: skip
    assert [sheet.name for sheet in prepared] == ["Bob Durand", "Chloé Bernard", "Anna Martin"]


def test_preparation_orders_load_all_the_sheets_print(shop, django_assert_num_queries):
    """Only the printed columns are loaded: reading every one of them (the preparation list,
    its XLSX rows and the labels) makes no query beyond the four of the selector."""
    with django_assert_num_queries(4), translation.override("en"):
        orders = list(sheets.preparation_orders(pickup=shop.pickup))
        rows = sheets.preparation_table_rows(orders)
        sheets.labels(orders)
        printed = [
            (order.number, order.note, order.user.phone, order.user.second_person,
             order.slot.starts_at, order.slot.ends_at,
             [(line.product_name, line.is_missing, line.substitution_note, line.quantity,
               line.unit_label, line.unit_kind, line.variable_weight, line.weighed_kg,
               line.estimated_weight_kg, line.producer.name)
              for line in order.lines])
            for order in orders
        ]  # fmt: skip

    assert [row[6] for row in rows] == [
        "Cheese", "Bread", "Poultry", "Fresh vegetables", "Bread", "Bread"
    ]  # fmt: skip
    assert printed[1][3] == "" and printed[0][3] == "Alice Durand"
    assert [line[0] for line in printed[1][6]] == ["Pain de campagne", "Poulet", "Tomates"]


def _order(shop, number):
    """The order of that number as ``preparation_orders`` reads it."""
    return next(
        order for order in sheets.preparation_orders(pickup=shop.pickup) if order.number == number
    )


def test_preparation_orders_query_count_does_not_grow_with_the_orders(shop):
    """Seven queries (four with the lines, three without) for the three orders of the
    fixture, and seven for thirty more orders of several lines and producers."""

    def queries():
        with CaptureQueriesContext(connection) as captured:
            sheets.preparation_sheets(sheets.preparation_orders(pickup=shop.pickup))
            sheets.labels(sheets.preparation_orders(pickup=shop.pickup, with_lines=False))
        return len(captured.captured_queries)

    few = queries()
    Slot.objects.filter(pickup=shop.pickup).update(capacity=100)
    for n in range(30):
        lines = [("bread", 1), ("fougasse", 1), ("tomatoes", 1)]
        _place(shop, shop.member(last_name=f"Membre {n:02d}"), lines, slot=shop.slots[n % 2])
    assert len(sheets.preparation_orders(pickup=shop.pickup)) == 33
    assert queries() == few == 7


def test_preparation_orders_of_one_slot(shop):
    orders = sheets.preparation_orders(pickup=shop.pickup, slot=shop.slots[1])
    assert [order.number for order in orders] == [1]


def test_attendance_rows_by_slot_then_name(shop, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = sheets.attendance_rows(pickup=shop.pickup)

    first, second = _slot_text(shop.slots[0]), _slot_text(shop.slots[1])
    assert [
        (row.slot, row.number, row.name, row.second_person, row.phone, row.items,
         row.amount_due, row.paid)
        for row in rows
    ] == [
        (first, 3, "Chloé Bernard", "", "", 2, shop.orders[3].total, ""),
        (first, 2, "Bob Durand", "Alice Durand", "06 55 66 77 88", 1, Decimal("6.50"), ""),
        (second, 1, "Anna Martin", "", "06 11 22 33 44", 2, Decimal("10.20"), ""),
    ]  # fmt: skip
    # Tomatoes 1.5 kg × 4.00, bread 4.20, chicken estimated 1.6 kg × 11.90.
    assert shop.orders[3].total == Decimal("6.00") + Decimal("4.20") + Decimal("19.04")


def test_checkin_url_and_qr_code(shop):
    order = _order(shop, 1)
    assert sheets.checkin_url(order) == (
        f"{settings.SITE_URL}/o/{shop.organisation.slug}/checkin/orders/{order.code}/"
    )
    svg = sheets.order_qr_svg(order)
    assert svg.startswith('<svg viewBox="0 0 ') and 'class="qr"' in svg
    # segno's code of the link at error level M, with the mask given rather than searched for.
    code = segno.make(sheets.checkin_url(order), error="m", micro=False, mask=sheets.QR_MASK)
    assert svg == code.svg_inline(scale=3, omitsize=True, svgclass="qr")
    assert code.mask == sheets.QR_MASK and code.error == "M"


def test_checkin_url_is_the_checkin_page(shop):
    """The written-out path of ``checkin_url`` is the one of the check-in URL pattern."""
    order = _order(shop, 1)
    kwargs = {"slug": shop.organisation.slug, "code": order.code}
    try:
        path = reverse("distribution:checkin_order", kwargs=kwargs)
    except NoReverseMatch:
        pytest.skip("distribution:checkin_order does not exist yet (cabas/distribution)")
    assert sheets.checkin_url(order) == settings.SITE_URL + path


# Pages --------------------------------------------------------------------------------------


def test_preparation_page(shop, volunteer_client):
    response = volunteer_client.get(_url(shop, "preparation"))

    assert response.status_code == 200
    body = response.content.decode()
    assert re.findall(r'id="order-(\d+)"', body) == ["2", "3", "1"]
    sheet_of_1 = body[body.index('id="order-1"') :]
    assert sheet_of_1.index("Boulangerie Aubrac") < sheet_of_1.index("Ferme du Cérou")
    assert "06 11 22 33 44" in sheet_of_1 and "Anna Martin" in sheet_of_1
    assert "Ailleurs" not in body and "Abandon" not in body
    assert 'class="order-sheets"' in body
    assert '<button type="button" class="button primary" data-print>' in body  # js/cabas.js
    assert "distribution/sheets.css" in body


def test_preparation_page_one_page_per_order_and_one_slot(shop, volunteer_client):
    response = volunteer_client.get(_url(shop, "preparation", per_page=1, slot=shop.slots[0].pk))

    body = response.content.decode()
    assert 'class="order-sheets per-page"' in body
    assert re.findall(r'id="order-(\d+)"', body) == ["2", "3"]


def test_preparation_page_refuses_a_slot_of_another_pickup(shop, volunteer_client):
    other = open_shop(organisation=shop.organisation).slots[0]
    assert volunteer_client.get(_url(shop, "preparation", slot=other.pk)).status_code == 404


@pytest.mark.parametrize("view", ["preparation", "preparation_xlsx", "labels"])
@pytest.mark.parametrize("slot", ["x", "²", "-1", "1.5", "99999999999999999999"])
def test_a_slot_that_is_not_a_number_is_a_bad_request_with_a_message(
    shop, volunteer_client, view, slot
):
    response = volunteer_client.get(_url(shop, view, slot=slot))

    assert response.status_code == 400
    # the volunteer of these tests reads English
    assert "“slot” must be a whole number" in response.content.decode()


def test_preparation_xlsx(shop, volunteer_client):
    rows = _xlsx_rows(volunteer_client.get(_url(shop, "preparation_xlsx")))

    first, second = _slot_text(shop.slots[0]), _slot_text(shop.slots[1])
    assert rows == [
        ["N°", "Name", "Phone", "Slot", "Producer", "Product", "Category", "Quantity", "Unit",
         "Variable weight", "Weighed (kg)", "Missing"],
        [2, "Bob Durand", "06 55 66 77 88", first, "Ferme du Cérou", "Tomme", "Cheese",
         1, "piece", None, None, None],
        [3, "Chloé Bernard", None, first, "Ferme du Cérou", "Pain de campagne",
         "Bread", 1, "piece", None, None, None],
        [3, "Chloé Bernard", None, first, "Ferme du Cérou", "Poulet", "Poultry",
         1, "piece ~1.6\u00a0kg", "x", None, "x"],
        [3, "Chloé Bernard", None, first, "Ferme du Cérou", "Tomates", "Fresh vegetables",
         1.5, "kg", None, None, None],
        [1, "Anna Martin", "06 11 22 33 44", second, "Boulangerie Aubrac", "Fougasse",
         "Bread", 2, "piece", None, None, None],
        [1, "Anna Martin", "06 11 22 33 44", second, "Ferme du Cérou", "Pain de campagne",
         "Bread", 1, "piece", None, None, None],
    ]  # fmt: skip


def test_labels_page_has_the_qr_code_of_each_order(shop, volunteer_client):
    response = volunteer_client.get(_url(shop, "labels"))

    body = response.content.decode()
    assert re.findall(r'id="label-(\d+)"', body) == ["2", "3", "1"]
    assert body.count('<svg viewBox="0 0 ') == 3
    for order in sheets.preparation_orders(pickup=shop.pickup, with_lines=False):
        assert str(sheets.order_qr_svg(order)) in body
    label_of_1 = body[body.index('id="label-1"') :]
    assert "Anna Martin" in label_of_1 and shop.pickup.pickup_point.name in label_of_1
    # The same name as the check-in page the label's QR code opens (first name, family name).
    checkin = volunteer_client.get(
        reverse("distribution:checkin_order", args=[shop.organisation.slug, shop.orders[1].code])
    ).content.decode()
    assert f"n° {shop.orders[1].number} — Anna Martin</h1>" in checkin
    assert _slot_text(shop.slots[1]) in label_of_1


def test_attendance_page_by_slot_then_name(shop, volunteer_client):
    response = volunteer_client.get(_url(shop, "attendance"))

    body = response.content.decode()
    assert re.findall(r'<tr class="attendance-row">\s*<td class="num">(\d+)</td>', body) == [
        "3", "2", "1",
    ]  # fmt: skip
    assert 'class="attendance size-normal"' in body
    assert "06 55 66 77 88" in body and "Alice Durand" in body
    assert "€45.94" in body  # 29.24 + 6.50 + 10.20, the total due


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("large", "size-large"), ("x-large", "size-x-large"), ("huge", "size-normal")],
)
def test_attendance_font_size(shop, volunteer_client, asked, shown):
    body = volunteer_client.get(_url(shop, "attendance", size=asked)).content.decode()
    assert f'class="attendance {shown}"' in body


def test_attendance_xlsx(shop, volunteer_client):
    rows = _xlsx_rows(volunteer_client.get(_url(shop, "attendance_xlsx")))

    first, second = _slot_text(shop.slots[0]), _slot_text(shop.slots[1])
    assert rows == [
        ["Slot", "N°", "Name", "Second person", "Phone", "Items", "Amount due", "Paid",
         "Signature"],
        [first, 3, "Chloé Bernard", None, None, 2, 29.24, None, None],
        [first, 2, "Bob Durand", "Alice Durand", "06 55 66 77 88", 1, 6.5, None, None],
        [second, 1, "Anna Martin", None, "06 11 22 33 44", 2, 10.2, None, None],
    ]  # fmt: skip


def test_sheets_of_another_organisations_pickup_are_not_found(shop, volunteer_client):
    other = open_shop()
    url = reverse("distribution:preparation", kwargs={"slug": shop.organisation.slug,
                                                      "pickup_id": other.pickup.pk})  # fmt: skip
    assert volunteer_client.get(url).status_code == 404


# Query counts -------------------------------------------------------------------------------

# And the drive's picking page (check-in), which lists the same orders with their lines.
PAGES = ("preparation", "preparation_xlsx", "labels", "attendance", "attendance_xlsx", "picking")


def _pickup_with_orders(organisation, count):
    shop = open_shop(organisation=organisation, slot_capacity=10, cheese_stock=Decimal(50))
    for n in range(count):
        _place(shop, shop.member(last_name=f"Nom {n:02d}"), [("bread", 1), ("cheese", 1)],
               slot=shop.slots[n % len(shop.slots)])  # fmt: skip
    return shop


def test_query_counts_do_not_grow_with_the_orders(client):
    small = _pickup_with_orders(None, 3)
    large = _pickup_with_orders(small.organisation, 30)
    client.force_login(_volunteer(small))
    client.get(_url(small, "preparation"))  # the session and the language settle

    counts = {}
    for name in PAGES:
        for shop in (small, large):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(_url(shop, name))
            assert response.status_code == 200
            counts[(name, shop is large)] = len(queries)
            if name == "picking":  # every order placed, so every one to pick
                assert response.content.decode().count('value="picking"') == (
                    30 if shop is large else 3
                )

    for name in PAGES:
        assert counts[(name, False)] == counts[(name, True)], (name, counts)
    # Measured on SQLite: 11 (preparation), 9 (its XLSX, labels, picking), 7 (attendance), 6
    # (attendance XLSX). Of these, the sheet itself is the pickup, the
    # orders, their members, their slots and (preparation lists) the lines, plus the slots for
    # the slot choice; the rest is the session (read, then
    # saved in a savepoint: 3 statements), the user, the organisation, the membership and, in
    # an HTML page, the menu's memberships.
    assert max(counts.values()) <= 12, counts


def test_the_picking_page_shows_its_orders_a_page_at_a_time(client, monkeypatch):
    monkeypatch.setattr(selectors, "PICKING_PER_PAGE", 2)
    shop = _pickup_with_orders(None, 3)
    client.force_login(_volunteer(shop))

    pages = [
        client.get(_url(shop, "picking", page=page))
        for page in ("1", "2", "abc", "99", "-1", "0", "999999")
    ]

    numbers = [[entry["order"].number for entry in page.context["entries"]] for page in pages]
    assert len(numbers[0]) == 2 and len(numbers[1]) == 1
    assert sorted(numbers[0] + numbers[1]) == sorted(o.number for o in shop.sale.orders.all())
    assert numbers[2] == numbers[0] and numbers[3] == numbers[1]  # junk: the nearest page
    # Below the first page is the first (Django's get_page showed the last), above the last.
    assert numbers[4] == numbers[5] == numbers[0] and numbers[6] == numbers[1]
    assert "page 1 of 2" in pages[0].content.decode()


def test_attendance_sheet_reads_emargement_in_french(shop, client):
    volunteer = shop.member(language="fr")
    Membership.objects.filter(user=volunteer).update(is_volunteer=True)
    client.force_login(volunteer)
    page = client.get(_url(shop, "attendance")).content.decode()
    response = client.get(_url(shop, "attendance_xlsx"))

    assert "<title>Feuille d’émargement · " in page
    assert response["Content-Disposition"].startswith('attachment; filename="emargement-')
    with translation.override("fr"):  # the word itself keeps its accent (the file name drops it)
        assert pgettext("sheet", "attendance") == "émargement"
    # The sheet is named for a person, with its accents (cut at a word within 31 characters).
    point = shop.pickup.pickup_point.name
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == tables.sheet_title(f"Émargement {point}")
    assert sheet.title.startswith("Émargement ")
    preparation = client.get(_url(shop, "preparation_xlsx"))
    sheet = load_workbook(io.BytesIO(preparation.content)).active
    assert sheet.title == tables.sheet_title(f"Préparation {point}")
