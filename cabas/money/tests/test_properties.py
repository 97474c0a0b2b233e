"""Money is never created or lost (invariant 7): after any sequence of orders, weighings,
payments and refunds, each balance is exactly what the sequence implies, the list of
balances agrees with each one, and a refund never exceeds a credit."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cabas.core.errors import DomainError
from cabas.distribution import services as distribution
from cabas.money import selectors, services
from cabas.money.models import AccountEntry
from cabas.orders import services as order_services
from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop
from cabas.sales import services as sales_services

pytestmark = pytest.mark.django_db
D = Decimal

cents = st.integers(min_value=-500, max_value=6000).map(lambda n: D(n) / 100)
step = st.one_of(
    st.tuples(st.just("order"), st.integers(0, 2), st.integers(1, 3), st.integers(0, 2)),
    st.tuples(st.just("pay"), st.integers(0, 2), cents, st.sampled_from(["cash", "card", "x"])),
    st.tuples(st.just("refund"), st.integers(0, 2), cents, st.sampled_from(["", "Départ"])),
)


@pytest.fixture(scope="function")
def shop():
    shop = open_shop()
    shop.members = [shop.member() for _ in range(3)]
    return shop


def _run(shop, steps) -> dict:
    """Apply the steps; return what each member should have on their account."""
    expected = {member.pk: D("0") for member in shop.members}
    for kind, who, a, b in steps:
        member = shop.members[who]
        try:
            if kind == "order":
                if Order.objects.active().filter(sale=shop.sale, user=member).exists():
                    continue
                lines = [(shop.products["bread"].pk, D(a))]
                if b:
                    lines.append((shop.products["chicken"].pk, D(b)))
                order_services.order_place(user=member, sale=shop.sale, lines=lines,
                                           pickup_id=shop.open_pickup.pk, slot_id=None)  # fmt: skip
            elif kind == "pay":
                services.payment_record(organisation=shop.organisation, user=member, amount=a,
                                        method=b, by=None)  # fmt: skip
                expected[member.pk] += a
            else:
                credit = selectors.balance(organisation=shop.organisation, user=member)
                services.refund_record(organisation=shop.organisation, user=member, amount=a,
                                       reason=b, by=None)  # fmt: skip
                assert a <= credit  # a refund that passed was within the credit
                expected[member.pk] -= a
        except DomainError:
            continue
    # Distribution day: weigh every chicken, everyone collects, the pickup closes.
    sales_services.sale_close_now(sale=shop.sale)
    for order in Order.objects.active().filter(sale=shop.sale):
        for line in order.lines.filter(variable_weight=True):
            weight = (line.estimated_weight_kg * line.quantity * D("1.07")).quantize(D("0.001"))
            order_services.order_line_weigh(line=line, weighed_kg=weight, by=None)
        order_services.order_set_status(order=order, status="collected", by=None)
    distribution.pickup_close(pickup=shop.open_pickup, by=None)
    for order in Order.objects.active().filter(sale=shop.sale):
        expected[order.user_id] -= order.total
    return expected


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(step, max_size=10))
def test_balances_are_the_sum_of_what_happened(shop, steps):
    with transaction.atomic():
        expected = _run(shop, steps)
        listed = {
            m.user_id: m.balance
            for m in selectors.memberships_with_balance(organisation=shop.organisation)
        }
        for member in shop.members:
            balance = selectors.balance(organisation=shop.organisation, user=member)
            assert balance == expected[member.pk] == listed[member.pk]
        # every order's due is on the account exactly once, for its final total
        for order in Order.objects.active().filter(sale=shop.sale, total__gt=0):
            assert list(
                AccountEntry.objects.filter(order=order, kind="order").values_list("amount",
                                                                                  flat=True)
            ) == [-order.total]  # fmt: skip
        transaction.set_rollback(True)
