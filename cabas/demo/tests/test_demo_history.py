"""The demo's generated history tells the dashboards' story (issue 19): two years of weekly
sales for the collective with the lockdown's wave and the Salles point opening in May, a
year of drive days for the coop, and nothing added when the demo is loaded again."""

from datetime import date, timedelta
from statistics import mean

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from cabas.catalog.models import Product, StockMovement
from cabas.demo.history_rows import HISTORY_MARK
from cabas.demo.seed import demo_seed
from cabas.money.models import AccountEntry, MembershipPeriod, ShareMovement
from cabas.orders.models import Order, OrderLine
from cabas.orgs.models import Organisation
from cabas.sales.models import Sale, Slot

pytestmark = pytest.mark.django_db


def _weekly_orders(organisation) -> dict[date, int]:
    """Orders of the generated sales by the local day of their cutoff."""
    rows = (
        Order.objects.active()
        .filter(organisation=organisation, sale__title__endswith=HISTORY_MARK)
        .values("sale_id", "sale__closes_at")
        .annotate(count=Count("pk"))
    )
    return {
        timezone.localdate(row["sale__closes_at"], organisation.tzinfo): row["count"]
        for row in rows
    }


def _totals():
    return (
        Sale.objects.count(),
        Order.objects.count(),
        OrderLine.objects.count(),
        AccountEntry.objects.count(),
        StockMovement.objects.count(),
        MembershipPeriod.objects.count(),
    )


def test_the_history_has_the_wave_salles_opening_in_may_and_a_year_of_drive():
    demo_seed()
    today = timezone.localdate()
    collective = Organisation.objects.get(slug="paniers-du-segala")
    weeks = _weekly_orders(collective)
    assert len(weeks) == 104  # two years of Friday sales
    first, last = min(weeks), max(weeks)
    assert first <= today - timedelta(days=2 * 364) and last < today - timedelta(days=7)
    # The lockdown: March to May of the first spring of the history.
    march = date(first.year, 3, 1) if first.month < 3 else date(first.year + 1, 3, 1)
    before = [count for day, count in weeks.items() if day < march]
    wave = [count for day, count in weeks.items() if march <= day < date(march.year, 6, 1)]
    assert max(wave) >= 5 * mean(before)
    assert len([count for count in wave if count >= 5 * mean(before)]) >= 4
    after = [count for day, count in weeks.items() if day >= date(march.year, 7, 1)]
    assert mean(before) < mean(after) < 2 * mean(before)  # settled higher than before

    # Salles: no order before May of that year, orders every week after.
    salles = Order.objects.filter(organisation=collective, pickup__pickup_point__town="Salles")
    opening = date(march.year, 5, 1)
    closes = [
        timezone.localdate(moment, collective.tzinfo)
        for moment in salles.values_list("sale__closes_at", flat=True)
    ]
    assert min(closes) >= opening - timedelta(days=2)  # its first Friday is in May
    assert salles.filter(sale__title__endswith=HISTORY_MARK).count() >= 100

    # Slots booked as the orders say; nobody owes for the past.
    history_slots = Slot.objects.filter(pickup__sale__title__endswith=HISTORY_MARK)
    booked = history_slots.aggregate(total=Sum("booked"))["total"]
    assert booked == Order.objects.filter(sale__title__endswith=HISTORY_MARK).count()
    past = AccountEntry.objects.filter(order__sale__title__endswith=HISTORY_MARK)
    assert past.aggregate(total=Sum("amount"))["total"] == 0

    # The coop: a year of drive days, its stock's ledger still adding up.
    coop = Organisation.objects.get(slug="epicerie-du-panier")
    days = _weekly_orders(coop)
    assert min(days) <= today - timedelta(days=357) and max(days) < today
    assert sum(days.values()) >= 1500
    shop = Product.objects.filter(organisation=coop, stock_mode=Product.StockMode.SHOP)
    sums = dict(
        StockMovement.objects.filter(product__in=shop)
        .values_list("product")
        .annotate(total=Sum("delta"))
    )
    assert {p.pk: p.stock_quantity for p in shop if p.stock_quantity} == {
        pk: total for pk, total in sums.items() if total
    }
    assert not StockMovement.objects.filter(product__in=shop, quantity_after__lt=0).exists()
    shares_on = set(ShareMovement.objects.filter(organisation=coop).values_list("on", flat=True))
    assert min(shares_on) <= today - timedelta(days=300) and len(shares_on) > 50

    # Loaded again: nothing more.
    before_again = _totals()
    report = demo_seed()
    assert _totals() == before_again
    assert not any(report.created.values())
