"""Writing the dashboards' rollup (``models``): a closed sale's figures recomputed in one
transaction by the worker, and marked stale in the transaction of any later change.

Exactness under concurrency: both the refresh (before it reads) and the stale mark take the
sale's ``SaleRollup`` row (``lock_objects.rollups_take``, an upsert: the row is locked, or the
unique key waited on, until the other transaction ends; the last lock of the global order). A
change committed before the refresh takes the row is read by it; a change still running when
the refresh holds the row waits for it, then marks the rollup stale. A worker killed
mid-refresh rolls back: the old state stays (fresh with the old figures, or stale). The
periodic sweep (``tasks.rollups_sweep``) takes up stale and missing
rollups of closed sales.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cabas.orders.models import Order, OrderLine
from cabas.sales.models import Sale

from .lock_objects import chains_take, rollups_take
from .models import (
    SaleBuyer,
    SaleFigures,
    SaleMember,
    SalePickupHandouts,
    SalePointFigures,
    SaleProducerFigures,
    SaleProductBuyer,
    SaleRollup,
)

ZERO_RATE = None  # an order without lines: its row has neither producer nor rate


def sales_mark_stale(*, sale_ids: Iterable[int]) -> None:
    """The sales' rollups no longer count (read live) until the worker refreshes them."""
    rollups_take(sale_ids=sale_ids)


def _key(rate):
    """Orders rates with ``None`` (no line) last."""
    return (rate is None, rate)


CHANGED = ("missing_lines", "missing_amount", "weighed_lines", "estimated_kg", "weighed_kg",
           "estimated_amount", "weighed_amount")  # fmt: skip
CENT = Decimal("0.01")


def _changed(sums: dict, amount, is_missing, weighed_kg, quantity, unit_price, estimate) -> None:
    """Add a line to its row's distribution-day figures (``producer``'s rules: the ordered
    amount is quantity × unit price rounded to the cent)."""
    ordered = (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)
    if is_missing:
        sums["missing_lines"] += 1
        sums["missing_amount"] += ordered
    elif weighed_kg is not None:
        sums["weighed_lines"] += 1
        if estimate is not None:
            sums["estimated_kg"] += quantity * estimate
        sums["weighed_kg"] += weighed_kg
        sums["estimated_amount"] += ordered
        sums["weighed_amount"] += amount


def _orders(active) -> tuple[dict, dict]:
    """The active orders' {order: (point, member)} and {pickup: [point, closed, handed,
    no-shows]} (the orders collected or not, the no-shows among them): one query."""
    orders, handouts = {}, {}
    for pk, point, user, pickup, closed_at, status in active.values_list(
        "pk", "pickup__pickup_point_id", "user_id", "pickup_id", "pickup__closed_at", "status"
    ):
        orders[pk] = (point, user)
        counts = handouts.setdefault(pickup, [point, closed_at is not None, 0, 0])
        counts[2] += status in Order.DONE_STATUSES
        counts[3] += status == Order.Status.NO_SHOW
    return orders, handouts


