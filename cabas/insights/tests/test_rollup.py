"""The dashboards' rollup: every figure read from it equals the live one, and stays equal to
the live truth after the changes made to a closed sale (weighed, missing, corrected,
repriced): the change marks the rollup stale in its own transaction, the page then reads the
sale live, and the worker's refresh makes it fresh again with the same numbers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.core.tests.locks import locks_of, skip_unless_postgresql
from cabas.insights import rolled, rollup, tasks
from cabas.insights.models import SaleBuyer, SaleFigures, SaleMember, SaleRollup
from cabas.insights.producer import producer_sales
from cabas.insights.selectors import (
    Filters,
    members_activity,
    points_activity,
    producers_activity,
    products_activity,
    slots_activity,
    weekly_activity,
)
from cabas.money.reports.accounting import sale_accounting
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.sales import services as sales_services
from cabas.sales.models import Sale

pytestmark = pytest.mark.django_db
ROLLUPS = "dashboards' rollups"
D = Decimal
WEEK = {"start": date(2026, 11, 30), "end": date(2026, 12, 6)}


def _order(shop, user, lines, pickup):
    return order_services.order_place(
        user=user, sale=shop.sale, pickup_id=pickup.pk,
        slot_id=pickup.slots.first().pk if pickup.has_slots else None,
        lines=[(shop.products[name].pk, D(qty)) for name, qty in lines],
    )  # fmt: skip


@pytest.fixture
def shop():
    """A sale at two pickup points, two producers, two VAT rates (bread 5.5 %, soap 20 %),
    a variable-weight chicken; a member ordering twice from the farm (buyers are distinct);
    a cancelled order; then the sale past its cutoff."""
    shop = open_shop()
    beekeeper = ProducerFactory(name="Rucher des Causses")
    ProducerLinkFactory(organisation=shop.organisation, producer=beekeeper)
    shop.products["honey"] = ProductFactory(
        organisation=shop.organisation, producer=beekeeper, name="Miel", price=D("9.00")
    )
    sales_services.sale_items_sync(sale=shop.sale)
    buyers = [shop.member(email=f"client-{n}@example.org") for n in range(4)]
    shop.orders = [
        _order(shop, buyers[0], [("bread", 2), ("chicken", 2), ("honey", 1)], shop.open_pickup),
        _order(shop, buyers[1], [("bread", 1), ("soap", 1)], shop.pickup),
        _order(shop, buyers[3], [("honey", 2), ("soap", 1)], shop.pickup),
    ]
    order_services.order_cancel(order=_order(shop, buyers[2], [("soap", 2)], shop.open_pickup))
    Sale.objects.filter(pk=shop.sale.pk).update(status=Sale.Status.CLOSED)
    shop.farm, shop.beekeeper = shop.products["bread"].producer, beekeeper
    return shop


def _everything(shop) -> list:
    """Every rolled-up figure of the coordinators' dashboard: without filters, at each point,
    for each producer, and both."""
    results = []
    point_ids = [shop.pickup.pickup_point_id, shop.open_pickup.pickup_point_id]
    variants = [{}] + [{"pickup_point_id": p} for p in point_ids]
    variants += [{"producer_id": p.pk} for p in (shop.farm, shop.beekeeper)]
    variants += [{"pickup_point_id": point_ids[0], "producer_id": shop.beekeeper.pk}]
    for extra in variants:
        for period in (WEEK, {"start": date(2024, 1, 1), "end": date(2027, 6, 30)}):
            filters = Filters(**period, **extra)
            for selector in (weekly_activity, points_activity, producers_activity,
                             members_activity, producer_sales, products_activity):  # fmt: skip
                results.append(selector(organisation=shop.organisation, filters=filters))
    return results


def _fresh(shop) -> bool:
    return SaleRollup.objects.filter(sale=shop.sale, fresh=True).exists()


def test_the_rollup_gives_the_live_figures(shop):
    live = _everything(shop)
    assert rollup.sale_rollup_refresh(sale_id=shop.sale.pk)
    assert _fresh(shop)
    assert rolled.live_sales(shop.organisation, WEEK["start"], WEEK["end"]) == []
    assert _everything(shop) == live
    # By hand: 3 active orders, 3 buyers; at the farm's: orders 1 and 2 (bread, chicken,
    # soap), the beekeeper's orders 1 and 3.
    week = weekly_activity(organisation=shop.organisation, filters=Filters(**WEEK)).weeks[0]
    assert (week.sales, week.orders) == (1, 3)
    producers = {s.key: s for s in producers_activity(organisation=shop.organisation,
                                                       filters=Filters(**WEEK))}  # fmt: skip
    assert (producers[shop.farm.pk].orders, producers[shop.farm.pk].buyers) == (3, 3)
    assert (producers[shop.beekeeper.pk].orders, producers[shop.beekeeper.pk].buyers) == (2, 2)
    assert producers[shop.beekeeper.pk].amount_incl_vat == D("27.00")
    products = {s.name: s for s in products_activity(organisation=shop.organisation,
                                                      filters=Filters(**WEEK))}  # fmt: skip
    # Honey: two orders, two buyers, 1 + 2 jars at 9.00.
    assert (products["Miel"].orders, products["Miel"].buyers) == (2, 2)
    assert products["Miel"].amount_incl_vat == D("27.00")
    accounting = sale_accounting(sale=shop.sale)
    assert (week.amount_incl_vat, week.amount_excl_vat) == (
        accounting.amount_incl_vat, accounting.amount_excl_vat,
    )  # fmt: skip
    # Idempotent: a second refresh writes the same rows.
    counts = [m.objects.count() for m in (SaleFigures, SaleBuyer, SaleMember)]
    assert rollup.sale_rollup_refresh(sale_id=shop.sale.pk)
    assert [m.objects.count() for m in (SaleFigures, SaleBuyer, SaleMember)] == counts
    assert _everything(shop) == live


def _changes(shop):
    """Each change a closed sale's lines can still have (by a coordinator on distribution
    day), in turn."""
    first, second, third = shop.orders
    yield lambda: order_services.order_line_weigh(
        line=first.lines.get(product_name__startswith="Poulet"), weighed_kg=D("3.412"), by=None
    )
    yield lambda: order_services.order_line_mark_missing(
        line=second.lines.get(product_name__startswith="Savon"), by=None
    )
    yield lambda: order_services.order_line_add(
        order=third, product=shop.products["bread"], quantity=D(3), by=None, reason="phone"
    )
    yield lambda: order_services.order_line_remove(
        line=first.lines.get(product_name="Miel"), by=None, reason="broken jar"
    )
    item = shop.sale.items.get(product=shop.products["honey"])
    yield lambda: order_services.sale_item_set_price(
        item=item, price=D("8.50"), by=None, reason="wrong price"
    )


def test_every_change_after_the_cutoff_marks_it_stale_and_the_page_reads_it_live(shop):
    rollup.sale_rollup_refresh(sale_id=shop.sale.pk)
    before = _everything(shop)
    for change in _changes(shop):
        change()
        assert not _fresh(shop)  # in the change's transaction
        stale = _everything(shop)
        assert stale != before  # the figures moved, and are read live
        week = weekly_activity(organisation=shop.organisation, filters=Filters(**WEEK)).weeks[0]
        accounting = sale_accounting(sale=shop.sale)
        assert (week.amount_incl_vat, week.amount_excl_vat) == (
            accounting.amount_incl_vat, accounting.amount_excl_vat,
        )  # fmt: skip
        assert rollup.rollups_due() == [shop.sale.pk]
        assert tasks.rollups_sweep.call() == 1  # the worker's sweep
        assert _fresh(shop)
        assert _everything(shop) == stale
        before = stale


def test_the_rollup_is_the_last_lock_of_the_global_order(shop):
    """Each change marks the rollup stale after its other locks; the refresh takes the
    rollup's row alone (cabas/core/lock_order.py)."""
    skip_unless_postgresql()
    rollup.sale_rollup_refresh(sale_id=shop.sale.pk)
    for change in _changes(shop):
        _result, recording = locks_of(change)
        assert recording.ranks()[-1] == ROLLUPS and recording.ranks().count(ROLLUPS) == 1
        _result, recording = locks_of(lambda: rollup.sale_rollup_refresh(sale_id=shop.sale.pk))
        assert recording.ranks() == [ROLLUPS]


