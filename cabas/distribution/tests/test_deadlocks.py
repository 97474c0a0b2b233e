"""Deadlock probe (issue 13): a pickup closing (it may mark the sale distributed) while a
coordinator closes one of its slots. A pause is injected after the closing's pickup lock;
the slot's change runs its locks in that gap. With one global lock order (sale first) it waits;
with two orders PostgreSQL answers `deadlock detected`. PostgreSQL only."""

import pytest

from cabas.core.tests.concurrency import (
    PauseAfter,
    postgresql_only,
    run_in_thread,
    wait_for_lock_waiters,
)
from cabas.distribution import services
from cabas.orders.tests.factories import open_shop
from cabas.sales import services as sales_services
from cabas.sales.models import Pickup, Sale, Slot

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    postgresql_only()


def test_closing_the_last_pickup_while_a_slot_of_it_closes_does_not_deadlock():
    shop = open_shop()
    volunteer = shop.member()
    sales_services.sale_close_now(sale=shop.sale)
    services.pickup_close(pickup=shop.open_pickup, by=volunteer)  # the other pickup is done
    pause = PauseAfter(r'FROM "sales_pickup".*FOR UPDATE')

    def close():
        with pause:
            return services.pickup_close(pickup=Pickup.objects.get(pk=shop.pickup.pk), by=volunteer)

    def close_slot():
        return sales_services.slot_set_open(slot=Slot.objects.get(pk=shop.slots[0].pk),
                                            is_open=False)  # fmt: skip

    closer, closed = run_in_thread(close)
    assert pause.reached.wait(20)
    slot_closer, slot_closed = run_in_thread(close_slot)
    assert wait_for_lock_waiters(1)
    pause.release()
    closer.join(30)
    slot_closer.join(30)

    assert [type(r) for r in closed + slot_closed] == [Pickup, Slot], closed + slot_closed
    assert Pickup.objects.get(pk=shop.pickup.pk).closed_at is not None
    assert Sale.objects.get(pk=shop.sale.pk).status == Sale.Status.DISTRIBUTED
    assert Slot.objects.get(pk=shop.slots[0].pk).is_open is False
