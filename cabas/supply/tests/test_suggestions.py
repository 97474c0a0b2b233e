"""Suggested orders: the arithmetic on worked examples with exact figures, then the selector
on a small ledger (sales of the period in the organisation's time zone, quantities still on
order, one query whatever the number of products)."""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cabas.catalog.models import StockMovement
from cabas.orgs.context import organisation_context
from cabas.supply import suggestions
from cabas.supply.tests.factories import (
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    ShopProductFactory,
    SupplierFactory,
    SupplierItemFactory,
)

D = Decimal
Reason = StockMovement.Reason
TODAY = date(2026, 11, 28)


def test_worked_example_two_a_day_for_fourteen_days_by_cartons_of_six():
    # 56 units sold over 28 days: 2 a day; 14 days need 28; stock 5 → 23 → cartons of 6 → 24.
    per_day = suggestions.sales_per_day(D("56"), 28)
    assert per_day == Fraction(2)
    assert suggestions.cover_days(D("5"), per_day) == D("2.5")
    quantity = suggestions.suggested_quantity(
        stock=D("5"), per_day=per_day, on_order=D("0"), target_days=14, package_size=D("6")
    )
    assert quantity == D("24.000")


def test_what_is_on_order_is_deducted():
    # Same need of 28, 5 in stock and 12 on order: 11 → 12 (two cartons).
    quantity = suggestions.suggested_quantity(
        stock=D("5"), per_day=Fraction(2), on_order=D("12"), target_days=14, package_size=D("6")
    )
    assert quantity == D("12.000")


def test_an_uneven_pace_stays_exact():
    # 10 sold over 28 days = 5/14 a day; 14 days need exactly 5; stock 2 → 3 (package 1).
    per_day = suggestions.sales_per_day(D("10"), 28)
    assert per_day == Fraction(5, 14)
    assert suggestions.cover_days(D("2"), per_day) == D("5.6")
    assert suggestions.suggested_quantity(
        stock=D("2"), per_day=per_day, on_order=D("0"), target_days=14
    ) == D("3.000")


def test_no_sales_means_no_need_and_infinite_cover():
    per_day = suggestions.sales_per_day(D("0"), 28)
    assert suggestions.cover_days(D("5"), per_day) is None
    assert suggestions.suggested_quantity(
        stock=D("5"), per_day=per_day, on_order=D("0"), target_days=14, package_size=D("6")
    ) == D("0")


def test_below_the_stock_minimum_orders_at_least_up_to_it():
    # No sales, stock 1, minimum 4: 3 → package 2 → 4.
    assert suggestions.suggested_quantity(
        stock=D("1"),
        per_day=Fraction(0),
        on_order=D("0"),
        target_days=14,
        stock_minimum=D("4"),
        package_size=D("2"),
    ) == D("4.000")


def test_the_suppliers_minimum_quantity_then_the_package():
    # Needs 3 kg, the supplier takes 5 kg at least, by bags of 2.5 kg: 5.
    assert suggestions.suggested_quantity(
        stock=D("0"),
        per_day=Fraction(3, 14),
        on_order=D("0"),
        target_days=14,
        minimum_quantity=D("5"),
        package_size=D("2.5"),
    ) == D("5.000")
    # A weighed product by 0.3 kg: 0.9 kg is exactly three packages (no float drift).
    assert suggestions.round_up_to_package(Fraction(9, 10), D("0.3")) == D("0.900")


def _move(product, delta, reason, when):
    movement = StockMovement.objects.create(
        organisation=product.organisation,
        product=product,
        delta=D(delta),
        quantity_after=D("0"),
        reason=reason,
    )
    StockMovement.objects.filter(pk=movement.pk).update(created_at=when)


