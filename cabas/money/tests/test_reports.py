"""Money reports and receipts: a pickup's cash report, a sale's accounting by producer and VAT
rate, producer payouts with the commission, members' balances, receipts (HTML and PDF) —
exact numbers, who may see them, and query counts that do not grow with the data."""

import io
from datetime import timedelta
from decimal import Decimal

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.distribution import services as distribution
from cabas.money import reports, services
from cabas.money.models import AccountEntry
from cabas.orders import missing
from cabas.orders import services as order_services
from cabas.orders.models import OrderLine
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales import services as sales_services

pytestmark = pytest.mark.django_db
D = Decimal

# The orders of the day, at the pickup without slots: (member, lines).
ORDERS = {
    "a": (("Alice", "Aubert"), [("bread", 2)]),  # 8.40
    "b": (("Bruno", "Bernard"), [("cheese", 2), ("soap", 1)]),  # 13.00 + 5.00 (20 %)
    "c": (("Chloé", "Caron"), [("tomatoes", "1.5"), ("bread", 1), ("soap", 1)]),  # 15.20
    "d": (("David", "Durand"), [("soap", 1)]),  # 5.00
    "e": (("Emma", "Estève"), [("cheese", 1), ("bread", 1)]),  # 10.70, not paid
    "f": (("Félix", "Faure"), [("bread", 1)]),  # 4.20: 1.00 of credit, 2.00 in cash
    "g": (("Gaël", "Garnier"), [("honey", 1)]),  # 123.45 (the second producer)
}


def _place(shop, user, lines):
    return order_services.order_place(
        user=user, sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
        lines=[(shop.products[name].pk, D(quantity)) for name, quantity in lines],
    )  # fmt: skip


def _pay(shop, order, amount, method, reference="", by=None):
    return services.payment_record(
        organisation=shop.organisation, user=order.user, amount=D(amount), method=method,
        by=by or shop.volunteer, order=order, reference=reference,
    )  # fmt: skip


@pytest.fixture
def day():
    """A distributed pickup: seven orders, paid in cash (change given back: only the amount
    kept is recorded), by cheque, card and transfer, one not paid, one partly paid with
    credit; a membership fee paid in cash at the pickup. Float 50 €, commission 8 %."""
    organisation = OrganisationFactory(name="Le Cabas du Ségala")
    honey_farm = ProducerFactory(name="Miellerie des Causses")
    ProducerLinkFactory(organisation=organisation, producer=honey_farm)
    honey = ProductFactory(
        organisation=organisation, producer=honey_farm, name="Miel de châtaignier",
        price=D("123.45"), vat_rate=D("5.50"),
    )  # fmt: skip
    shop = open_shop(organisation=organisation)
    shop.products["honey"] = honey
    services.money_settings_update(
        organisation=organisation, cash_float=D("50.00"), commission_percent=D("8"),
        membership_fee=D("10.00"),
    )  # fmt: skip
    shop.volunteer = shop.member(first_name="Julien", last_name="Vidal")
    Membership.objects.filter(user=shop.volunteer).update(is_volunteer=True)
    shop.coordinator = shop.member(first_name="Coline", last_name="Zérah")
    Membership.objects.filter(user=shop.coordinator).update(is_coordinator=True)
    # Félix has 1.00 € of credit from an earlier transfer (not at this pickup).
    shop.orders = {}
    for key, ((first_name, last_name), lines) in ORDERS.items():
        user = shop.member(first_name=first_name, last_name=last_name)
        if key == "f":
            services.payment_record(organisation=organisation, user=user, amount=D("1.00"),
                                    method="transfer", by=shop.coordinator)  # fmt: skip
        shop.orders[key] = _place(shop, user, lines)
    sales_services.sale_close_now(sale=shop.sale)
    orders = shop.orders
    _pay(shop, orders["a"], "8.40", "cash")  # handed 10.00, 1.60 given back
    _pay(shop, orders["b"], "18.00", "cheque", reference="Chèque 1234567")
    _pay(shop, orders["c"], "15.20", "card")
    _pay(shop, orders["d"], "5.00", "transfer", reference="CABAS-D")
    _pay(shop, orders["f"], "2.00", "cash")
    _pay(shop, orders["g"], "123.45", "card")
    # Alice pays this year's membership fee in cash at the pickup.
    membership = Membership.objects.get(organisation=organisation, user=orders["a"].user)
    period = services.membership_renew(membership=membership, by=shop.volunteer, method="cash")
    # membership_fee_pay does not take the pickup nor link its payment to the year yet: the
    # report reads payments with ``pickup`` and ``membership_period`` set (asked of the lead).
    AccountEntry.objects.filter(
        user=orders["a"].user, kind="payment", order__isnull=True, amount=D("10.00")
    ).update(pickup=shop.open_pickup, membership_period=period)
    # David's year is open but not paid.
    services.membership_renew(
        membership=Membership.objects.get(organisation=organisation, user=orders["d"].user),
        by=shop.coordinator,
    )
    for order in orders.values():
        order_services.order_set_status(order=order, status="collected", by=shop.volunteer)
    distribution.pickup_close(pickup=shop.open_pickup, by=shop.volunteer)
    for order in orders.values():
        order.refresh_from_db()
    return shop