def test_a_refresh_that_fails_midway_leaves_the_old_state(shop, monkeypatch):
    rollup.sale_rollup_refresh(sale_id=shop.sale.pk)
    rows = SaleFigures.objects.count()
    before = _everything(shop)

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(SaleBuyer.objects, "bulk_create", crash)
    with pytest.raises(RuntimeError):
        rollup.sale_rollup_refresh(sale_id=shop.sale.pk)
    assert _fresh(shop) and SaleFigures.objects.count() == rows
    assert _everything(shop) == before


def test_an_open_sale_has_no_rollup(shop):
    Sale.objects.filter(pk=shop.sale.pk).update(status=Sale.Status.OPEN)
    assert not rollup.sale_rollup_refresh(sale_id=shop.sale.pk)
    assert not SaleRollup.objects.exists() and rollup.rollups_due() == []


def test_queries_do_not_grow_with_the_period(shop, django_assert_num_queries):
    rollup.sale_rollup_refresh(sale_id=shop.sale.pk)
    for weeks in (1, 520):
        filters = Filters(start=WEEK["end"] - timedelta(weeks=weeks), end=WEEK["end"])
        # Weekly: per period (and a year before) the split and the rolled-up figures.
        with django_assert_num_queries(4):
            weekly_activity(organisation=shop.organisation, filters=filters)
        # The split, the rolled-up figures, the buyers (no live sale: no live lines).
        with django_assert_num_queries(4):
            producers_activity(organisation=shop.organisation, filters=filters)
        with django_assert_num_queries(4):
            points_activity(organisation=shop.organisation, filters=filters)
        with django_assert_num_queries(4):
            members_activity(organisation=shop.organisation, filters=filters)
        with django_assert_num_queries(2):  # the split, the rolled-up rows
            producer_sales(organisation=shop.organisation, filters=filters)
        with django_assert_num_queries(1):  # the rolled-up rows and the live lines
            products_activity(organisation=shop.organisation, filters=filters)
        with django_assert_num_queries(2):  # the slots, the handouts rolled up and live
            slots_activity(organisation=shop.organisation, filters=filters)


