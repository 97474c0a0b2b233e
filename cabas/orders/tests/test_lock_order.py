"""Every locking service of sales, orders and distribution day follows the global lock order
(cabas/core/lock_order.py): the lock statements of each call are recorded on PostgreSQL and
checked by cabas/core/tests/locks.py. SQLite takes no row lock (select_for_update is a no-op
there), so these tests need PostgreSQL."""

from datetime import timedelta
from decimal import Decimal

import pytest

from cabas.core.tests.locks import assert_lock_order, locks_of, record_locks, skip_unless_postgresql
from cabas.distribution import services as distribution
from cabas.orders import services
from cabas.orders.models import OrderLine
from cabas.orders.tests.factories import open_shop
from cabas.sales import errors as sales_errors
from cabas.sales import services as sales_services
from cabas.sales.models import Pickup, PickupPoint, Sale, SlotMode
from cabas.sales.tests.factories import PickupPointFactory
from cabas.sales.tests.test_drive import NOW as DRIVE_NOW
from cabas.sales.tests.test_drive import coop  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db
D = Decimal

SALE, ORDERS, PICKUPS, SLOTS = "sale", "orders", "pickups", "slots"
ITEMS, STOCK, COUNTERS = "sale items", "products' shop stock", "counters"
ORG = "organisation-level rows"
ROLLUPS = "dashboards' rollups"  # a change after the cutoff marks the sale's rollup stale


@pytest.fixture(autouse=True)
def _postgresql_only():
    skip_unless_postgresql()


@pytest.fixture
def shop():
    return open_shop(cheese_stock=D("10"))


def place(shop, slot=None, lines=(("cheese", 1), ("bread", 1), ("soap", 1))):
    slot = slot or shop.slots[0]
    return services.order_place(
        user=shop.member(), sale=shop.sale, pickup_id=slot.pickup_id, slot_id=slot.pk,
        lines=[(shop.products[name].pk, D(q)) for name, q in lines],
    )  # fmt: skip


def test_placing_an_order(shop):
    place(shop)  # the sale's counter row exists from now on

    _order, recording = locks_of(lambda: place(shop, shop.slots[1]))

    assert recording.ranks() == [SALE, PICKUPS, SLOTS, ITEMS, STOCK, COUNTERS]
    assert [s.mode for s in recording][0] == "share"


def checkout(shop, member, cheese, slot):
    """Put ``cheese`` cheeses in the member's basket, then check out at ``slot``."""
    services.basket_set_quantity(
        sale=shop.sale, product_id=shop.products["cheese"].pk, quantity=D(cheese), user=member
    )
    basket = services.basket_for(sale=shop.sale, user=member)
    return locks_of(
        lambda: services.checkout_submit(
            user=member,
            sale=shop.sale,
            basket=basket,
            pickup_id=slot.pickup_id,
            slot_id=slot.pk,
            idempotency_key=f"web-{slot.pk}",
        )  # fmt: skip
    )


def test_checking_out_places_or_changes_in_the_global_order(shop):
    place(shop)  # the sale's counter row exists from now on
    member = shop.member()

    order, placing = checkout(shop, member, 1, shop.slots[1])
    services.basket_from_order(order=order)
    _order, changing = checkout(shop, member, 2, shop.slots[2])

    assert placing.ranks() == [SALE, PICKUPS, SLOTS, ITEMS, COUNTERS]
    assert changing.ranks() == [SALE, ORDERS, SLOTS, ITEMS]  # same pickup, another slot


def test_changing_an_order_with_a_new_slot(shop):
    order = place(shop)

    _order, recording = locks_of(
        lambda: services.order_change(
            order=order,
            pickup_id=shop.pickup.pk,
            slot_id=shop.slots[2].pk,
            lines=[(shop.products["cheese"].pk, D(3)), (shop.products["soap"].pk, D(2))],
        )  # fmt: skip
    )

    assert recording.ranks() == [SALE, ORDERS, SLOTS, ITEMS, STOCK]  # same pickup


def test_changing_an_order_to_another_pickup(shop):
    order = place(shop)

    _order, recording = locks_of(
        lambda: services.order_change(
            order=order,
            pickup_id=shop.open_pickup.pk,
            slot_id=None,
            lines=[(shop.products["cheese"].pk, D(1))],
        )  # fmt: skip
    )

    assert recording.ranks() == [SALE, ORDERS, PICKUPS, SLOTS, ITEMS, STOCK]