def _rows(sale: Sale) -> tuple[list, list, list, list, list]:
    """The sale's figures, buyers, members, products' buyers and pickups' handouts from its
    active orders and their lines (one sale: a few thousand rows read, two queries)."""
    active = Order.objects.filter(sale=sale).exclude(status=Order.Status.CANCELLED)
    orders, handouts = _orders(active)
    lines = OrderLine.objects.filter(order__in=active).values_list(
        "order_id", "product_id", "producer_id", "vat_rate", "amount",
        "is_missing", "weighed_kg", "quantity", "unit_price", "estimated_weight_kg",
    )  # fmt: skip
    amounts: dict = defaultdict(lambda: 0)
    changed: dict = defaultdict(lambda: dict.fromkeys(CHANGED, 0))
    lowest_rate: dict = {}  # (order, producer) -> lowest rate
    lowest_pair: dict = {}  # order -> lowest (producer, rate)
    products: dict = defaultdict(lambda: [0, set()])  # (point, producer, product, member)
    for order_id, product_id, producer_id, rate, amount, *line in lines:
        point, user = orders[order_id]
        product = products[point, producer_id, product_id, user]
        product[0] += amount
        product[1].add(order_id)
        amounts[point, producer_id, rate] += amount
        _changed(changed[point, producer_id, rate], amount, *line)
        key = (order_id, producer_id)
        lowest_rate[key] = min(lowest_rate.get(key, rate), rate)
        lowest_pair[order_id] = min(lowest_pair.get(order_id, (producer_id, rate)),
                                    (producer_id, rate))  # fmt: skip
    counted: dict = defaultdict(lambda: [0, 0])
    for (order_id, producer_id), rate in lowest_rate.items():
        counted[orders[order_id][0], producer_id, rate][0] += 1
    for order_id, (point, _user) in orders.items():
        producer_id, rate = lowest_pair.get(order_id, (None, ZERO_RATE))
        counted[point, producer_id, rate][1] += 1
    zone = sale.organisation.tzinfo
    day = timezone.localdate(sale.closes_at, zone)
    common = {"organisation_id": sale.organisation_id, "rollup_id": sale.pk,
              "closes_at": sale.closes_at, "week": day - timedelta(days=day.weekday())}  # fmt: skip
    figures = [
        SaleFigures(**common, pickup_point_id=point, producer_id=producer_id, vat_rate=rate,
                    amount=amounts.get((point, producer_id, rate), 0),
                    orders=counted[point, producer_id, rate][0],
                    point_orders=counted[point, producer_id, rate][1],
                    **changed.get((point, producer_id, rate), {}))
        for point, producer_id, rate in sorted(
            set(amounts) | set(counted), key=lambda k: (k[0], _key(k[1]), _key(k[2])))
    ]  # fmt: skip
    pairs = {(orders[o][0], p, orders[o][1]) for o, p in lowest_rate}
    buyers = [
        SaleBuyer(**common, pickup_point_id=point, producer_id=producer_id, user_id=user)
        for point, producer_id, user in sorted(pairs, key=lambda k: (k[0], _key(k[1]), k[2]))
    ]
    with_lines: dict = {}  # (point, member) -> whether one of their orders there has lines
    for order_id, (point, user) in orders.items():
        with_lines[point, user] = with_lines.get((point, user), False) or order_id in lowest_pair
    members = [
        SaleMember(**common, pickup_point_id=point, user_id=user, with_lines=lines)
        for (point, user), lines in sorted(with_lines.items())
    ]
    return figures, buyers, members, *_product_and_pickup_rows(sale, products, handouts)


def _product_and_pickup_rows(sale: Sale, products: dict, handouts: dict) -> tuple[list, list]:
    """``_rows``'s products' buyers ({(point, producer, product, member): [amount, orders]})
    and pickups' handouts ({pickup: [point, closed, handed, no-shows]}) as rows."""
    common = {"organisation_id": sale.organisation_id, "rollup_id": sale.pk,
              "closes_at": sale.closes_at}  # fmt: skip
    return (
        [SaleProductBuyer(**common, pickup_point_id=point, producer_id=producer,
                          product_id=product, user_id=user, amount=amount,
                          orders=len(order_ids))
         for (point, producer, product, user), (amount, order_ids) in sorted(products.items())],
        [SalePickupHandouts(**common, pickup_id=pickup, pickup_point_id=point, closed=closed,
                            handed=handed, no_shows=no_shows)
         for pickup, (point, closed, handed, no_shows) in sorted(handouts.items())],
    )  # fmt: skip