# --- Cash report -----------------------------------------------------------------------------


def test_the_cash_report_adds_up_the_pickup_by_method(day):
    report = reports.cash_report(pickup=day.open_pickup)

    assert report.cash_float == D("50.00")
    assert {total.method: (total.count, total.amount) for total in report.methods} == {
        "cash": (3, D("20.40")),  # 8.40 + 2.00 + the 10.00 fee
        "cheque": (1, D("18.00")),
        "card": (2, D("138.65")),
        "transfer": (1, D("5.00")),
        "unresolved": (0, D("0")),
    }
    assert (report.cash, report.cheques, report.card, report.transfers) == (
        D("20.40"), D("18.00"), D("138.65"), D("5.00"),
    )  # fmt: skip
    assert report.payments_total == D("182.05")  # Félix's earlier transfer is not counted
    assert report.expected_cash == D("70.40")
    assert (report.memberships_count, report.memberships_amount) == (1, D("10.00"))


def test_the_cash_report_lists_unpaid_orders_and_the_credit_they_used(day):
    report = reports.cash_report(pickup=day.open_pickup)

    rows = [
        (o.number, o.customer_name, o.total, o.paid, o.credit_used, o.still_owed)
        for o in report.unpaid
    ]
    assert rows == [
        (day.orders["e"].number, "Emma Estève", D("10.70"), D("0"), D("0"), D("10.70")),
        (day.orders["f"].number, "Félix Faure", D("4.20"), D("2.00"), D("1.00"), D("1.20")),
    ]
    assert (report.unpaid_total, report.credits_used, report.still_owed) == (
        D("12.90"), D("1.00"), D("11.90"),
    )  # fmt: skip


def test_the_cash_report_page_shows_the_expected_cash(client, day):
    client.force_login(day.volunteer)
    url = reverse("money:cash_report", args=[day.organisation.slug, day.open_pickup.pk])

    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert "70,40\u00a0€" in page[page.index('id="expected-cash"') :][:80]
    assert "Emma Estève" in page and "Félix Faure" in page and "Alice Aubert" not in page
    assert "138,65\u00a0€" in page and "11,90\u00a0€" in page


def test_a_pickup_of_another_organisation_is_not_found(client, day):
    other = open_shop()
    client.force_login(day.volunteer)
    url = reverse("money:cash_report", args=[day.organisation.slug, other.open_pickup.pk])
    assert client.get(url).status_code == 404


# --- A sale's accounting and payouts ---------------------------------------------------------


