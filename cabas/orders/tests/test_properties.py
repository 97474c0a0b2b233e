"""Random sequences of placing, changing and cancelling keep invariants 1–3 (docs/design.md):
never more sold than available, never more orders in a slot than its capacity, at most one
active order per member and sale — and the counters always equal what the orders say."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cabas.catalog.models import Product
from cabas.core.errors import DomainError
from cabas.orders import services
from cabas.orders.models import Order, OrderLine
from cabas.orders.tests.factories import open_shop
from cabas.sales.models import SaleItem, Slot

pytestmark = pytest.mark.django_db
PRODUCTS = ["bread", "cheese", "soap", "tomatoes"]

step = st.tuples(
    st.sampled_from(["place", "change", "cancel"]),
    st.integers(0, 3),  # member
    st.integers(0, 3),  # slot
    st.lists(st.tuples(st.sampled_from(PRODUCTS), st.integers(1, 4)), min_size=1, max_size=3),
)


@pytest.fixture
def shop():
    shop = open_shop(slot_capacity=2, cheese_stock=Decimal("4"))
    shop.members = [shop.member() for _ in range(4)]
    return shop


def _lines(shop, wanted):
    merged = {}
    for name, quantity in wanted:
        merged[name] = Decimal(quantity) / (2 if name == "tomatoes" else 1)
    return [(shop.products[name].pk, quantity) for name, quantity in merged.items()]


def _apply(shop, action, member_index, slot_index, wanted):
    member = shop.members[member_index]
    slot = shop.slots[slot_index]
    order = Order.objects.active().filter(sale=shop.sale, user=member).first()
    try:
        if action == "place":
            services.order_place(user=member, sale=shop.sale, pickup_id=shop.pickup.pk,
                                 slot_id=slot.pk, lines=_lines(shop, wanted))  # fmt: skip
        elif order is not None and action == "change":
            services.order_change(order=order, lines=_lines(shop, wanted),
                                  pickup_id=shop.pickup.pk, slot_id=slot.pk)  # fmt: skip
        elif order is not None:
            services.order_cancel(order=order)
    except DomainError:
        pass  # a refusal is fine; the invariants below say it changed nothing wrong


def _check_invariants(shop):
    active = Order.objects.active().filter(sale=shop.sale)
    # 3. one active order per member
    assert not active.values("user").annotate(n=Count("pk")).filter(n__gt=1).exists()
    # 1. never more ordered than available, and the counter is the sum of the lines
    ordered = dict(
        OrderLine.objects.filter(order__in=active)
        .values("sale_item")
        .annotate(total=Sum("quantity"))
        .values_list("sale_item", "total")
    )
    for item in SaleItem.objects.filter(sale=shop.sale):
        assert item.quantity_ordered == ordered.get(item.pk, 0)
        if item.quantity_available is not None:
            assert item.quantity_ordered <= item.quantity_available
    soap = Product.objects.get(pk=shop.products["soap"].pk)
    assert soap.stock_quantity == 10 - ordered.get(shop.item("soap").pk, 0) >= 0
    # 2. never more orders in a slot than its capacity, and the counter is the count
    booked = dict(active.values("slot").annotate(n=Count("pk")).values_list("slot", "n"))
    for slot in Slot.objects.filter(pickup=shop.pickup):
        assert slot.booked == booked.get(slot.pk, 0) <= slot.capacity


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_random_sequences_keep_the_invariants(shop, steps):
    with transaction.atomic():
        for action, member_index, slot_index, wanted in steps:
            _apply(shop, action, member_index, slot_index, wanted)
            _check_invariants(shop)
        transaction.set_rollback(True)  # the next example starts from the same shop
