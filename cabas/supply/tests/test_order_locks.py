"""Purchase order writes take only the order's row lock (rank "purchase orders" of
cabas/core/lock_order.py). Recorded on PostgreSQL (SQLite takes no row lock)."""

from decimal import Decimal

import pytest

from cabas.core.tests.locks import locks_of, skip_unless_postgresql
from cabas.supply import services
from cabas.supply.tests.factories import SupplierItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only():
    skip_unless_postgresql()


def test_editing_sending_and_cancelling_lock_the_order_only():
    item = SupplierItemFactory(package_size=Decimal("1"))
    order = services.purchase_order_create(supplier=item.supplier)

    for action in (
        lambda: services.purchase_order_line_set(
            purchase_order=order, product=item.product, quantity=Decimal("3")
        ),
        lambda: services.purchase_order_update(purchase_order=order, expected_on=None, note="x"),
        lambda: services.purchase_order_send(purchase_order=order, sent_by=None),
        lambda: services.purchase_order_cancel(purchase_order=order),
    ):
        _result, recording = locks_of(action)
        assert recording.tables() == ["supply_purchaseorder"]