def test_the_accounting_is_per_producer_and_vat_rate_with_vat_computed_per_rate(day):
    accounting = reports.sale_accounting(sale=day.sale)

    rows = [(r.producer_name, r.vat_rate, r.amount_excl_vat, r.vat, r.amount_incl_vat)
            for r in accounting.rows]  # fmt: skip
    assert rows == [
        # 21.00 bread + 19.50 cheese + 6.00 tomatoes = 46.50 / 1.055 = 44.0758 → 44.08
        ("Ferme du Cérou", D("5.50"), D("44.08"), D("2.42"), D("46.50")),
        # three soaps of 5.00: 15.00 / 1.2 = 12.50 (line by line it would be 3 × 4.17 = 12.51)
        ("Ferme du Cérou", D("20.00"), D("12.50"), D("2.50"), D("15.00")),
        # 123.45 / 1.055 = 117.0142 → 117.01
        ("Miellerie des Causses", D("5.50"), D("117.01"), D("6.44"), D("123.45")),
    ]
    totals = [(t.vat_rate, t.amount_excl_vat, t.vat, t.amount_incl_vat)
              for t in accounting.vat_totals]  # fmt: skip
    assert totals == [
        (D("5.50"), D("161.09"), D("8.86"), D("169.95")),  # 169.95 / 1.055 = 161.0900
        (D("20.00"), D("12.50"), D("2.50"), D("15.00")),
    ]
    assert (accounting.amount_excl_vat, accounting.vat, accounting.amount_incl_vat) == (
        D("173.59"), D("11.36"), D("184.95"),
    )  # fmt: skip


def test_the_producers_are_owed_their_sales_less_the_commission(day):
    payouts = reports.producer_payouts(sale=day.sale)

    assert payouts.commission_percent == D("8.00")
    assert [(p.producer_name, p.sales_incl_vat, p.commission, p.owed) for p in payouts.rows] == [
        ("Ferme du Cérou", D("61.50"), D("4.92"), D("56.58")),
        ("Miellerie des Causses", D("123.45"), D("9.88"), D("113.57")),  # 9.876 → 9.88
    ]
    assert (payouts.sales_incl_vat, payouts.commission, payouts.owed) == (
        D("184.95"), D("14.80"), D("170.15"),
    )  # fmt: skip


def test_without_a_commission_the_producers_are_owed_all_their_sales(day):
    services.money_settings_update(organisation=day.organisation, commission_percent=D("0"))

    payouts = reports.producer_payouts(sale=day.sale)

    assert [(p.commission, p.owed) for p in payouts.rows] == [
        (D("0.00"), D("61.50")),
        (D("0.00"), D("123.45")),
    ]


def test_the_accounting_export_in_csv_has_decimal_commas(client, day):
    client.force_login(day.coordinator)
    url = reverse("money:sale_accounting", args=[day.organisation.slug, day.sale.pk, "csv"])

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="comptabilite-')
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 3 + 2
    assert lines[1:4] == [
        "Ferme du Cérou;5,5;44,08;2,42;46,50",
        "Ferme du Cérou;20;12,50;2,50;15,00",
        "Miellerie des Causses;5,5;117,01;6,44;123,45",
    ]
    assert lines[4].endswith(";5,5;161,09;8,86;169,95")
    assert lines[5].endswith(";20;12,50;2,50;15,00")


def test_the_accounting_export_in_xlsx_has_numbers(client, day):
    from openpyxl import load_workbook

    client.force_login(day.coordinator)
    url = reverse("money:sale_accounting", args=[day.organisation.slug, day.sale.pk, "xlsx"])

    response = client.get(url)

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title.startswith("Comptabilité ")  # not the file's slug
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3] == ("Miellerie des Causses", 5.5, 117.01, 6.44, 123.45)
    # Every column's heading starts with a capital, the VAT rate's too (not the field's name).
    [header] = [row for row in rows if "Taux de TVA (%)" in row]
    assert all(cell[0].isupper() for cell in header if cell)


def test_an_unknown_export_format_is_not_found(client, day):
    client.force_login(day.coordinator)
    url = reverse("money:sale_accounting", args=[day.organisation.slug, day.sale.pk, "pdf"])
    assert client.get(url).status_code == 404