@pytest.mark.django_db
def test_supplier_suggestions_read_the_ledger_and_open_orders():
    supplier = SupplierFactory()
    organisation = supplier.organisation
    tz = organisation.tzinfo
    item = SupplierItemFactory(
        supplier=supplier,
        package_size=D("6"),
        product=ShopProductFactory(organisation=organisation, name="Farine", stock_quantity=D("5")),
    )
    flour = item.product
    # In the period (28 days ending 28 Nov: from 1 Nov, local midnight): 60 placed, 6 given
    # back by a cancellation, 2 more by a change → 52 net... and 4 by a correction → 56.
    _move(flour, "-60", Reason.ORDER_PLACED, datetime(2026, 11, 1, 0, 30, tzinfo=tz))
    _move(flour, "6", Reason.ORDER_CANCELLED, datetime(2026, 11, 10, 12, tzinfo=tz))
    _move(flour, "-2", Reason.ORDER_CHANGED, datetime(2026, 11, 28, 23, 30, tzinfo=tz))
    _move(flour, "0", Reason.ORDER_CORRECTED, datetime(2026, 11, 20, 12, tzinfo=tz))
    # Not sales, or outside the period: ignored.
    _move(flour, "-10", Reason.LOSS, datetime(2026, 11, 15, tzinfo=tz))
    _move(flour, "-50", Reason.ORDER_PLACED, datetime(2026, 10, 31, 23, 59, tzinfo=tz))
    _move(flour, "-50", Reason.ORDER_PLACED, datetime(2026, 11, 29, 0, 1, tzinfo=tz))
    # Orders still open count for what is left to receive; drafts and received ones do not.
    sent = PurchaseOrderFactory(supplier=supplier, status="sent")
    PurchaseOrderLineFactory(
        purchase_order=sent, product=flour, quantity=D("12"), received_quantity=D("6")
    )
    for status in ("draft", "received", "cancelled"):
        PurchaseOrderLineFactory(
            purchase_order=PurchaseOrderFactory(supplier=supplier, status=status),
            product=flour,
            quantity=D("30"),
        )
    # Another supplier's main product, an inactive product, a secondary item: not listed.
    SupplierItemFactory(supplier=SupplierFactory(organisation=organisation))
    SupplierItemFactory(
        supplier=supplier,
        product=ShopProductFactory(organisation=organisation, is_active=False),
    )
    SupplierItemFactory(
        supplier=supplier,
        is_main=False,
        product=SupplierItemFactory(supplier=SupplierFactory(organisation=organisation)).product,
    )

    with organisation_context(organisation):
        rows = suggestions.supplier_suggestions(
            supplier=supplier, today=TODAY, period_days=28, target_days=14
        )

    assert [row.product for row in rows] == [flour]
    row = rows[0]
    # 56 sold → 2 a day; 28 needed − 5 in stock − 6 on order = 17 → cartons of 6 → 18.
    assert (row.sold, row.per_day, row.on_order) == (D("56.000"), Fraction(2), D("6.000"))
    assert (row.cover_days, row.quantity) == (D("2.5"), D("18.000"))


def _products(supplier, count):
    for index in range(count):
        product = ShopProductFactory(
            organisation=supplier.organisation, stock_quantity=D("1"), stock_minimum=D("3")
        )
        SupplierItemFactory(supplier=supplier, product=product)
        _move(
            product,
            "-5",
            Reason.ORDER_PLACED,
            datetime(2026, 11, 20, tzinfo=product.organisation.tzinfo),
        )
        PurchaseOrderLineFactory(
            purchase_order=PurchaseOrderFactory(supplier=supplier, status="sent"),
            product=product,
            quantity=D(index + 1),
        )


@pytest.mark.django_db
def test_supplier_suggestions_take_one_query_whatever_the_number_of_products():
    def queries(count):
        supplier = SupplierFactory()
        _products(supplier, count)
        with CaptureQueriesContext(connection) as captured:
            rows = suggestions.supplier_suggestions(
                supplier=supplier, today=TODAY, period_days=28, target_days=14
            )
        assert len(rows) == count
        return len(captured)

    assert queries(2) == queries(7) == 1