def test_the_command_takes_up_the_closed_sales_without_a_fresh_rollup(shop):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rollups_sweep", stdout=out)
    assert _fresh(shop) and "rollups refreshed: 1" in out.getvalue()
    assert rollup.rollups_due() == []


def _sums_from_orders(shop) -> tuple[dict, dict]:
    """From the sale's active orders and their lines: per point, its amount per rate and its
    orders; per producer, its amount per rate and the orders with its lines."""
    from cabas.orders.models import Order, OrderLine

    active = Order.objects.filter(sale=shop.sale).exclude(status=Order.Status.CANCELLED)
    lines = OrderLine.objects.filter(order__in=active)
    points: dict = {}
    for point, rate, amount in lines.values_list("order__pickup__pickup_point_id", "vat_rate",
                                                 "amount"):  # fmt: skip
        points.setdefault(point, [{}, 0])[0].setdefault(rate, D(0))
        points[point][0][rate] += amount
    for point in active.values_list("pickup__pickup_point_id", flat=True):
        points.setdefault(point, [{}, 0])[1] += 1
    producers: dict = {}
    for producer, rate, amount in lines.values_list("producer_id", "vat_rate", "amount"):
        producers.setdefault(producer, [{}, set()])[0].setdefault(rate, D(0))
        producers[producer][0][rate] += amount
    for producer, order in lines.values_list("producer_id", "order_id"):
        producers[producer][1].add(order)
    return ({p: (a, n) for p, (a, n) in points.items()},
            {p: (a, len(o)) for p, (a, o) in producers.items()})  # fmt: skip


def _sums_rolled_up(shop) -> tuple[dict, dict]:
    from cabas.insights.models import SalePointFigures, SaleProducerFigures

    points: dict = {}
    for row in SalePointFigures.objects.filter(rollup_id=shop.sale.pk):
        one = points.setdefault(row.pickup_point_id, [{}, 0])
        if row.vat_rate is not None:
            one[0][row.vat_rate] = row.amount
        one[1] += row.point_orders
    producers: dict = {}
    for row in SaleProducerFigures.objects.filter(rollup_id=shop.sale.pk):
        one = producers.setdefault(row.producer_id, [{}, 0])
        one[0][row.vat_rate] = row.amount
        one[1] += row.orders
    return ({p: (a, n) for p, (a, n) in points.items()},
            {p: (a, n) for p, (a, n) in producers.items()})  # fmt: skip


