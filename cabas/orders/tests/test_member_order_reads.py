"""The shop's plain-SQL read of a member's orders (``shop_orders``) says what the ORM readers
say: "active" is one rule (``OrderQuerySet.active`` and ``Order.active_sql``), and the latest
order elsewhere is one ordering (``latest_elsewhere``), used for the shop's "last order" and
the checkout's usual pickup point."""

from decimal import Decimal as D

import pytest
from django.db import connection

from cabas.orders import selectors, services
from cabas.orders.checkout_places import usual_pickup_point_id
from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop

pytestmark = pytest.mark.django_db


def place(shop, member):
    return services.order_place(
        user=member, sale=shop.sale, pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
        lines=[(shop.products["bread"].pk, D(1))],
    )  # fmt: skip


def test_active_sql_keeps_the_same_orders_as_the_queryset():
    shop = open_shop(slot_capacity=10)
    orders = [place(shop, shop.member()) for _ in Order.Status]
    for order, status in zip(orders, Order.Status, strict=True):
        Order.objects.filter(pk=order.pk).update(status=status)
    condition, params = Order.active_sql("o")
    table = connection.ops.quote_name(Order._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT o.id FROM {table} o WHERE {condition}", params)  # noqa: S608
        plain = {row[0] for row in cursor.fetchall()}

    assert plain == set(Order.objects.active().values_list("pk", flat=True))
    assert plain == {order.pk for order in Order.objects.all() if order.is_active}
    assert len(plain) == len(Order.Status) - 1


def test_the_shop_read_agrees_with_the_orm_readers_as_orders_come_and_go():
    shop = open_shop()
    member = shop.member()
    last_week = open_shop(organisation=shop.organisation)
    this_week = open_shop(organisation=shop.organisation)

    def readers():
        return (
            selectors.shop_orders(sale=this_week.sale, user=member),
            (
                selectors.active_order(sale=this_week.sale, user=member),
                selectors.last_order(organisation=shop.organisation, user=member,
                                     before_sale=this_week.sale),
            ),
        )  # fmt: skip

    assert readers() == ((None, None), (None, None))
    older = place(shop, member)
    assert readers() == ((None, older), (None, older))
    newer = place(last_week, member)
    shop_read, orm = readers()
    assert shop_read == (None, orm[1])
    assert (
        usual_pickup_point_id(
            organisation_id=shop.organisation.pk, user=member, sale=this_week.sale
        )
        == orm[1].pickup.pickup_point_id
    )
    services.order_cancel(order=newer)
    assert readers() == ((None, older), (None, older))
    current = place(this_week, member)
    assert readers() == ((current, None), (current, older))
