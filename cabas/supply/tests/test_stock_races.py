"""The shop stock under everything that moves it at once, on PostgreSQL: drive orders
placed, receptions validated and inventories validated on the same products, in threads.
Afterwards each product's stock is the sum of its ledger, each movement follows the one
before it, nothing went below zero and no unit was lost or counted twice."""

from decimal import Decimal

import pytest

from cabas.catalog import inventories
from cabas.catalog import services as catalog_services
from cabas.catalog.models import InventorySession, Product, StockMovement
from cabas.catalog.tests.factories import ProductFactory
from cabas.core.tests.concurrency import postgresql_only, run_together
from cabas.orders import services as order_services
from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop
from cabas.sales.services import sale_items_sync
from cabas.supply import errors, services
from cabas.supply.models import PurchaseOrder, Reception
from cabas.supply.tests.factories import (
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    SupplierFactory,
)

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]
D = Decimal


@pytest.fixture(autouse=True)
def _postgresql_only():
    postgresql_only()


def _shop_with_two_shop_products():
    shop = open_shop(slot_capacity=50)
    soap = shop.products["soap"]
    flour = ProductFactory(
        organisation=shop.organisation, producer=soap.producer, name="Farine T65",
        price=D("2.40"), category="grocery-flour", stock_mode="shop", stock_quantity=D("20"),
    )  # fmt: skip
    sale_items_sync(sale=shop.sale)
    Product.objects.filter(pk=soap.pk).update(stock_quantity=D("30"))
    soap.refresh_from_db()
    catalog_services.stock_openings_record(products=[soap, flour])
    return shop, [soap, flour]


def _counted_reception(organisation, supplier, products, user, quantity="5"):
    order = PurchaseOrderFactory(supplier=supplier, status="sent")
    for product in products:
        PurchaseOrderLineFactory(purchase_order=order, product=product, quantity=D(quantity))
    reception = services.reception_start(purchase_order=order, started_by=user)
    services.reception_all_as_ordered(reception=reception, counted_by=user)
    return reception


def _counted_inventory(organisation, counts: dict, user):
    session = inventories.inventory_start(organisation=organisation, name="Rayon", started_by=user)
    for product, quantity in counts.items():
        inventories.inventory_count_record(
            session=session, product_id=product.pk, quantity=quantity, counted_by=user
        )
    return session


def _assert_ledger_holds(products) -> None:
    for product in products:
        stock = Product.objects.get(pk=product.pk).stock_quantity
        movements = list(StockMovement.objects.filter(product=product).order_by("pk"))
        assert stock == sum((m.delta for m in movements), D("0")), product.name
        assert stock == movements[-1].quantity_after, product.name
        running = D("0")
        for movement in movements:
            running += movement.delta
            assert movement.quantity_after == running, (product.name, movement.reason)
            assert movement.quantity_after >= 0, (product.name, movement.reason)


def test_orders_receptions_and_inventories_at_once_keep_every_unit():
    shop, products = _shop_with_two_shop_products()
    soap, flour = products
    user = shop.member()
    supplier = SupplierFactory(organisation=shop.organisation)
    members = [shop.member() for _ in range(12)]
    receptions = [_counted_reception(shop.organisation, supplier, products, user) for _ in range(4)]
    sessions = [
        _counted_inventory(shop.organisation, {soap: D("25"), flour: D("18")}, user),
        _counted_inventory(shop.organisation, {soap: D("27")}, user),
    ]
    actions = (
        [
            lambda m=member, i=index: order_services.order_place(
                user=m, sale=shop.sale, pickup_id=shop.pickup.pk,
                slot_id=shop.slots[i % len(shop.slots)].pk,
                lines=[(soap.pk, D(1)), (flour.pk, D(1))],
            )
            for index, member in enumerate(members)
        ]
        + [lambda r=r: services.reception_validate(reception=r, made_by=user) for r in receptions]
        + [
            lambda s=s: inventories.inventory_validate(session=s, validated_by=user)
            for s in sessions
        ]
    )  # fmt: skip

    results = run_together(lambda index: actions[index](), len(actions))

    failures = [r for r in results if isinstance(r, Exception)]
    assert failures == []
    assert Order.objects.count() == 12
    assert Reception.objects.filter(status="validated").count() == 4
    assert InventorySession.objects.filter(state="validated").count() == 2
    assert set(PurchaseOrder.objects.values_list("status", flat=True)) == {"received"}
    _assert_ledger_holds(products)
    for product in products:
        by_reason = {}
        for reason, delta in StockMovement.objects.filter(product=product).values_list(
            "reason", "delta"
        ):
            by_reason[reason] = by_reason.get(reason, D("0")) + delta
        # every order took its unit, every reception gave its five, once
        assert by_reason["order_placed"] == D("-12"), product.name
        assert by_reason["reception"] == D("20"), product.name
        assert StockMovement.objects.filter(product=product, reason="reception").count() == 4


def test_one_reception_validated_from_several_phones_at_once_gives_its_goods_once():
    shop, products = _shop_with_two_shop_products()
    user = shop.member()
    supplier = SupplierFactory(organisation=shop.organisation)
    reception = _counted_reception(shop.organisation, supplier, products, user, quantity="7")

    results = run_together(
        lambda _i: services.reception_validate(reception=reception, made_by=user), 6
    )

    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 5
    assert all(isinstance(r, errors.ReceptionValidated) for r in refused)
    assert [p.stock_quantity for p in Product.objects.filter(pk__in=[p.pk for p in products])
            .order_by("pk")] == [D("37"), D("27")]  # fmt: skip
    assert StockMovement.objects.filter(reason="reception").count() == 2
    _assert_ledger_holds(products)


def test_several_phones_starting_one_order_at_once_make_one_reception():
    shop, products = _shop_with_two_shop_products()
    user = shop.member()
    order = PurchaseOrderFactory(
        supplier=SupplierFactory(organisation=shop.organisation), status="sent"
    )
    for product in products:
        PurchaseOrderLineFactory(purchase_order=order, product=product)

    results = run_together(
        lambda _i: services.reception_start(purchase_order=order, started_by=user), 6
    )

    assert not [r for r in results if isinstance(r, Exception)]
    assert len({r.pk for r in results}) == 1
    assert Reception.objects.get().lines.count() == 2
