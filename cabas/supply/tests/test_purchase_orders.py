"""Purchase orders: created from quantities (copied lines, next number), totals as an invoice
computes them, drafts only edited, sent once (one outbox e-mail carrying the PDF or XLSX),
cancelled."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation
from openpyxl import load_workbook

from cabas.accounts.tests.factories import UserFactory
from cabas.notifications.models import OutboxMessage
from cabas.notifications.services import outbox_message_send
from cabas.supply import errors, order_selectors, services
from cabas.supply.models import PurchaseOrder, PurchaseOrderLine, SupplySettings
from cabas.supply.tests.factories import (
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    ShopProductFactory,
    SupplierFactory,
    SupplierItemFactory,
)

D = Decimal
NOW = datetime(2026, 11, 28, 9, 30, tzinfo=__import__("zoneinfo").ZoneInfo("Europe/Paris"))


@pytest.fixture
def catalogue(db):
    """A wholesaler selling flour (5,5 %) by 6 at 0,6958 € and wine (20 %) at 4,1250 €."""
    supplier = SupplierFactory(
        name="Grossiste Bio",
        order_email="commandes@bio.example.org",
        minimum_order_amount=D("100.00"),
        franco_amount=D("250.00"),
    )
    organisation = supplier.organisation
    flour = SupplierItemFactory(
        supplier=supplier,
        reference="FAR-T65",
        purchase_price=D("0.6958"),
        package_size=D("6"),
        product=ShopProductFactory(
            organisation=organisation, name="Farine T65", vat_rate=D("5.50")
        ),
    ).product
    wine = SupplierItemFactory(
        supplier=supplier,
        reference="VIN-R",
        purchase_price=D("4.1250"),
        product=ShopProductFactory(
            organisation=organisation, name="Vin rouge", vat_rate=D("20.00")
        ),
    ).product
    return supplier, flour, wine


def _snapshot(order):
    order.refresh_from_db()
    lines = list(order.lines.values_list("product_id", "quantity", "unit_price").order_by("pk"))
    return (order.status, order.note, order.expected_on, order.sent_at, lines)


def test_created_from_quantities_copies_the_lines_and_numbers_per_organisation(catalogue):
    supplier, flour, wine = catalogue
    user = UserFactory()
    first = services.purchase_order_create(supplier=supplier, created_by=user)
    order = services.purchase_order_create(
        supplier=supplier, created_by=user, quantities={flour.pk: D("12"), wine.pk: D("0")}
    )
    other = services.purchase_order_create(supplier=SupplierFactory())

    assert (first.number, order.number, other.number) == (1, 2, 1)
    assert order.reference == "BC-0002" and order.status == "draft"
    line = order.lines.get()
    assert (line.product_name, line.reference, line.quantity, line.package_size) == (
        "Farine T65",
        "FAR-T65",
        D("12"),
        D("6"),
    )
    assert (line.unit_price, line.vat_rate) == (D("0.6958"), D("5.50"))


def test_totals_with_two_vat_rates_round_each_line_once(catalogue):
    supplier, flour, wine = catalogue
    order = services.purchase_order_create(
        supplier=supplier, quantities={flour.pk: D("18"), wine.pk: D("7")}
    )
    # Flour: 18 × 0,6958 = 12,5244 → 12,52; VAT 5,5 % of 12,52 = 0,6886 → 0,69.
    # Wine: 7 × 4,1250 = 28,875 → 28,88 (half up); VAT 20 % = 5,776 → 5,78.
    detail = order_selectors.purchase_order_detail(organisation=order.organisation, pk=order.pk)
    totals = detail.totals
    assert totals.excl_vat == D("41.40")
    assert [(r.rate, r.base, r.vat) for r in totals.by_rate] == [
        (D("5.50"), D("12.52"), D("0.69")),
        (D("20.00"), D("28.88"), D("5.78")),
    ]
    assert (totals.vat, totals.incl_vat) == (D("6.47"), D("47.87"))
    with translation.override("en"):
        warnings = order_selectors.order_warnings(supplier, totals)
    assert warnings == [
        "Below Grossiste Bio's minimum order of €100.00 excl. VAT.",
        "Below free delivery (franco) at €250.00 excl. VAT: €208.60 more to order.",
    ]


def test_a_quantity_must_be_a_multiple_of_the_package_and_nothing_changes(catalogue):
    supplier, flour, _wine = catalogue
    order = services.purchase_order_create(supplier=supplier, quantities={flour.pk: D("6")})
    before = _snapshot(order)
    with pytest.raises(errors.QuantityNotPackageMultiple) as refused:
        services.purchase_order_line_set(purchase_order=order, product=flour, quantity=D("7"))
    assert "multiple" in str(refused.value) and "12" in str(refused.value)
    with pytest.raises(errors.QuantityNegative):
        services.purchase_order_line_set(purchase_order=order, product=flour, quantity=D("-6"))
    with pytest.raises(errors.NotSoldBySupplier):
        services.purchase_order_line_set(
            purchase_order=order,
            product=ShopProductFactory(organisation=order.organisation),
            quantity=D("1"),
        )
    assert _snapshot(order) == before
    # All or none: the second product's bad quantity leaves the first unchanged too.
    with pytest.raises(errors.QuantityNotPackageMultiple):
        services.purchase_order_lines_set(
            purchase_order=order, quantities={_wine.pk: D("1"), flour.pk: D("5")}
        )
    assert _snapshot(order) == before


def test_a_draft_line_is_set_changed_and_removed(catalogue):
    supplier, flour, wine = catalogue
    order = services.purchase_order_create(supplier=supplier)
    services.purchase_order_line_set(purchase_order=order, product=wine, quantity=D("3"))
    line = services.purchase_order_line_set(purchase_order=order, product=wine, quantity=D("5"))
    assert list(order.lines.values_list("quantity", flat=True)) == [D("5")]
    services.purchase_order_line_remove(purchase_order=order, line_id=line.pk)
    assert not order.lines.exists()
    services.purchase_order_line_set(purchase_order=order, product=flour, quantity=D("6"))
    services.purchase_order_line_set(purchase_order=order, product=flour, quantity=D("0"))
    assert not order.lines.exists()


def test_a_sent_order_is_not_edited_and_nothing_changes(catalogue):
    supplier, flour, wine = catalogue
    order = services.purchase_order_create(supplier=supplier, quantities={flour.pk: D("6")})
    services.purchase_order_send(purchase_order=order, sent_by=None, now=NOW)
    before = _snapshot(order)
    line = order.lines.get()
    attempts = [
        lambda: services.purchase_order_line_set(
            purchase_order=order, product=flour, quantity=D("12")
        ),
        lambda: services.purchase_order_line_set(
            purchase_order=order, product=wine, quantity=D("1")
        ),
        lambda: services.purchase_order_line_remove(purchase_order=order, line_id=line.pk),
        lambda: services.purchase_order_update(purchase_order=order, expected_on=None, note="x"),
        lambda: services.purchase_order_send(purchase_order=order, sent_by=None),
    ]
    for attempt in attempts:
        with pytest.raises(errors.PurchaseOrderNotDraft):
            attempt()
    assert _snapshot(order) == before


def test_sent_twice_records_one_email_with_the_pdf(catalogue):
    supplier, flour, wine = catalogue
    SupplySettings.objects.create(
        organisation=supplier.organisation,
        delivery_address="12 rue des Lilas, 81000 Albi",
        delivery_hours="Mar–Ven 8h–11h",
    )
    user = UserFactory()
    order = services.purchase_order_create(
        supplier=supplier, quantities={flour.pk: D("6"), wine.pk: D("2")}, note="Sonnez fort"
    )
    services.purchase_order_update(
        purchase_order=order, expected_on=date(2026, 12, 2), note="Sonnez"
    )
    sent = services.purchase_order_send(purchase_order=order, sent_by=user, now=NOW)
    with pytest.raises(errors.PurchaseOrderNotDraft):
        services.purchase_order_send(purchase_order=order, sent_by=user)

    assert (sent.status, sent.sent_at, sent.sent_by, sent.sent_to) == (
        "sent",
        NOW,
        user,
        "commandes@bio.example.org",
    )
    message = OutboxMessage.objects.get()
    assert (message.key, message.to) == (f"purchase-order:{order.pk}:sent", supplier.order_email)

    assert outbox_message_send(outbox_id=message.pk) is True
    assert outbox_message_send(outbox_id=message.pk) is False
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["commandes@bio.example.org"]
    # In the organisation's language (French), with the shop's delivery details.
    assert email.subject == f"Commande BC-0001 — {supplier.organisation.name}"
    assert "Veuillez trouver ci-joint notre bon de commande BC-0001" in email.body
    assert "Livraison prévue : mercredi 2 décembre 2026" in email.body
    assert "Horaires de livraison : Mar–Ven 8h–11h" in email.body
    assert "12 rue des Lilas" in email.body and "Sonnez" in email.body
    ((name, content, mimetype),) = email.attachments
    assert (name, mimetype) == ("commande-fournisseur-BC-0001.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


def test_the_xlsx_attachment_is_a_workbook_of_the_lines(catalogue):
    supplier, flour, wine = catalogue
    order = services.purchase_order_create(
        supplier=supplier, quantities={flour.pk: D("18"), wine.pk: D("7")}
    )
    PurchaseOrder.objects.filter(pk=order.pk).update(expected_on=date(2026, 12, 2))
    order.refresh_from_db()
    services.purchase_order_send(purchase_order=order, sent_by=None, file_format="xlsx", now=NOW)
    outbox_message_send(outbox_id=OutboxMessage.objects.get().pk)
    ((name, content, _mimetype),) = mail.outbox[0].attachments
    assert name == "commande-fournisseur-BC-0001.xlsx"
    sheet = load_workbook(io.BytesIO(content)).active
    # Named as a person reads it, in French (was openpyxl's "Sheet").
    assert sheet.title == "Commande fournisseur BC-0001"
    rows = [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ("Commande fournisseur", "BC-0001")
    # The expected delivery is a date cell, not a date written in words.
    expected = next(row for row in rows if row and row[0] == "Livraison prévue")
    assert expected[1].date() == date(2026, 12, 2)
    assert "Quantité" in next(row for row in rows if row and row[0] == "Référence")
    products = {row[1]: row for row in rows if row and row[0] in ("FAR-T65", "VIN-R")}
    assert products["Farine T65"][4] == 18 and products["Farine T65"][7] == pytest.approx(12.52)
    assert products["Vin rouge"][7] == pytest.approx(28.88)
    assert rows[-1][-1] == pytest.approx(47.87)


def test_no_order_email_refuses_sending_but_marking_as_sent_works(catalogue):
    supplier, flour, _wine = catalogue
    supplier.order_email = ""
    supplier.save()
    order = services.purchase_order_create(supplier=supplier, quantities={flour.pk: D("6")})
    before = _snapshot(order)
    with pytest.raises(errors.SupplierHasNoEmail):
        services.purchase_order_send(purchase_order=order, sent_by=None)
    assert _snapshot(order) == before and not OutboxMessage.objects.exists()

    services.purchase_order_send(purchase_order=order, sent_by=None, by_email=False, now=NOW)
    order.refresh_from_db()
    assert (order.status, order.sent_to, order.sent_at) == ("sent", "", NOW)
    assert not OutboxMessage.objects.exists()


def test_an_empty_order_is_not_sent(catalogue):
    supplier, _flour, _wine = catalogue
    order = services.purchase_order_create(supplier=supplier)
    with pytest.raises(errors.PurchaseOrderEmpty):
        services.purchase_order_send(purchase_order=order, sent_by=None)
    order.refresh_from_db()
    assert order.status == "draft"


@pytest.mark.parametrize(
    ("status", "received", "cancelled"),
    [
        ("draft", "0", True),
        ("sent", "0", True),
        ("sent", "2", False),
        ("partly_received", "2", False),
        ("received", "6", False),
        ("cancelled", "0", False),
    ],
)
def test_cancel_a_draft_or_a_sent_order_nothing_received(db, status, received, cancelled):
    order = PurchaseOrderFactory(status=status)
    PurchaseOrderLineFactory(purchase_order=order, received_quantity=D(received))
    if cancelled:
        services.purchase_order_cancel(purchase_order=order)
        order.refresh_from_db()
        assert order.status == "cancelled"
    else:
        with pytest.raises(errors.PurchaseOrderNotCancellable):
            services.purchase_order_cancel(purchase_order=order)
        order.refresh_from_db()
        assert order.status == status


def test_list_of_orders_has_totals_in_two_queries(django_assert_num_queries, catalogue):
    supplier, flour, wine = catalogue
    for _ in range(3):
        services.purchase_order_create(
            supplier=supplier, quantities={flour.pk: D("6"), wine.pk: D("1")}
        )
    with django_assert_num_queries(2):
        orders = order_selectors.purchase_orders_list(organisation=supplier.organisation)
        assert [o.totals.excl_vat for o in orders] == [D("8.30")] * 3
    assert PurchaseOrder.objects.count() == 3 and PurchaseOrderLine.objects.count() == 6
