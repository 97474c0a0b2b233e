"""Every number of the dashboard equals the same number in the accounting and summary
reports, on the demo: per week, the accounting report's totals of that week's sales; per
producer, the payouts report's sales; per pickup point, the check-in lists' orders."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Max, Min
from django.utils import timezone

from cabas.demo.seed import demo_seed
from cabas.distribution.selectors import checkin_orders
from cabas.insights import selectors
from cabas.money.reports.accounting import producer_payouts, sale_accounting
from cabas.orgs.models import Organisation
from cabas.sales.models import Pickup, Sale

pytestmark = pytest.mark.django_db
ZERO = Decimal("0.00")
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def _whole_period(organisation) -> selectors.Filters:
    bounds = Sale.objects.filter(organisation=organisation).aggregate(
        first=Min("closes_at"), last=Max("closes_at")
    )
    zone = organisation.tzinfo
    return selectors.Filters(
        start=timezone.localdate(bounds["first"], zone),
        end=timezone.localdate(bounds["last"], zone),
    )


def test_the_dashboard_equals_the_accounting_and_summary_reports_on_the_demo():
    demo_seed(now=NOW)
    for slug in ("paniers-du-segala", "epicerie-du-panier"):
        _check_against_reports(Organisation.objects.get(slug=slug))


def _check_against_reports(collective):
    filters = _whole_period(collective)
    zone = collective.tzinfo
    incl: dict = defaultdict(lambda: ZERO)
    excl: dict = defaultdict(lambda: ZERO)
    producers: dict = defaultdict(lambda: ZERO)
    sales = list(Sale.objects.filter(organisation=collective).order_by("closes_at"))
    assert len(sales) >= 3  # the demo's story has several sales
    for sale in sales:
        day = timezone.localdate(sale.closes_at, zone)
        monday = day - timedelta(days=day.weekday())
        accounting = sale_accounting(sale=sale)
        incl[monday] += sum((total.amount_incl_vat for total in accounting.vat_totals), ZERO)
        excl[monday] += sum((total.amount_excl_vat for total in accounting.vat_totals), ZERO)
        for row in producer_payouts(sale=sale).rows:
            producers[row.producer_id] += row.sales_incl_vat

    activity = selectors.weekly_activity(organisation=collective, filters=filters)
    assert {w.monday: w.amount_incl_vat for w in activity.weeks if w.orders} == {
        monday: amount for monday, amount in incl.items() if amount
    }
    assert {w.monday: w.amount_excl_vat for w in activity.weeks if w.orders} == {
        monday: amount for monday, amount in excl.items() if amount
    }
    assert activity.amount_incl_vat > 0

    shares = selectors.producers_activity(organisation=collective, filters=filters)
    assert {share.key: share.amount_incl_vat for share in shares} == {
        key: amount for key, amount in producers.items() if amount
    }

    # Each pickup point's orders: the check-in lists of its pickups, added up.
    points: dict = defaultdict(int)
    for pickup in Pickup.objects.filter(sale__in=sales):
        count = checkin_orders(pickup=pickup).count()
        if count:
            points[pickup.pickup_point_id] += count
    shown = selectors.points_activity(organisation=collective, filters=filters)
    assert {share.key: share.orders for share in shown} == dict(points)
    assert sum(share.orders for share in shown) == activity.orders
