"""Orders and revenue per week, against a hand computation, the accounting report, and a
constant number of queries whatever the period."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse

from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.insights.selectors import Filters, weekly_activity
from cabas.money.reports.accounting import sale_accounting
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.sales import services as sales_services
from cabas.sales.models import Sale

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _order(shop, user, lines, pickup=None):
    pickup = pickup or shop.open_pickup
    return order_services.order_place(
        user=user, sale=shop.sale, pickup_id=pickup.pk,
        slot_id=pickup.slots.first().pk if pickup.has_slots else None,
        lines=[(shop.products[name].pk, Decimal(qty)) for name, qty in lines],
    )  # fmt: skip


@pytest.fixture
def shop():
    """An open sale (cutoff tomorrow, the week of 30 November 2026) with three orders:
    bread 4.20 (5.5 %), soap 5.00 (20 %)."""
    shop = open_shop()
    buyers = [shop.member(email=f"client-{n}@example.org") for n in range(3)]
    _order(shop, buyers[0], [("bread", 2)])  # 8.40
    _order(shop, buyers[1], [("bread", 1), ("soap", 1)])  # 4.20 + 5.00
    cancelled = _order(shop, buyers[2], [("soap", 2)])
    order_services.order_cancel(order=cancelled)
    shop.buyers = buyers
    return shop


def test_a_week_by_hand(shop):
    activity = weekly_activity(
        organisation=shop.organisation,
        filters=Filters(start=date(2026, 11, 30), end=date(2026, 12, 6)),
    )
    (week,) = activity.weeks
    assert week.monday == date(2026, 11, 30)
    assert (week.sales, week.orders) == (1, 2)
    # 12.60 at 5.5 % and 5.00 at 20 %: 12.60 / 1.055 = 11.94, 5.00 / 1.2 = 4.17.
    assert week.amount_incl_vat == Decimal("17.60")
    assert week.amount_excl_vat == Decimal("11.94") + Decimal("4.17")
    assert week.last_year_orders is None
    # The same numbers as the sale's accounting report.
    accounting = sale_accounting(sale=shop.sale)
    assert (accounting.amount_incl_vat, accounting.amount_excl_vat) == (
        week.amount_incl_vat,
        week.amount_excl_vat,
    )


def test_filters_by_point_and_producer(shop):
    beekeeper = ProducerFactory(name="Rucher du Cérou")
    ProducerLinkFactory(organisation=shop.organisation, producer=beekeeper)
    other = ProductFactory(
        organisation=shop.organisation, producer=beekeeper, name="Miel", price=Decimal("7.00")
    )
    sales_services.sale_items_sync(sale=shop.sale)
    shop.products["honey"] = other
    _order(shop, shop.member(email="miel@example.org"), [("honey", 1)], pickup=shop.pickup)
    period = {"start": date(2026, 11, 30), "end": date(2026, 12, 6)}
    at_point = weekly_activity(
        organisation=shop.organisation,
        filters=Filters(**period, pickup_point_id=shop.pickup.pickup_point_id),
    )
    assert (at_point.orders, at_point.amount_incl_vat) == (1, Decimal("7.00"))
    farm = weekly_activity(
        organisation=shop.organisation,
        filters=Filters(**period, producer_id=shop.products["bread"].producer_id),
    )
    assert (farm.orders, farm.amount_incl_vat) == (2, Decimal("17.60"))


def test_a_week_counts_only_its_organisations_sales_and_active_orders(shop):
    # Another organisation's sale in the same week, and a sale of ours the week after.
    elsewhere = open_shop()
    _order(elsewhere, elsewhere.member(email="ailleurs@example.org"), [("bread", 3)])
    later = open_shop(organisation=shop.organisation)
    Sale.objects.filter(pk=later.sale.pk).update(
        closes_at=later.sale.closes_at + timedelta(weeks=1)
    )
    _order(later, later.member(email="suivante@example.org"), [("soap", 1)])
    activity = weekly_activity(
        organisation=shop.organisation,
        filters=Filters(start=date(2026, 11, 30), end=date(2026, 12, 13)),
    )
    # The first week as by hand above (the cancelled order's 10.00 of soap left out); the
    # second: one soap, 5.00 incl. VAT, 5.00 / 1.2 = 4.17 excl. VAT.
    assert [(w.monday, w.sales, w.orders, w.amount_incl_vat, w.amount_excl_vat)
            for w in activity.weeks] == [
        (date(2026, 11, 30), 1, 2, Decimal("17.60"), Decimal("16.11")),
        (date(2026, 12, 7), 1, 1, Decimal("5.00"), Decimal("4.17")),
    ]  # fmt: skip


def test_the_same_week_a_year_before(shop):
    sale = Sale.objects.get(pk=shop.sale.pk)
    year = timedelta(weeks=52)
    Sale.objects.filter(pk=sale.pk).update(
        opens_at=sale.opens_at - year, closes_at=sale.closes_at - year
    )
    activity = weekly_activity(
        organisation=shop.organisation,
        filters=Filters(start=date(2026, 11, 30), end=date(2026, 12, 6)),
    )
    (week,) = activity.weeks
    assert (week.orders, week.last_year_orders) == (0, 2)
    assert week.last_year_incl_vat == Decimal("17.60")


def test_queries_do_not_grow_with_the_period(shop, django_assert_num_queries):
    # Each period (this year's, a year before): the split of its sales into live and rolled
    # up, the rolled-up figures, and the live sales' two (none a year before: no live sale).
    for weeks in (1, 520):
        with django_assert_num_queries(6):
            weekly_activity(
                organisation=shop.organisation,
                filters=Filters(start=date(2026, 12, 6) - timedelta(weeks=weeks),
                                end=date(2026, 12, 6)),
            )  # fmt: skip


def test_the_page_its_filters_in_the_url_and_its_files(client, shop):
    shop.organisation.memberships.filter(user=shop.buyers[0]).update(is_coordinator=True)
    client.force_login(shop.buyers[0])
    url = reverse("insights:dashboard", kwargs={"slug": shop.organisation.slug})
    page = client.get(url, {"start": "2026-11-01", "end": "2026-12-06"}).content.decode()
    assert "Commandes et chiffre d’affaires par semaine" in page
    assert '<script id="weekly-data" type="application/json">' in page
    assert '<script id="members-data" type="application/json">' in page
    assert "17,60" in page
    csv = client.get(url, {"start": "2026-11-30", "end": "2026-12-06", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    # The project's CSV for French spreadsheets: semicolons, decimal commas, amounts in cents.
    assert "2026-11-30;1;2;17,60;16,11;;" in csv.content.decode("utf-8-sig")
    for bad in ({"start": "2026-12-06", "end": "2026-11-01"}, {"start": "1900-01-01"},
                {"start": "hier"}, {"point": "99999"}, {"end": "9999-12-31"},
                {"start": "9999-12-01", "end": "9999-12-31"},
                {"start": "0001-01-01", "end": "0001-02-01"}):  # fmt: skip
        assert client.get(url, bad).status_code == 400
    assert client.get(url, {"format": "pdf"}).status_code == 404


def test_a_period_ending_midweek_covers_its_whole_week(shop):
    # Today is Wednesday 2 December; the sale closes on Thursday 3: same week, counted.
    activity = weekly_activity(
        organisation=shop.organisation,
        filters=Filters(start=date(2026, 12, 2), end=date(2026, 12, 2)),
    )
    assert [(week.monday, week.orders) for week in activity.weeks] == [(date(2026, 11, 30), 2)]


def test_pickup_points_and_producers_shares_by_hand(shop):
    from cabas.insights.selectors import points_activity, producers_activity

    _order(shop, shop.member(email="creneau@example.org"), [("bread", 1)], pickup=shop.pickup)
    filters = Filters(start=date(2026, 11, 30), end=date(2026, 12, 6))
    points = points_activity(organisation=shop.organisation, filters=filters)
    # The open pickup: 8.40 + 9.20 (2 orders), the pickup with slots: 4.20 (1 order).
    assert [(p.name, p.orders, p.amount_incl_vat, p.average, p.share) for p in points] == [
        (shop.open_pickup.pickup_point.name, 2, Decimal("17.60"), Decimal("8.80"),
         Decimal("80.7")),
        (shop.pickup.pickup_point.name, 1, Decimal("4.20"), Decimal("4.20"), Decimal("19.3")),
    ]  # fmt: skip
    # Each point was offered in the one sale: its orders per sale, and its first pickup's day.
    assert [(p.sales, p.per_sale, p.weeks, p.opened) for p in points] == [
        (1, Decimal("2.0"), 1, shop.open_pickup.starts_at.astimezone(PARIS).date()),
        (1, Decimal("1.0"), 1, shop.pickup.starts_at.astimezone(PARIS).date()),
    ]
    (farm,) = producers_activity(organisation=shop.organisation, filters=filters)
    assert (farm.orders, farm.buyers, farm.amount_incl_vat, farm.share) == (
        3, 3, Decimal("21.80"), Decimal("100.0"),
    )  # fmt: skip


def test_the_dashboard_queries_do_not_grow_with_points_and_producers(
    client, shop, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    shop.organisation.memberships.filter(user=shop.buyers[0]).update(is_coordinator=True)
    client.force_login(shop.buyers[0])
    url = reverse("insights:dashboard", kwargs={"slug": shop.organisation.slug})
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        other = open_shop(organisation=shop.organisation)
        _order(other, other.member(email=f"autre-{n}@example.org"), [("bread", 1)])
    cache.clear()  # the figures computed again (not the snapshot kept: test_snapshots.py)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


def test_members_new_returning_and_lapsed_by_hand(shop):
    from cabas.insights.selectors import LAPSED_AFTER_WEEKS, members_activity

    # A second sale ten weeks later: buyer 0 again (returning) and a newcomer.
    later = open_shop(organisation=shop.organisation)
    ten_weeks = timedelta(weeks=10)
    Sale.objects.filter(pk=later.sale.pk).update(
        opens_at=later.sale.opens_at - timedelta(days=2),
        closes_at=later.sale.closes_at + ten_weeks,
    )
    _order(later, shop.buyers[0], [("bread", 1)])
    _order(later, later.member(email="nouvelle@example.org"), [("bread", 1)])
    weeks = members_activity(
        organisation=shop.organisation,
        filters=Filters(start=date(2026, 11, 30), end=date(2026, 11, 30) + ten_weeks),
    )
    by_week = {week.monday: week for week in weeks}
    first, tenth = by_week[date(2026, 11, 30)], by_week[date(2026, 11, 30) + ten_weeks]
    assert (first.buyers, first.new, first.returning) == (2, 2, 0)
    assert (tenth.buyers, tenth.new, tenth.returning) == (2, 1, 1)
    # Buyer 1 ordered only in the first week: lapsed LAPSED_AFTER_WEEKS weeks later.
    lapsed = by_week[date(2026, 11, 30) + timedelta(weeks=LAPSED_AFTER_WEEKS)]
    assert lapsed.lapsed == 1
    assert sum(week.lapsed for week in weeks) == 1


def test_slots_occupancy_by_local_time_and_no_shows_by_hand(shop):
    from cabas.insights.selectors import slots_activity
    from cabas.orders.models import Order

    # Two orders in the first slot of the pickup with slots (capacity 5), none in the others.
    for n in range(2):
        order = order_services.order_place(
            user=shop.member(email=f"creneau-{n}@example.org"), sale=shop.sale,
            pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
            lines=[(shop.products["bread"].pk, Decimal(1))],
        )  # fmt: skip
        status = Order.Status.NO_SHOW if n == 0 else Order.Status.COLLECTED
        Order.objects.filter(pk=order.pk).update(status=status)
    heat = slots_activity(
        organisation=shop.organisation,
        filters=Filters(start=date(2026, 11, 30), end=date(2026, 12, 6)),
    )
    first = timezone_label(shop.slots[0].starts_at)
    assert heat.times[0] == first and len(heat.times) == 4
    (row,) = heat.rows  # the open pickup has no slots
    assert row.name == shop.pickup.pickup_point.name
    assert row.cells == [40, 0, 0, 0]
    assert row.no_show_rate == Decimal("50.0")


def timezone_label(moment) -> str:
    return moment.astimezone(PARIS).strftime("%H:%M")


def test_the_points_map_has_the_points_with_coordinates_and_their_orders(shop):
    from cabas.insights.selectors import points_activity, points_map

    point = shop.open_pickup.pickup_point
    point.latitude, point.longitude = Decimal("44.0533"), Decimal("1.9531")
    point.save(update_fields=["latitude", "longitude"])
    _order(shop, shop.member(email="creneau@example.org"), [("bread", 1)], pickup=shop.pickup)
    shares = points_activity(
        organisation=shop.organisation,
        filters=Filters(start=date(2026, 11, 30), end=date(2026, 12, 6)),
    )
    # The point with slots has no coordinates: on the table, not on the map.
    assert points_map(shares) == [
        {"id": point.pk, "name": point.name, "lat": 44.0533, "lng": 1.9531, "orders": 2}
    ]


def test_a_temporary_producers_weeks_and_trend(shop):
    from cabas.catalog.models import ProducerLink
    from cabas.insights.selectors import producers_activity

    farm = shop.products["bread"].producer
    ProducerLink.objects.filter(organisation=shop.organisation, producer=farm).update(
        status=ProducerLink.Status.TEMPORARY, end_date=date(2027, 3, 31)
    )
    # The sale of 3 December is in the second half of 2 November – 6 December: no first half.
    (share,) = producers_activity(
        organisation=shop.organisation,
        filters=Filters(start=date(2026, 11, 2), end=date(2026, 12, 6)),
    )
    assert (share.weeks, share.trend, share.temporary) == (1, None, True)
    # The same sale a month earlier, in the first half: from 17.60 to nothing, -100 %.
    sale = Sale.objects.get(pk=shop.sale.pk)
    month = timedelta(weeks=4)
    Sale.objects.filter(pk=sale.pk).update(
        opens_at=sale.opens_at - month, closes_at=sale.closes_at - month
    )
    (share,) = producers_activity(
        organisation=shop.organisation,
        filters=Filters(start=date(2026, 11, 2), end=date(2026, 12, 6)),
    )
    assert (share.weeks, share.amount_incl_vat) == (1, Decimal("17.60"))
    assert share.trend == Decimal("-100")