def test_the_sale_money_page_shows_accounting_and_payouts(client, day):
    client.force_login(day.coordinator)

    page = client.get(reverse("money:sale_money", args=[day.organisation.slug, day.sale.pk]))

    body = page.content.decode()
    assert page.status_code == 200
    for figure in (
        "44,08\u00a0€",
        "117,01\u00a0€",
        "173,59\u00a0€",
        "9,88\u00a0€",
        "113,57\u00a0€",
        "170,15\u00a0€",
    ):
        assert figure in body


# --- Members' balances -----------------------------------------------------------------------


def _names(memberships):
    return [m.user.last_name for m in memberships]


def test_balances_of_every_member_with_the_membership_status(day):
    memberships = list(reports.member_balances(organisation=day.organisation))

    by_name = {m.user.last_name: (m.balance, m.money_status) for m in memberships}
    assert by_name["Aubert"] == (D("0.00"), "active")  # order and fee paid
    assert by_name["Durand"] == (D("-10.00"), "pending_payment")  # this year's fee due
    assert by_name["Estève"] == (D("-10.70"), "expired")
    assert by_name["Faure"] == (D("-1.20"), "expired")  # 1.00 + 2.00 − 4.20
    assert _names(memberships)[:3] == ["Aubert", "Bernard", "Caron"]


def test_balances_filtered_to_those_who_owe_money(day):
    memberships = reports.member_balances(organisation=day.organisation, negative_only=True)
    assert _names(memberships) == ["Durand", "Estève", "Faure"]


def test_balances_filtered_to_memberships_expired_or_not_paid(day):
    expired = reports.member_balances(organisation=day.organisation, expired_only=True)
    assert "Aubert" not in _names(expired)
    assert {"Durand", "Estève", "Faure", "Vidal"} <= set(_names(expired))

    both = reports.member_balances(
        organisation=day.organisation, negative_only=True, expired_only=True
    )
    assert _names(both) == ["Durand", "Estève", "Faure"]


def test_without_a_fee_no_membership_expires(day):
    services.money_settings_update(organisation=day.organisation, membership_fee=D("0"))

    assert list(reports.member_balances(organisation=day.organisation, expired_only=True)) == []
    statuses = {m.money_status for m in reports.member_balances(organisation=day.organisation)}
    assert statuses == {"active"}


def test_the_balances_page_filters_with_the_query_string(client, day):
    client.force_login(day.coordinator)
    url = reverse("money:balances", args=[day.organisation.slug])

    everyone = client.get(url).content.decode()
    owing = client.get(url, {"negative": "1"}).content.decode()

    assert "Alice Aubert" in everyone and "Alice Aubert" not in owing
    assert "Emma Estève" in owing and "\u221210,70\u00a0€" in owing


def test_the_balances_page_goes_by_pages_with_the_totals_of_everyone(client, day):
    """A hundred members a page, in the same queries whatever their number; the totals owed
    and in credit are everyone's, not the page's."""
    from cabas.money import views_reports

    client.force_login(day.coordinator)
    url = reverse("money:balances", args=[day.organisation.slug])
    client.get(url)  # the first page of a visit writes the organisation into the session
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    assert first.context["owed_total"] < 0  # Emma owes 10.70
    for _ in range(views_reports.BALANCES_PER_PAGE + 5):
        MembershipFactory(organisation=day.organisation)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert len(response.context["memberships"]) == views_reports.BALANCES_PER_PAGE
    assert response.context["owed_total"] == first.context["owed_total"]
    assert response.context["credit_total"] == first.context["credit_total"]
    assert "\u221210,70\u00a0€" in response.content.decode() or "10,70" in response.content.decode()
    assert "page=2" in response.content.decode()
    assert client.get(url, {"page": "2"}).status_code == 200


# --- Receipts --------------------------------------------------------------------------------


