"""Orders under concurrent buyers, on PostgreSQL (transactional tests with threads)."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from cabas.core.tests.concurrency import postgresql_only, run_together
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


def _place(shop, user, lines, slot):
    return services.order_place(
        user=user,
        sale=shop.sale,
        pickup_id=slot.pickup_id,
        slot_id=slot.pk,
        lines=[(shop.products[name].pk, D(q)) for name, q in lines],
    )


def _outcomes(results) -> list[str]:
    return sorted(r.code if isinstance(r, Exception) else "placed" for r in results)


def test_thirty_buyers_for_the_last_five_units_exactly_five_are_sold():
    shop = open_shop(cheese_stock=D("5"), slot_capacity=50)
    members = [shop.member() for _ in range(30)]

    results = run_together(
        lambda i: _place(shop, members[i], [("bread", 1), ("cheese", 1)], shop.slots[i % 4]), 30
    )

    assert _outcomes(results) == ["out_of_stock"] * 25 + ["placed"] * 5
    assert SaleItem.objects.get(pk=shop.item("cheese").pk).quantity_ordered == 5
    assert OrderLine.objects.filter(product_name="Tomme").count() == 5
    # the refused orders left no trace: no order, no bread counted, no place taken
    assert Order.objects.count() == 5
    assert SaleItem.objects.get(pk=shop.item("bread").pk).quantity_ordered == 5
    assert sum(Slot.objects.filter(pickup=shop.pickup).values_list("booked", flat=True)) == 5
    assert sorted(Order.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


def test_twenty_buyers_for_a_slot_of_three_places_exactly_three_book_it():
    shop = open_shop(slot_capacity=3)
    members = [shop.member() for _ in range(20)]

    results = run_together(lambda i: _place(shop, members[i], [("bread", 1)], shop.slots[0]), 20)

    assert _outcomes(results) == ["placed"] * 3 + ["slot_full"] * 17
    assert Slot.objects.get(pk=shop.slots[0].pk).booked == 3
    assert Order.objects.filter(slot=shop.slots[0]).count() == 3
    assert Pickup.objects.get(pk=shop.pickup.pk).booked == 3


def test_the_same_checkout_submitted_twice_at_once_makes_one_order():
    shop = open_shop()
    member = shop.member()

    def submit(_i):
        return services.order_place(
            user=member, sale=shop.sale, pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
            lines=[(shop.products["cheese"].pk, D(2))], idempotency_key="web-same-form",
        )  # fmt: skip

    results = run_together(submit, 8)

    assert all(isinstance(r, Order) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Order.objects.count() == 1
    assert SaleItem.objects.get(pk=shop.item("cheese").pk).quantity_ordered == 2
    assert Slot.objects.get(pk=shop.slots[0].pk).booked == 1


def test_two_different_checkouts_of_one_member_make_one_order():
    shop = open_shop()
    member = shop.member()

    results = run_together(lambda i: _place(shop, member, [("cheese", 1)], shop.slots[i % 4]), 6)

    assert _outcomes(results) == ["already_ordered"] * 5 + ["placed"]
    assert Order.objects.count() == 1
    assert SaleItem.objects.get(pk=shop.item("cheese").pk).quantity_ordered == 1
    assert sum(Slot.objects.filter(pickup=shop.pickup).values_list("booked", flat=True)) == 1


def test_an_edit_while_the_sale_closes_lands_before_or_is_refused_whole():
    shop = open_shop(cheese_stock=D("10"))
    member = shop.member()
    order = _place(shop, member, [("cheese", 1), ("bread", 1)], shop.slots[0])
    ready = threading.Barrier(2)

    def act(index):
        ready.wait()
        if index == 0:
            return services.order_change(
                order=order, lines=[(shop.products["cheese"].pk, D(4))],
                pickup_id=shop.pickup.pk, slot_id=shop.slots[1].pk,
            )  # fmt: skip
        return sales_services.sale_close_now(sale=Sale.objects.get(pk=shop.sale.pk))

    results = run_together(act, 2)

    assert not [r for r in results if isinstance(r, Exception) and r.code != "sale_closed"]
    order.refresh_from_db()
    cheese = SaleItem.objects.get(pk=shop.item("cheese").pk).quantity_ordered
    slots = list(Slot.objects.filter(pickup=shop.pickup).order_by("starts_at")
                 .values_list("booked", flat=True))  # fmt: skip
    lines = dict(order.lines.values_list("product_name", "quantity"))
    if any(isinstance(r, Exception) for r in results):  # refused: exactly as before
        assert (cheese, slots[:2], lines) == (1, [1, 0], {"Tomme": 1, "Pain de campagne": 1})
        assert order.slot_id == shop.slots[0].pk
    else:  # landed before the close: whole
        assert (cheese, slots[:2], lines) == (4, [0, 1], {"Tomme": 4})
        assert order.slot_id == shop.slots[1].pk
        assert order.updated_at <= Sale.objects.get(pk=shop.sale.pk).closes_at + timedelta(
            seconds=1
        )
    assert Sale.objects.get(pk=shop.sale.pk).status == Sale.Status.CLOSED
    assert timezone.now() >= Sale.objects.get(pk=shop.sale.pk).closes_at
    connection.close()


def test_members_changing_slots_while_others_order_never_deadlock():
    """Movers (slot 1 → 2, 2 → 1), buyers and cancellers on the same pickup and items at
    once: every request ends with an order or a domain refusal — never a deadlock."""
    shop = open_shop(slot_capacity=30, cheese_stock=D("100"))
    placed = [
        _place(shop, shop.member(), [("cheese", 1), ("bread", 1)], shop.slots[i % 2])
        for i in range(12)
    ]
    buyers = [shop.member() for _ in range(12)]

    def act(i):
        if i < 12:  # move to the other slot, with other quantities
            order = placed[i]
            target = shop.slots[1 - (i % 2)]
            return services.order_change(
                order=order, pickup_id=shop.pickup.pk, slot_id=target.pk,
                lines=[(shop.products["bread"].pk, D(2)), (shop.products["cheese"].pk, D(1))],
            )  # fmt: skip
        if i < 24:
            return _place(shop, buyers[i - 12], [("bread", 1), ("cheese", 2)], shop.slots[i % 2])
        return services.order_cancel(order=placed[i - 24])

    results = run_together(act, 30)

    errors_seen = [r for r in results if isinstance(r, Exception)]
    assert all(hasattr(e, "code") for e in errors_seen), errors_seen  # domain refusals only
    active = Order.objects.active().filter(sale=shop.sale)
    slots = Slot.objects.filter(pickup=shop.pickup)
    assert sum(s.booked for s in slots) == active.filter(pickup=shop.pickup).count()
    for slot in slots:
        assert slot.booked == active.filter(slot=slot).count()
    ordered = sum(
        line.quantity for line in OrderLine.objects.filter(order__in=active, product_name="Tomme")
    )
    assert SaleItem.objects.get(pk=shop.item("cheese").pk).quantity_ordered == ordered
