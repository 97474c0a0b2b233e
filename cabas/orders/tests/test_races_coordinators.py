"""Coordinators and volunteers racing members (issue 13): moves of orders, slot edits and pickup
closings at the same moment as placements, changes and cancels, on PostgreSQL with threads.
Every request ends with its result or a domain refusal — never `deadlock detected` nor any
other database error — and the counters still tell the truth afterwards."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from cabas.core.errors import DomainError
from cabas.core.tests.concurrency import postgresql_only, run_together
from cabas.distribution import services as distribution
from cabas.money.models import AccountEntry
from cabas.orders import services
from cabas.orders.models import Order, OrderLine
from cabas.orders.tests.factories import open_shop
from cabas.sales import services as sales_services
from cabas.sales.models import Pickup, Sale, SaleItem, Slot

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]
D = Decimal


@pytest.fixture(autouse=True)
def _postgresql_only():
    postgresql_only()


def _place(shop, user, slot, lines):
    return services.order_place(
        user=user, sale=shop.sale, pickup_id=slot.pickup_id if slot else shop.open_pickup.pk,
        slot_id=slot.pk if slot else None,
        lines=[(shop.products[name].pk, D(q)) for name, q in lines],
    )  # fmt: skip


def _not_refusals(results) -> list:
    return [r for r in results if isinstance(r, Exception) and not isinstance(r, DomainError)]


def _assert_counters_hold(shop):
    active = Order.objects.active().filter(sale=shop.sale)
    for slot in Slot.objects.filter(pickup__sale=shop.sale):
        assert slot.booked == active.filter(slot=slot).count(), slot
        assert slot.booked <= slot.capacity, slot
    for pickup in Pickup.objects.filter(sale=shop.sale):
        assert pickup.booked == active.filter(pickup=pickup).count(), pickup
    for item in SaleItem.objects.filter(sale=shop.sale):
        ordered = (
            OrderLine.objects.filter(order__in=active, sale_item=item).aggregate(q=Sum("quantity"))
        )["q"] or D(0)
        assert item.quantity_ordered == ordered, item
        if item.quantity_available is not None:
            assert item.quantity_ordered <= item.quantity_available, item
    soap = shop.products["soap"]
    soap.refresh_from_db()
    sold = OrderLine.objects.filter(order__in=active, product=soap).aggregate(q=Sum("quantity"))
    assert soap.stock_quantity == D(10) - (sold["q"] or 0)
    assert soap.stock_quantity >= 0


@pytest.mark.parametrize("seed", [1, 2])
def test_moves_slot_edits_and_pickup_closings_racing_members(seed):
    """An open sale: members place, change (quantities, slot, pickup) and cancel; at the same
    time a coordinator moves orders between slots and pickups, closes, reopens and resizes
    slots, and a volunteer tries to close the pickups."""
    shop = open_shop(slot_capacity=4, cheese_stock=D("40"))
    placed = [
        _place(shop, shop.member(), shop.slots[i % 4], [("cheese", 1), ("soap", 1)])
        for i in range(8)
    ]
    buyers = [shop.member() for _ in range(8)]
    volunteer = shop.member()
    slots = shop.slots

    def act(i):
        rng = random.Random(seed * 100 + i)  # each thread its own draws: the same every run
        kind, n = divmod(i, 8)
        if kind == 0:  # a new member orders
            slot = rng.choice([*slots, None])
            return _place(shop, buyers[n], slot, [("cheese", rng.randint(1, 3)), ("soap", 1)])
        order = Order.objects.get(pk=placed[n].pk)
        if kind == 1:  # the member changes the order, maybe to another slot or pickup
            slot = rng.choice([*slots, None])
            return services.order_change(
                order=order, pickup_id=slot.pickup_id if slot else shop.open_pickup.pk,
                slot_id=slot.pk if slot else None,
                lines=[(shop.products["cheese"].pk, D(rng.randint(1, 3))),
                       (shop.products["soap"].pk, D(2))],
            )  # fmt: skip
        if kind == 2:  # the coordinator moves it (half of them), the member cancels (others)
            if n % 2:
                return services.order_cancel(order=order)
            slot = rng.choice([*slots, None])
            return services.order_move(
                order=order, pickup_id=slot.pickup_id if slot else shop.open_pickup.pk,
                slot_id=slot.pk if slot else None,
            )  # fmt: skip
        slot = Slot.objects.get(pk=slots[n % 4].pk)
        return [  # slot edits and pickup closings
            lambda: sales_services.slot_set_open(slot=slot, is_open=False),
            lambda: sales_services.slot_set_open(slot=slot, is_open=True),
            lambda: sales_services.slot_set_capacity(slot=slot, capacity=rng.randint(2, 6)),
            lambda: distribution.pickup_close(pickup=Pickup.objects.get(pk=shop.pickup.pk),
                                              by=volunteer),
            lambda: sales_services.slot_set_capacity(slot=slot, capacity=5),
            lambda: distribution.pickup_close(pickup=Pickup.objects.get(pk=shop.pickup.pk),
                                              by=volunteer),
            lambda: sales_services.slot_set_open(slot=slot, is_open=False),
            lambda: sales_services.slot_set_open(slot=slot, is_open=True),
        ][n]()  # fmt: skip

    results = run_together(act, 32)

    assert _not_refusals(results) == []
    assert sum(isinstance(r, Order) for r in results) >= 6  # many requests got through
    _assert_counters_hold(shop)


def test_distribution_day_racing_coordinators_corrections_and_closings():
    """A closed sale on distribution day: volunteers check orders in and close the pickups
    while a coordinator moves orders, corrects lines and closes slots."""
    shop = open_shop(slot_capacity=6, cheese_stock=D("30"))
    orders = [
        _place(shop, shop.member(), shop.slots[i % 4] if i % 3 else None,
               [("cheese", 1), ("bread", 1)])
        for i in range(12)
    ]  # fmt: skip
    sales_services.sale_close_now(sale=shop.sale)
    volunteer = shop.member()
    bread = shop.products["bread"]

    def act(i):
        kind, n = divmod(i, 12)
        order = Order.objects.get(pk=orders[n].pk)
        if kind == 0:  # checked in, collected
            return services.order_set_status(order=order, status="collected", by=volunteer)
        if kind == 1 and n % 3 == 0:
            return distribution.pickup_close(pickup=Pickup.objects.get(pk=shop.open_pickup.pk),
                                             by=volunteer)  # fmt: skip
        if kind == 1 and n % 3 == 1:
            return distribution.pickup_close(pickup=Pickup.objects.get(pk=shop.pickup.pk),
                                             by=volunteer)  # fmt: skip
        if kind == 1:
            slot = shop.slots[(n + 1) % 4]
            return services.order_move(order=order, pickup_id=slot.pickup_id, slot_id=slot.pk)
        if n % 2:
            line = OrderLine.objects.get(order=order, product=bread)
            return services.order_line_remove(line=line, by=volunteer, reason="oubli")
        return sales_services.slot_set_open(slot=Slot.objects.get(pk=shop.slots[n % 4].pk),
                                            is_open=False)  # fmt: skip

    results = run_together(act, 36)

    assert _not_refusals(results) == []
    _assert_counters_hold(shop)
    # a pickup closed: each of its done orders owes its final amount once
    for pickup in Pickup.objects.filter(sale=shop.sale, closed_at__isnull=False):
        done = Order.objects.filter(pickup=pickup, status__in=Order.DONE_STATUSES, total__gt=0)
        dues = AccountEntry.objects.filter(kind="order", order__pickup=pickup)
        assert sorted(dues.values_list("order_id", flat=True)) == sorted(
            done.values_list("pk", flat=True)
        )
    # the second round: everything collected, both pickups close, the sale is distributed
    for order in Order.objects.filter(sale=shop.sale).exclude(status="collected"):
        services.order_set_status(order=order, status="collected", by=volunteer)
    closes = run_together(
        lambda i: distribution.pickup_close(pickup=[shop.pickup, shop.open_pickup][i],
                                            by=volunteer, now=shop.pickup.ends_at
                                            + timedelta(hours=1)),
        2,
    )  # fmt: skip
    assert _not_refusals(closes) == []
    assert Pickup.objects.filter(sale=shop.sale, closed_at__isnull=True).count() == 0
    assert Sale.objects.get(pk=shop.sale.pk).status == Sale.Status.DISTRIBUTED