def _coarse(figures: list[SaleFigures]) -> tuple[list, list]:
    """``figures`` summed per point × rate and per producer × rate (``models``)."""
    points: dict = defaultdict(lambda: [0, 0])
    producers: dict = defaultdict(lambda: [0, 0])
    for row in figures:
        points[row.pickup_point_id, row.vat_rate][0] += row.amount
        points[row.pickup_point_id, row.vat_rate][1] += row.point_orders
        if row.producer_id is not None:
            producers[row.producer_id, row.vat_rate][0] += row.amount
            producers[row.producer_id, row.vat_rate][1] += row.orders
    fields = ("organisation_id", "rollup_id", "closes_at", "week")
    common = {name: getattr(figures[0], name) for name in fields} if figures else {}
    return (
        [SalePointFigures(**common, pickup_point_id=point, vat_rate=rate, amount=amount,
                          point_orders=orders)
         for (point, rate), (amount, orders) in sorted(points.items(),
                                                      key=lambda i: (i[0][0], _key(i[0][1])))],
        [SaleProducerFigures(**common, producer_id=producer, vat_rate=rate, amount=amount,
                             orders=orders)
         for (producer, rate), (amount, orders) in sorted(producers.items())],
    )  # fmt: skip


# The previous rows' cutoffs (``models``), recomputed for the (key, member) pairs a sale's
# rollup touches: those of its rows, and those whose previous row was one of its old rows
# (their previous is its cutoff; another sale of the same cutoff adds pairs, harmlessly).
# Without a sale: every pair of the organisation (the bench, the migration).
_CUT = "(SELECT closes_at FROM sales_sale WHERE id = %s)"
_BUYER_PAIRS = f"""
    SELECT producer_id, user_id FROM insights_salebuyer WHERE rollup_id = %s
    UNION SELECT producer_id, user_id FROM insights_salebuyer
    WHERE organisation_id = %s AND (producer_previous = {_CUT} OR point_previous = {_CUT})"""  # noqa: S608
_MEMBER_PAIRS = f"""
    SELECT pickup_point_id, user_id FROM insights_salemember WHERE rollup_id = %s
    UNION SELECT pickup_point_id, user_id FROM insights_salemember
    WHERE organisation_id = %s AND point_previous = {_CUT}"""  # noqa: S608
_BUYER_LINK = """
WITH {pairs} chained AS (
    SELECT b.id,
        LAG(b.closes_at) OVER (PARTITION BY b.producer_id, b.user_id
                               ORDER BY b.closes_at, b.rollup_id, b.pickup_point_id) AS p1,
        LAG(b.closes_at) OVER (PARTITION BY b.pickup_point_id, b.producer_id, b.user_id
                               ORDER BY b.closes_at, b.rollup_id) AS p2
    FROM insights_salebuyer b WHERE b.organisation_id = %s {among}
)
UPDATE insights_salebuyer SET producer_previous = chained.p1, point_previous = chained.p2
FROM chained WHERE insights_salebuyer.id = chained.id
    AND (insights_salebuyer.producer_previous IS DISTINCT FROM chained.p1
         OR insights_salebuyer.point_previous IS DISTINCT FROM chained.p2)"""
_MEMBER_LINK = """
WITH {pairs} chained AS (
    SELECT m.id, LAG(m.closes_at) OVER (PARTITION BY m.pickup_point_id, m.user_id
                                        ORDER BY m.closes_at, m.rollup_id) AS p
    FROM insights_salemember m WHERE m.organisation_id = %s AND m.with_lines {among}
)
UPDATE insights_salemember SET point_previous = chained.p
FROM chained WHERE insights_salemember.id = chained.id
    AND insights_salemember.point_previous IS DISTINCT FROM chained.p"""


_LINKS = (
    (_BUYER_LINK, _BUYER_PAIRS, "AND EXISTS (SELECT 1 FROM pairs p WHERE p.producer_id ="
     " b.producer_id AND p.user_id = b.user_id)"),
    (_MEMBER_LINK, _MEMBER_PAIRS, "AND EXISTS (SELECT 1 FROM pairs p WHERE p.pickup_point_id ="
     " m.pickup_point_id AND p.user_id = m.user_id)"),
)  # fmt: skip


