"""The dashboards' bench: the history it writes in SQL is what the services would have
written (counters, totals, one active order per member and sale, the accounting report's
amounts), and every variant of the dashboards answers. PostgreSQL only, as the bench."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, F, Q, Sum

from bench.dashboard import dashboards_time
from bench.history import history_build
from cabas.insights import rolled
from cabas.insights.models import SaleRollup
from cabas.insights.producer import producer_sales
from cabas.insights.selectors import (
    Filters,
    members_activity,
    points_activity,
    producers_activity,
    weekly_activity,
)
from cabas.money.reports.accounting import sale_accounting
from cabas.orders.models import Order, OrderLine
from cabas.sales.models import Pickup, Sale, SaleItem, Slot

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the history is PostgreSQL SQL"),
]


@pytest.fixture
def history():
    return history_build(
        weeks=3, orders_per_sale=40, members=100, window=60, producers=4, points=2, seed=3
    )


def test_the_history_is_what_the_services_would_have_written(history):
    organisation = history.organisation
    sales = list(Sale.objects.filter(organisation=organisation).order_by("closes_at"))
    assert (len(sales), history.orders) == (3, 120)
    assert history.lines == OrderLine.objects.filter(organisation=organisation).count()
    orders = Order.objects.filter(organisation=organisation)
    totals = orders.annotate(lines_total=Sum("lines__amount"))
    assert not totals.exclude(total=F("lines_total")).exists()
    active = orders.exclude(status=Order.Status.CANCELLED)
    # One active order per member and sale; numbers 1…40 in each sale.
    assert not active.values("sale", "user").annotate(n=Count("pk")).filter(n__gt=1).exists()
    for sale in sales:
        numbers = sorted(orders.filter(sale=sale).values_list("number", flat=True))
        assert numbers == list(range(1, 41))
    for slot in Slot.objects.filter(organisation=organisation):
        assert slot.booked == active.filter(slot=slot).count() <= slot.capacity
    for pickup in Pickup.objects.filter(organisation=organisation):
        assert pickup.booked == active.filter(pickup=pickup).count()
        assert pickup.slots.count() == 12
    for item in SaleItem.objects.filter(organisation=organisation, quantity_ordered__gt=0)[:20]:
        ordered = OrderLine.objects.filter(
            Q(sale_item=item), ~Q(order__status=Order.Status.CANCELLED)
        ).aggregate(q=Sum("quantity"))["q"]
        assert item.quantity_ordered == ordered
    # Each week's figures are its sale's accounting report.
    activity = weekly_activity(
        organisation=organisation,
        filters=Filters(start=sales[0].closes_at.date(), end=sales[-1].closes_at.date()),
    )
    weeks = [week for week in activity.weeks if week.sales]
    assert len(weeks) == 3
    for week, sale in zip(weeks, sales, strict=True):
        report = sale_accounting(sale=sale)
        assert (week.amount_incl_vat, week.amount_excl_vat) == (
            report.amount_incl_vat,
            report.amount_excl_vat,
        )
        assert week.amount_incl_vat > Decimal("0")


def test_every_variant_of_the_dashboards_answers(history):
    figures = dashboards_time(history, runs=1, host="testserver")
    assert set(figures["variants"]) == {
        "default_26_weeks", "whole_history", "point_filter", "producer_filter",
        "producer_dashboard", "producer_dashboard_whole",
    }  # fmt: skip
    for row in figures["variants"].values():
        assert row["queries"] > 0 and row["bytes"] > 0


def test_the_rollup_gives_the_live_figures_on_the_history(history):
    """Every rolled-up figure of the generated history equals the live one (every sale's
    rollup marked stale: read live), with each filter."""
    organisation = history.organisation
    sales = list(Sale.objects.filter(organisation=organisation).order_by("closes_at"))
    start, end = sales[0].closes_at.date(), sales[-1].closes_at.date()
    assert rolled.live_sales(organisation, start, end) == []

    def everything():
        figures = []
        for extra in ({}, {"pickup_point_id": history.point_ids[1]},
                      {"producer_id": history.producer_ids[0]},
                      {"pickup_point_id": history.point_ids[0],
                       "producer_id": history.producer_ids[1]}):  # fmt: skip
            filters = Filters(start=start, end=end, **extra)
            for selector in (weekly_activity, points_activity, producers_activity,
                             members_activity, producer_sales):  # fmt: skip
                figures.append(selector(organisation=organisation, filters=filters))
        return figures

    rolled_up = everything()
    SaleRollup.objects.filter(sale__organisation=organisation).update(fresh=False)
    assert len(rolled.live_sales(organisation, start, end)) == 3
    assert everything() == rolled_up
    # Half rolled up, half live (the middle sale stale).
    SaleRollup.objects.filter(sale__in=sales[::2]).update(fresh=True)
    assert everything() == rolled_up
