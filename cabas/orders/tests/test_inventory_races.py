"""An inventory validated while members order the counted product, on PostgreSQL: the
stored stock stays the sum of the ledger and no order's units are lost."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from cabas.catalog import inventories
from cabas.catalog import services as catalog_services
from cabas.catalog.models import InventoryCount, Product, StockMovement
from cabas.core.tests.concurrency import (
    PauseAfter,
    postgresql_only,
    run_in_thread,
    run_together,
    wait_for_lock_waiters,
)
from cabas.core.tests.locks import locks_of
from cabas.orders import services
from cabas.orders.tests.factories import open_shop

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]
D = Decimal


@pytest.fixture(autouse=True)
def _postgresql_only():
    postgresql_only()


def _soap_counted(counted="30", **kwargs):
    """A shop whose soap (10 in stock) is counted at ``counted`` in an open session."""
    shop = open_shop(**kwargs)
    soap = shop.products["soap"]
    catalog_services.stock_openings_record(products=[soap])
    team = shop.member()
    session = inventories.inventory_start(
        organisation=shop.organisation, name="Rayon hygiène", started_by=team
    )
    inventories.inventory_count_record(
        session=session, product_id=soap.pk, quantity=D(counted), counted_by=team
    )
    return shop, soap, session, team


def _place(shop, member):
    return services.order_place(
        user=member, sale=shop.sale, pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
        lines=[(shop.products["soap"].pk, D(1))],
    )  # fmt: skip


def _ledger(product) -> tuple[Decimal, Decimal]:
    total = StockMovement.objects.filter(product=product).aggregate(total=Sum("delta"))["total"]
    return total, Product.objects.get(pk=product.pk).stock_quantity


def test_an_order_waiting_on_the_validation_takes_its_unit_from_the_counted_stock():
    """The validation holds the soap's row: a member's order waits, then takes its unit
    from the counted 30 (29 left), not from the 10 read before."""
    shop, soap, session, team = _soap_counted()
    member = shop.member()

    def validate():
        with PauseAfter(r'FROM "catalog_product".*FOR UPDATE') as pause:
            validating.append(pause)
            return inventories.inventory_validate(session=session, validated_by=team)

    validating: list = []
    validation, validated = run_in_thread(validate)
    while not validating:
        pass
    validating[0].reached.wait(10)
    ordering, placed = run_in_thread(lambda: _place(shop, member))
    assert wait_for_lock_waiters(1)
    validating[0].release()
    validation.join()
    ordering.join()

    assert not isinstance(validated[0], Exception), validated
    assert hasattr(placed[0], "sale_id"), placed
    assert _ledger(soap) == (D("29"), D("29"))
    reasons = StockMovement.objects.filter(product=soap).order_by("pk")
    assert [(m.reason, m.delta) for m in reasons] == [
        ("opening", D("10")), ("inventory", D("20")), ("order_placed", D("-1")),
    ]  # fmt: skip


def test_orders_counts_and_the_validation_at_once_lose_no_unit():
    """16 members order one soap each while volunteers re-count it and a coordinator
    validates: the stock is the counted quantity less the orders placed after the last
    count, the ledger's sum equals it, and every order has its movement."""
    shop, soap, session, team = _soap_counted(slot_capacity=50)
    members = [shop.member() for _ in range(16)]

    def act(i):
        if i < 16:
            return _place(shop, members[i])
        if i < 19:
            return inventories.inventory_count_record(
                session=session, product_id=soap.pk, quantity=D("30"), counted_by=team
            )
        return inventories.inventory_validate(session=session, validated_by=team)

    results = run_together(act, 20)

    total, stored = _ledger(soap)
    assert total == stored
    placed = [r for r in results if hasattr(r, "sale_id")]
    assert len(placed) == 16, results
    assert all(getattr(r, "code", "inventory_closed") == "inventory_closed"
               for r in results if isinstance(r, Exception)), results  # fmt: skip
    # Every order placed after the last count took its unit from the counted 30, whether it
    # came before the validation (kept by it) or after (taken from its result).
    counted_at = InventoryCount.objects.get(session=session, product=soap).counted_at
    after = StockMovement.objects.filter(
        product=soap, reason="order_placed", created_at__gt=counted_at
    )
    assert stored == D("30") - after.count()
    taken = StockMovement.objects.filter(product=soap, reason="order_placed")
    assert sorted(taken.values_list("order_id", flat=True)) == sorted(o.pk for o in placed)


def test_a_count_and_the_validation_lock_the_session_then_the_products_in_order():
    shop, soap, session, team = _soap_counted()
    inventories.inventory_count_record(
        session=session, product_id=shop.products["soap"].pk, quantity=D("12"), counted_by=team
    )

    _session, recording = locks_of(
        lambda: inventories.inventory_validate(session=session, validated_by=team)
    )

    assert recording.ranks()[:2] == ["inventory sessions", "products' shop stock"]