def test_the_sums_per_point_and_per_producer_are_the_orders_after_each_change(shop):
    """The coarser rollups (per point, per producer) hold what the orders say, after the
    orders placed and the one cancelled, then after each change and the worker's refresh."""
    rollup.sale_rollup_refresh(sale_id=shop.sale.pk)
    assert _sums_rolled_up(shop) == _sums_from_orders(shop)
    assert _sums_from_orders(shop)[0][shop.pickup.pickup_point_id][1] == 2  # cancelled: not
    for change in _changes(shop):
        change()
        assert tasks.rollups_sweep.call() == 1
        assert _sums_rolled_up(shop) == _sums_from_orders(shop)


def _next_sale(shop, weeks: int, orders) -> Sale:
    """A sale ``weeks`` after the shop's, at its points, with its products: ``orders`` as
    (buyer, lines, pickup name); then past its cutoff."""
    from cabas.sales.models import Pickup

    sale = sales_services.sale_create(
        organisation=shop.organisation, title=f"Vente + {weeks}",
        opens_at=shop.sale.opens_at, closes_at=shop.sale.closes_at,
    )  # fmt: skip
    sales_services.sale_items_sync(sale=sale)
    for pickup in (shop.pickup, shop.open_pickup):
        sales_services.pickup_create(
            sale=sale, pickup_point=pickup.pickup_point,
            starts_at=pickup.starts_at + timedelta(hours=3 * weeks),
            ends_at=pickup.ends_at + timedelta(hours=3 * weeks), slot_mode=pickup.slot_mode,
            slot_minutes=pickup.slot_minutes, slot_capacity=pickup.slot_capacity,
        )  # fmt: skip
    sales_services.sale_open_now(sale=sale)
    sale.refresh_from_db()
    for user, lines, name in orders:
        pickup = Pickup.objects.get(sale=sale, pickup_point=getattr(shop, name).pickup_point)
        order_services.order_place(
            user=user, sale=sale, pickup_id=pickup.pk,
            slot_id=pickup.slots.first().pk if pickup.has_slots else None,
            lines=[(shop.products[product].pk, D(qty)) for product, qty in lines],
        )  # fmt: skip
    Sale.objects.filter(pk=sale.pk).update(
        status=Sale.Status.CLOSED, closes_at=sale.closes_at + timedelta(weeks=weeks)
    )
    return sale


def _buyers(shop) -> list:
    """The buyers per producer, per point and per product (with its revenue) over periods
    starting before, in and after the three sales' weeks, at every filter."""
    points = [shop.pickup.pickup_point_id, shop.open_pickup.pickup_point_id]
    variants = [{}, *({"pickup_point_id": p} for p in points),
                *({"producer_id": p.pk} for p in (shop.farm, shop.beekeeper)),
                {"pickup_point_id": points[1], "producer_id": shop.farm.pk}]  # fmt: skip
    monday = WEEK["start"]
    periods = [(monday, monday + timedelta(weeks=2, days=6)), (monday + timedelta(weeks=1),
               monday + timedelta(weeks=2, days=6)), (monday + timedelta(weeks=2),) * 2,
               (monday - timedelta(weeks=4), monday + timedelta(weeks=1, days=6))]  # fmt: skip
    return [
        sorted((share.key, share.buyers, share.orders, share.amount_incl_vat) for share in
               selector(organisation=shop.organisation, filters=Filters(start, end, **extra)))
        for extra in variants for start, end in periods
        for selector in (points_activity, producers_activity, products_activity)
    ]  # fmt: skip


def _previous() -> list:
    buyers = SaleBuyer.objects.values_list("pk", "producer_previous", "point_previous")
    return sorted(buyers) + sorted(SaleMember.objects.values_list("pk", "point_previous"))