def test_an_order_receipt_has_vat_per_rate_by_producer_and_payments(day):
    receipt = reports.order_receipt(order=day.orders["c"])

    [producer] = receipt.producers
    assert producer.producer_name == "Ferme du Cérou"
    assert [
        (line.product_name, line.quantity, line.amount_incl_vat) for line in producer.lines
    ] == [
        ("Pain de campagne", D("1"), D("4.20")),
        ("Savon", D("1"), D("5.00")),
        ("Tomates", D("1.5"), D("6.00")),
    ]
    assert [
        (t.vat_rate, t.amount_excl_vat, t.vat, t.amount_incl_vat) for t in receipt.vat_totals
    ] == [  # fmt: skip
        (D("5.50"), D("9.67"), D("0.53"), D("10.20")),  # 10.20 / 1.055 = 9.668
        (D("20.00"), D("4.17"), D("0.83"), D("5.00")),
    ]
    assert (receipt.amount_excl_vat, receipt.vat, receipt.amount_incl_vat) == (
        D("13.84"), D("1.36"), D("15.20"),
    )  # fmt: skip
    assert [(p.method, p.amount) for p in receipt.payments] == [("card", D("15.20"))]
    assert (receipt.paid, receipt.balance, receipt.estimated) == (D("15.20"), D("0.00"), False)


def test_the_order_receipt_page_for_its_member(client, day):
    order = day.orders["f"]
    client.force_login(order.user)

    response = client.get(reverse("money:order_receipt", args=[day.organisation.slug, order.code]))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"n° {order.number}" in page
    assert "Le Cabas du Ségala" in page and "Félix Faure" in page
    assert (
        "3,98\u00a0€" in page and "4,20\u00a0€" in page and "2,00\u00a0€" in page
    )  # excl. VAT, total, paid
    assert "1,20\u00a0€" in page  # what Félix still owes today
    assert "<h2>Commande</h2>" in page and "Commander" not in page
    # On a phone each table scrolls inside the page, never the page sideways.
    assert page.count("<table") == page.count('<div class="table-wrap"><table') > 0


def test_the_order_receipt_as_pdf(client, day):
    order = day.orders["c"]
    client.force_login(order.user)

    url = reverse("money:order_receipt_pdf", args=[day.organisation.slug, order.code])
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # Named in the organisation's language (French), never "receipt-…".
    assert response["Content-Disposition"].startswith('inline; filename="recu-')


def test_another_members_receipt_is_not_found_but_a_coordinator_sees_it(client, day):
    order = day.orders["c"]
    urls = [
        reverse(name, args=[day.organisation.slug, order.code])
        for name in ("money:order_receipt", "money:order_receipt_pdf")
    ]
    client.force_login(day.orders["a"].user)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(day.volunteer)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(day.coordinator)
    assert [client.get(url).status_code for url in urls] == [200, 200]


def test_the_period_receipt_has_the_members_billed_orders_and_payments(day):
    user = day.orders["b"].user
    today = timezone.localdate()

    receipt = reports.period_receipt(
        organisation=day.organisation, user=user, start=today, end=today + timedelta(days=7)
    )

    assert [order.number for order in receipt.orders] == [day.orders["b"].number]
    assert [(t.vat_rate, t.amount_excl_vat, t.amount_incl_vat) for t in receipt.vat_totals] == [
        (D("5.50"), D("12.32"), D("13.00")),  # 13.00 / 1.055 = 12.322
        (D("20.00"), D("4.17"), D("5.00")),
    ]
    assert [(p.method, p.reference, p.amount) for p in receipt.payments] == [
        ("cheque", "Chèque 1234567", D("18.00"))
    ]

    before = reports.period_receipt(
        organisation=day.organisation, user=user, start=today - timedelta(days=30),
        end=today - timedelta(days=1),
    )  # fmt: skip
    assert (before.orders, before.producers, before.payments) == ([], [], [])


