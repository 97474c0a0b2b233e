"""Purchase orders under concurrent clicks, on PostgreSQL (transactional tests with threads)."""

from decimal import Decimal

import pytest

from cabas.core.tests.concurrency import postgresql_only, run_together
from cabas.notifications.models import OutboxMessage
from cabas.supply import services
from cabas.supply.models import PurchaseOrder
from cabas.supply.tests.factories import SupplierFactory, SupplierItemFactory

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    postgresql_only()


def test_six_orders_created_at_once_take_six_numbers():
    supplier = SupplierFactory()

    results = run_together(lambda i: services.purchase_order_create(supplier=supplier), 6)

    assert not [r for r in results if isinstance(r, Exception)]
    numbers = PurchaseOrder.objects.filter(organisation=supplier.organisation)
    assert sorted(numbers.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_send_clicked_five_times_at_once_records_one_email():
    item = SupplierItemFactory()
    order = services.purchase_order_create(
        supplier=item.supplier, quantities={item.product_id: Decimal("2")}
    )

    results = run_together(
        lambda i: services.purchase_order_send(purchase_order=order, sent_by=None), 5
    )

    outcomes = sorted(r.code if isinstance(r, Exception) else "sent" for r in results)
    assert outcomes == ["purchase_order_not_draft"] * 4 + ["sent"]
    assert OutboxMessage.objects.filter(key=f"purchase-order:{order.pk}:sent").count() == 1
    assert OutboxMessage.objects.count() == 1
