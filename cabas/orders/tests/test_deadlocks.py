"""Deadlock probes (issue 13): a pause is injected between two lock statements of one
transaction, and a second transaction runs its own locks inside that gap. With one global lock
order the second one simply waits; with two orders the database answers `deadlock detected`
(a member's 500). PostgreSQL only."""

from decimal import Decimal

import pytest

from cabas.core.tests.concurrency import (
    PauseAfter,
    postgresql_only,
    run_in_thread,
    wait_for_lock_waiters,
)
from cabas.orders import services
from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop
from cabas.sales.models import Pickup, Slot

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]
D = Decimal


@pytest.fixture(autouse=True)
def _postgresql_only():
    postgresql_only()


def test_a_coordinators_move_and_a_members_change_of_one_order_do_not_deadlock():
    shop = open_shop(cheese_stock=D("10"))
    order = services.order_place(
        user=shop.member(), sale=shop.sale, pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
        lines=[(shop.products["cheese"].pk, D(1))],
    )  # fmt: skip
    pause = PauseAfter(r'FROM "orders_order".*FOR UPDATE')

    def move():
        with pause:
            return services.order_move(
                order=Order.objects.get(pk=order.pk), pickup_id=shop.pickup.pk,
                slot_id=shop.slots[2].pk,
            )  # fmt: skip

    def change():
        return services.order_change(
            order=Order.objects.get(pk=order.pk), lines=[(shop.products["cheese"].pk, D(3))],
            pickup_id=shop.pickup.pk, slot_id=shop.slots[1].pk,
        )  # fmt: skip

    # the coordinator's move has locked the order and stops there
    mover, moved = run_in_thread(move)
    assert pause.reached.wait(20)
    # the member's change runs its locks in the gap, until it waits on a lock
    changer, changed = run_in_thread(change)
    assert wait_for_lock_waiters(1)
    pause.release()
    mover.join(30)
    changer.join(30)

    assert [type(r) for r in moved + changed] == [Order, Order], moved + changed
    order.refresh_from_db()
    assert (order.slot_id, order.lines.get().quantity) == (shop.slots[1].pk, 3)
    assert [s.booked for s in Slot.objects.filter(pickup=shop.pickup).order_by("pk")] == [
        0, 1, 0, 0,
    ]  # fmt: skip
    assert Pickup.objects.get(pk=shop.pickup.pk).booked == 1
    assert shop.item("cheese").quantity_ordered == 3