def test_the_period_receipt_pages(client, day):
    user = day.orders["b"].user
    client.force_login(user)
    today = timezone.localdate()
    period = {"from": today.isoformat(), "to": (today + timedelta(days=7)).isoformat()}

    page = client.get(reverse("money:period_receipt", args=[day.organisation.slug]), period)
    pdf = client.get(reverse("money:period_receipt_pdf", args=[day.organisation.slug]), period)

    assert page.status_code == 200
    assert "Bruno Bernard" in page.content.decode() and "18,00\u00a0€" in page.content.decode()
    assert "Emma" not in page.content.decode()
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")


def test_the_period_receipt_pdf_shows_the_members_lines_totals_and_payments(client, day):
    order = day.orders["b"]
    # What people write is printed as written, never read as markup: a short name (drawn on
    # one line) and a long one (wrapped).
    hostile = '<b>&"Tomme'
    long_hostile = 'Savon <i>artisanal</i> & "surgras" au lait de chèvre ' * 2
    OrderLine.objects.filter(order=order, product_name="Tomme").update(product_name=hostile)
    OrderLine.objects.filter(order=order, product_name="Savon").update(product_name=long_hostile)
    client.force_login(order.user)
    today = timezone.localdate()
    period = {"from": today.isoformat(), "to": (today + timedelta(days=7)).isoformat()}

    url = reverse("money:period_receipt_pdf", args=[day.organisation.slug])
    text = _pdf_text(client.get(url, period))

    flat = " ".join(text.split())
    assert "Le Cabas du Ségala" in flat and "Client : Bruno Bernard" in flat
    assert f"{order.number} Vente du vendredi" in flat
    assert "Ferme du Cérou" in flat
    assert f"{hostile} 2 pièces 5,5 % 13,00 €" in flat
    assert f"{' '.join(long_hostile.split())} 1 pièce 20 % 5,00 €" in flat
    assert "Total HT 16,49 € Total TTC 18,00 €" in flat
    assert "5,5 % 12,32 € 0,68 € 13,00 €" in flat  # the totals per VAT rate
    assert "20 % 4,17 € 0,83 € 5,00 €" in flat
    assert "Total 16,49 € 1,51 € 18,00 €" in flat
    assert (
        "chèque (Chèque 1234567) commande n° 2 (Vente du vendredi) 18,00 €" in flat
        and "Total payé 18,00 €" in flat
    )
    assert "Emma" not in flat


def test_the_order_receipt_pdf_shows_missing_lines_and_the_balance(client, day):
    order = day.orders["f"]  # 4.20, 1.00 of credit and 2.00 in cash: 1.20 to pay
    client.force_login(order.user)

    url = reverse("money:order_receipt_pdf", args=[day.organisation.slug, order.code])
    flat = " ".join(_pdf_text(client.get(url)).split())

    assert f"Reçu — commande n° {order.number}" in flat and "Félix Faure" in flat
    assert "Pain de campagne" in flat and "4,20 €" in flat
    assert "Votre compte aujourd’hui : 1,20 € à payer." in flat


def test_an_order_receipt_pdf_before_the_pickup_has_estimates_and_missing_lines(client):
    shop = open_shop()
    user = shop.member(first_name="Inès", last_name="Imbert")
    order = _place(shop, user, [("bread", 2), ("soap", 1)])
    line = order.lines.get(product_name="Savon")
    missing.order_line_mark_missing(line=line, by=shop.member())
    client.force_login(user)

    url = reverse("money:order_receipt_pdf", args=[shop.organisation.slug, order.code])
    flat = " ".join(_pdf_text(client.get(url)).split())

    assert "Les montants sont estimés tant que le retrait" in flat
    assert "Pain de campagne 2 pièces 5,5 % 8,40 €" in flat
    assert "Savon (manquant) 1 pièce 20 % 0,00 €" in flat
    assert "Total TTC 8,40 €" in flat and "Aucun paiement enregistré pour cette commande." in flat