def test_cancelling_an_order(shop):
    order = place(shop)

    _order, recording = locks_of(lambda: services.order_cancel(order=order))

    assert recording.ranks() == [SALE, ORDERS, PICKUPS, SLOTS, ITEMS, STOCK]


def test_a_coordinators_move(shop):
    order = place(shop)

    _order, recording = locks_of(
        lambda: services.order_move(
            order=order, pickup_id=shop.pickup.pk, slot_id=shop.slots[3].pk
        )  # fmt: skip
    )

    assert recording.ranks() == [SALE, ORDERS, PICKUPS, SLOTS]
    assert recording.statements[0].mode == "update"


def test_slot_edits(shop):
    slot = shop.slots[1]
    for action in (
        lambda: sales_services.slot_set_open(slot=slot, is_open=False),
        lambda: sales_services.slot_set_open(slot=slot, is_open=True),
        lambda: sales_services.slot_set_capacity(slot=slot, capacity=8),
    ):  # booking and giving back a place: test_placing_an_order, test_cancelling_an_order
        _result, recording = locks_of(action)
        assert recording.ranks()[:3] == [SALE, PICKUPS, SLOTS]


def test_pickup_edits(shop):
    point = PickupPointFactory(organisation=shop.organisation)
    starts = shop.pickup.starts_at + timedelta(days=1)

    pickup, recording = locks_of(
        lambda: sales_services.pickup_create(
            sale=shop.sale,
            pickup_point=point,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            slot_mode=SlotMode.CAPACITY,
            capacity=10,
        )  # fmt: skip
    )
    assert recording.ranks() == [ORG, SALE]
    _result, recording = locks_of(
        lambda: sales_services.pickup_update(
            pickup=pickup,
            pickup_point=point,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            slot_mode=SlotMode.CAPACITY,
            capacity=12,
        )  # fmt: skip
    )
    assert recording.ranks()[:3] == [ORG, SALE, PICKUPS]
    order, _recording = locks_of(
        lambda: services.order_place(
            user=shop.member(),
            sale=shop.sale,
            pickup_id=pickup.pk,
            slot_id=None,
            lines=[(shop.products["bread"].pk, D(1))],
        )  # fmt: skip
    )
    locks_of(lambda: services.order_move(order=order, pickup_id=shop.open_pickup.pk, slot_id=None))
    _result, recording = locks_of(lambda: sales_services.pickup_delete(pickup=pickup))
    assert recording.ranks() == [SALE, PICKUPS]
    _result, recording = locks_of(
        lambda: sales_services.slot_add(
            pickup=shop.pickup, starts_at=shop.pickup.ends_at - timedelta(minutes=5),
            ends_at=shop.pickup.ends_at, capacity=1,
        ),
        refused=sales_errors.SlotOverlap,
    )  # fmt: skip
    assert recording.ranks() == [SALE, PICKUPS, SLOTS]


def test_sale_edits(shop):
    item = shop.item("cheese")
    locks_of(lambda: sales_services.sale_item_set_quantity(item=item, quantity=D("20")))
    _sale, recording = locks_of(lambda: sales_services.sale_close_now(sale=shop.sale))
    assert recording.ranks() == [SALE]