def chains_link(*, organisation_id: int, sale_id: int | None = None) -> None:
    """Recompute the previous rows' cutoffs (``models.SaleBuyer``, ``models.SaleMember``) of
    the pairs ``sale_id``'s rollup touches, after its rows are replaced or removed (of every
    pair of the organisation without it): two statements, the rows whose previous changed
    written."""
    with connection.cursor() as cursor:
        for link, pairs, among in _LINKS:
            if sale_id is None:
                cursor.execute(link.format(pairs="", among=""), [organisation_id])
                continue
            # The pairs' parameters: the sale, the organisation, then the sale's cutoff.
            params = [sale_id, organisation_id] + [sale_id] * (pairs.count("%s") - 2)
            cursor.execute(
                link.format(pairs=f"pairs AS ({pairs}),", among=among), [*params, organisation_id]
            )


@transaction.atomic
def sale_rollup_refresh(*, sale_id: int, now=None) -> bool:
    """Recompute a closed sale's rollup and mark it fresh (idempotent); a sale not past its
    cutoff has none (False)."""
    sale = Sale.objects.select_related("organisation").filter(pk=sale_id).first()
    if sale is None or sale.status not in Sale.DATES_LOCKED:
        # The sale's row first, then the organisation's lock: the order of the refresh.
        deleted, _ = SaleRollup.objects.filter(sale_id=sale_id).delete()
        if sale is not None and deleted:
            chains_take(organisation_id=sale.organisation_id)
            chains_link(organisation_id=sale.organisation_id, sale_id=sale_id)
        return False
    rollups_take(sale_ids=[sale_id])
    chains_take(organisation_id=sale.organisation_id)
    SaleFigures.objects.filter(rollup_id=sale_id).delete()
    SaleBuyer.objects.filter(rollup_id=sale_id).delete()
    SaleMember.objects.filter(rollup_id=sale_id).delete()
    SalePointFigures.objects.filter(rollup_id=sale_id).delete()
    SaleProducerFigures.objects.filter(rollup_id=sale_id).delete()
    SaleProductBuyer.objects.filter(rollup_id=sale_id).delete()
    SalePickupHandouts.objects.filter(rollup_id=sale_id).delete()
    figures, buyers, members, product_buyers, handed_out = _rows(sale)
    point_figures, producer_figures = _coarse(figures)
    SaleFigures.objects.bulk_create(figures, batch_size=2000)
    SalePointFigures.objects.bulk_create(point_figures, batch_size=2000)
    SaleProducerFigures.objects.bulk_create(producer_figures, batch_size=2000)
    SaleBuyer.objects.bulk_create(buyers, batch_size=2000)
    SaleMember.objects.bulk_create(members, batch_size=2000)
    SaleProductBuyer.objects.bulk_create(product_buyers, batch_size=2000)
    SalePickupHandouts.objects.bulk_create(handed_out, batch_size=2000)
    chains_link(organisation_id=sale.organisation_id, sale_id=sale_id)
    SaleRollup.objects.filter(sale_id=sale_id).update(
        fresh=True, refreshed_at=now or timezone.now()
    )
    return True


def rollups_due(*, limit: int = 50) -> list[int]:
    """Closed sales whose rollup is stale or missing, or has a pickup closed since it was
    counted (``models.SalePickupHandouts``), oldest cutoff first."""
    fresh = SaleRollup.objects.filter(fresh=True).values("sale_id")
    closed_since = SalePickupHandouts.objects.filter(
        closed=False, pickup__closed_at__isnull=False
    ).values("rollup_id")
    return list(
        Sale.objects.filter(status__in=Sale.DATES_LOCKED)
        .filter(~Q(pk__in=fresh) | Q(pk__in=closed_since))
        .order_by("closes_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