@pytest.mark.parametrize(
    "period",
    [
        {"from": "2025-13-01", "to": "2025-12-31"},
        {"from": "hier", "to": "2025-12-31"},
        {"from": "2025-06-01", "to": "2025-01-01"},  # ends before it starts
    ],
)
@pytest.mark.parametrize("name", ["money:period_receipt", "money:period_receipt_pdf"])
def test_bad_dates_give_a_clear_message_not_an_error(client, day, period, name):
    client.force_login(day.orders["b"].user)

    response = client.get(reverse(name, args=[day.organisation.slug]), period)

    assert response.status_code == 400
    assert 'class="message error"' in response.content.decode()


# --- Query counts ----------------------------------------------------------------------------


def _busy_pickup(orders: int):
    """A closed pickup with ``orders`` orders, half paid in cash; memberships renewed."""
    shop = open_shop()
    services.money_settings_update(organisation=shop.organisation, membership_fee=D("10.00"),
                                   commission_percent=D("5"))  # fmt: skip
    coordinator = shop.member()
    Membership.objects.filter(user=coordinator).update(is_coordinator=True)
    placed = []
    for index in range(orders):
        user = shop.member()
        lines = [("bread", 1), ("tomatoes", 1)] if index % 2 else [("bread", 2)]
        placed.append(_place(shop, user, lines))
        if index % 3 == 0:
            membership = Membership.objects.get(organisation=shop.organisation, user=user)
            services.membership_renew(membership=membership, by=coordinator, method="cash")
    sales_services.sale_close_now(sale=shop.sale)
    for index, order in enumerate(placed):
        if index % 2:
            services.payment_record(organisation=shop.organisation, user=order.user,
                                    amount=order.total, method="cash", by=coordinator,
                                    order=order)  # fmt: skip
        order_services.order_set_status(order=order, status="collected", by=coordinator)
    distribution.pickup_close(pickup=shop.open_pickup, by=coordinator)
    MembershipFactory(organisation=shop.organisation, status="left")
    return shop, coordinator


def _queries(client, user, url, params=None) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "kwargs", "params"),
    [
        ("money:cash_report", lambda shop: {"pickup_id": shop.open_pickup.pk}, None),
        ("money:sale_money", lambda shop: {"sale_id": shop.sale.pk}, None),
        ("money:sale_accounting", lambda shop: {"sale_id": shop.sale.pk, "file_format": "csv"},
         None),
        ("money:balances", lambda shop: {}, None),
        ("money:balances", lambda shop: {}, {"negative": "1", "expired": "1"}),
    ],
)  # fmt: skip
def test_report_pages_run_the_same_queries_for_3_or_30_orders(client, name, kwargs, params):
    counts = []
    for orders in (3, 30):
        shop, coordinator = _busy_pickup(orders)
        url = reverse(name, kwargs={"slug": shop.organisation.slug, **kwargs(shop)})
        counts.append(_queries(client, coordinator, url, params))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 13, counts  # session, user, organisation, membership, menu and the report


@pytest.mark.parametrize(
    "name", ["money:order_receipt", "money:order_receipt_pdf", "money:period_receipt_pdf"]
)
def test_receipts_run_the_same_queries_for_few_or_many_lines(client, name):
    shop = open_shop(extra_products=25)
    placed = []
    for extra in (1, 25):
        user = shop.member()
        lines = [("bread", 1), *((f"extra{n}", 1) for n in range(extra))]
        order = _place(shop, user, lines)
        services.payment_record(organisation=shop.organisation, user=user, amount=D("1"),
                                method="card", by=user, order=order)  # fmt: skip
        placed.append(order)
    if name == "money:period_receipt_pdf":
        sales_services.sale_close_now(sale=shop.sale)
        for order in placed:
            order_services.order_set_status(order=order, status="collected", by=order.user)
    counts = []
    for order in placed:
        args = [shop.organisation.slug] + ([] if "period" in name else [order.code])
        # The period's default ends today: the pickup is in two days.
        period = {"to": (timezone.localdate() + timedelta(days=7)).isoformat()}
        counts.append(_queries(client, order.user, reverse(name, args=args), period))
    assert counts[0] == counts[1], counts