def test_the_buyers_counted_by_their_first_rows_are_the_live_ones_whatever_the_order(shop):
    """The buyers of the rolled-up sales are counted as the rows whose previous row of the
    pair is before the period (``rolled.first_rows``): equal to the live count, with the
    sales rolled up in any order, one in the middle not rolled up, stale, then rolled up
    again without a pair it had; the previous rows are those a full relink gives."""

    first, second, fourth = shop.orders[0].user, shop.orders[1].user, shop.orders[2].user
    middle = _next_sale(shop, 1, [(first, [("bread", 1)], "pickup"),
                                  (second, [("honey", 1)], "open_pickup")])  # fmt: skip
    last = _next_sale(shop, 2, [(first, [("honey", 1), ("bread", 1)], "open_pickup"),
                                (fourth, [("soap", 1)], "pickup")])  # fmt: skip
    live = _buyers(shop)
    assert any(count[1] for rows in live for count in rows)
    for sale in (last, shop.sale):  # out of order, the middle one read live
        assert rollup.sale_rollup_refresh(sale_id=sale.pk)
        assert _buyers(shop) == live
    assert rollup.sale_rollup_refresh(sale_id=middle.pk)
    assert _buyers(shop) == live
    linked = _previous()
    rollup.chains_link(organisation_id=shop.organisation.pk)
    assert _previous() == linked
    assert SaleBuyer.objects.filter(producer_previous__isnull=False).exists()
    # The first member's bread of the middle sale removed: its (farm, member) pair is no
    # longer in that sale; stale (read live, the rows after it not chained to fresh ones).
    order_services.order_line_remove(
        line=middle.orders.get(user=first).lines.get(), by=None, reason="rupture"
    )
    assert not SaleRollup.objects.get(sale=middle).fresh
    assert not rolled.live_sales(shop.organisation, WEEK["start"], date(2026, 12, 20)).linked
    changed = _buyers(shop)
    assert changed != live
    assert rollup.sale_rollup_refresh(sale_id=middle.pk)
    assert _buyers(shop) == changed
    linked = _previous()
    rollup.chains_link(organisation_id=shop.organisation.pk)
    assert _previous() == linked
    # Reopened: its rollup removed, the rows after it chained past it, read live.
    Sale.objects.filter(pk=middle.pk).update(status=Sale.Status.OPEN)
    assert not rollup.sale_rollup_refresh(sale_id=middle.pk)
    assert not SaleBuyer.objects.filter(rollup_id=middle.pk).exists()
    assert rolled.live_sales(shop.organisation, WEEK["start"], date(2026, 12, 20)).linked
    assert _buyers(shop) == changed
    linked = _previous()
    rollup.chains_link(organisation_id=shop.organisation.pk)
    assert _previous() == linked


def test_the_no_show_rates_read_a_pickup_from_the_rollup_once_it_is_closed(shop):
    """A pickup's collected orders and no-shows are read from the rollup only when it was
    closed as they were counted (its orders no longer change); before, live; a pickup closed
    since makes the sweep count it again."""
    from cabas.insights.models import SalePickupHandouts
    from cabas.orders.models import Order
    from cabas.sales.models import Pickup

    def rates():
        heat = slots_activity(organisation=shop.organisation, filters=Filters(**WEEK))
        return [(row.name, row.no_show_rate) for row in heat.rows]

    at_point = [o.pk for o in shop.orders if o.pickup_id == shop.pickup.pk]
    Order.objects.filter(pk=at_point[0]).update(status=Order.Status.NO_SHOW)
    Order.objects.filter(pk=at_point[1]).update(status=Order.Status.COLLECTED)
    assert rates() == [(shop.pickup.pickup_point.name, D("50.0"))]
    assert rollup.sale_rollup_refresh(sale_id=shop.sale.pk)
    assert rates() == [(shop.pickup.pickup_point.name, D("50.0"))]
    # Still open: a late member collects, read live.
    Order.objects.filter(pk=at_point[0]).update(status=Order.Status.COLLECTED)
    assert rates() == [(shop.pickup.pickup_point.name, D("0.0"))]
    assert rollup.rollups_due() == []
    Pickup.objects.filter(pk=shop.pickup.pk).update(closed_at=shop.pickup.ends_at)
    assert rollup.rollups_due() == [shop.sale.pk]
    assert tasks.rollups_sweep.call() == 1
    assert rollup.rollups_due() == []
    row = SalePickupHandouts.objects.get(pickup=shop.pickup)
    assert (row.closed, row.handed, row.no_shows) == (True, 2, 0)
    assert rates() == [(shop.pickup.pickup_point.name, D("0.0"))]
    # Read from the rollup: a change the services refuse on a closed pickup is not seen,
    # until the rollup is stale.
    Order.objects.filter(pk=at_point[1]).update(status=Order.Status.NO_SHOW)
    assert rates() == [(shop.pickup.pickup_point.name, D("0.0"))]
    rollup.sales_mark_stale(sale_ids=[shop.sale.pk])
    assert rates() == [(shop.pickup.pickup_point.name, D("50.0"))]