def test_distribution_day(shop):
    orders = [place(shop, shop.slots[i], lines=[("chicken", 1), ("bread", 1)]) for i in range(3)]
    sales_services.sale_close_now(sale=shop.sale)
    volunteer = shop.member()
    chicken = shop.products["chicken"]
    line = OrderLine.objects.get(order=orders[0], product=chicken)

    _r, recording = locks_of(
        lambda: services.order_set_status(order=orders[0], status="ready", by=volunteer)
    )
    assert recording.ranks() == [ORDERS, PICKUPS]
    PickupPoint.objects.filter(pk=shop.pickup.pickup_point_id).update(car_boot_pickup=True)
    locks_of(lambda: services.order_arrive(order=orders[0], now=shop.slots[0].starts_at))
    locks_of(lambda: services.order_line_weigh(line=line, weighed_kg=D("1.5"), by=volunteer))
    locks_of(lambda: services.order_line_mark_missing(line=line, by=volunteer))
    locks_of(lambda: services.order_line_unmark_missing(line=line, by=volunteer))
    locks_of(lambda: services.order_line_substitute(line=line, note="rôti", by=volunteer))
    _r, recording = locks_of(
        lambda: services.order_line_add(order=orders[1], product=shop.products["cheese"],
                                        quantity=D(1), by=volunteer, reason="au téléphone")
    )  # fmt: skip
    assert recording.ranks() == [ORDERS, PICKUPS, ITEMS, ROLLUPS]
    added = OrderLine.objects.get(order=orders[1], product=shop.products["cheese"])
    locks_of(lambda: services.order_line_remove(line=added, by=volunteer, reason="erreur"))
    _r, recording = locks_of(
        lambda: services.sale_item_set_price(item=shop.item("bread"), price=D("4"),
                                             by=volunteer, reason="erreur d'étiquette")
    )  # fmt: skip
    assert recording.ranks() == [ORDERS, PICKUPS, ITEMS, ROLLUPS]
    _r, recording = locks_of(
        lambda: services.sale_product_set_missing(
            sale=shop.sale, product=chicken, by=volunteer
        )  # fmt: skip
    )
    assert recording.ranks() == [ORDERS, PICKUPS, ROLLUPS]
    after_end = shop.pickup.ends_at + timedelta(minutes=1)
    locks_of(lambda: services.pickup_mark_no_shows(pickup=shop.pickup, by=volunteer,
                                                   now=after_end))  # fmt: skip
    distribution.pickup_close(pickup=shop.open_pickup, by=volunteer)

    _pickup, recording = locks_of(
        lambda: distribution.pickup_close(
            pickup=Pickup.objects.get(pk=shop.pickup.pk), by=volunteer
        )  # fmt: skip
    )

    assert recording.ranks() == [SALE, ORDERS, PICKUPS]
    assert Sale.objects.get(pk=shop.sale.pk).status == "distributed"


def test_generating_the_drive_sales(coop):  # noqa: F811
    _report, recording = locks_of(
        lambda: sales_services.drive_generate(organisation=coop, now=DRIVE_NOW + timedelta(days=7))
    )
    assert recording.ranks()[0] == ORG


def test_the_recorder_catches_a_real_transaction_locking_out_of_order(shop):
    from django.db import transaction

    from cabas.core.tests.locks import LockOrderError
    from cabas.orders import lock_objects as order_locks
    from cabas.sales import lock_objects as sales_locks

    order = place(shop)

    with record_locks() as recording, transaction.atomic():
        order_locks.order_lock(order_id=order.pk)
        sales_locks.sale_lock(sale_id=shop.sale.pk)  # the old order_move: order, then sale

    with pytest.raises(LockOrderError, match=r"#2 sales_sale\[\d+\] update: goes back to sale"):
        assert_lock_order(recording)


def test_a_draft_sale_from_its_creation_to_its_deletion(shop):
    now = shop.sale.opens_at
    draft = sales_services.sale_create(organisation=shop.organisation, title="Brouillon",
                                       opens_at=now + timedelta(days=1),
                                       closes_at=now + timedelta(days=2))  # fmt: skip
    point = PickupPointFactory(organisation=shop.organisation)
    starts = now + timedelta(days=3)
    locks_of(
        lambda: sales_services.pickup_create(
            sale=draft,
            pickup_point=point,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            slot_mode=SlotMode.SLOTS,
            slot_minutes=30,
            slot_capacity=3,
        )  # fmt: skip
    )
    _sale, recording = locks_of(
        lambda: sales_services.sale_update(
            sale=draft,
            title="Vente du mardi",
            opens_at=draft.opens_at,
            closes_at=draft.closes_at,
            minimum_order_amount=None,
            note_to_members="",
        )  # fmt: skip
    )
    assert recording.ranks()[0] == SALE
    locks_of(lambda: sales_services.sale_schedule(sale=draft))
    _sale, recording = locks_of(lambda: sales_services.sale_delete(sale=draft))
    assert recording.ranks() == [SALE, PICKUPS]


def test_generating_the_sales_of_a_schedule():
    from cabas.orgs.tests.factories import OrganisationFactory
    from cabas.sales.tests.test_schedule import NOW, weekly

    organisation = OrganisationFactory(timezone="Europe/Paris")
    points = [PickupPointFactory(organisation=organisation) for _ in range(2)]
    schedule = weekly(organisation, points)

    _report, recording = locks_of(
        lambda: sales_services.schedule_generate(schedule=schedule, now=NOW + timedelta(days=7))
    )

    assert recording.ranks()[0] == ORG
    assert recording.tables()[:2] == ["sales_schedule", "sales_pickuppoint"]
