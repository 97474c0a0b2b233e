"""Reading the rollup (``models``) beside the live rows: the period's sales whose rollup is
fresh are read from it, the others (open, stale, not yet rolled up) from their orders and
lines; each figure is the sum of both (a sale is in one or the other), the buyers counted
distinct over the union of both's (key, member) pairs.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from cabas.orgs.models import Organisation
from cabas.sales.models import Sale

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


def _between(organisation: Organisation, start: date | None, end: date | None) -> dict:
    """The rows of ``organisation`` with a cutoff in the weeks from ``start`` to ``end``
    (every cutoff without them)."""
    if start is None:
        return {"organisation": organisation}
    from .selectors import _bounds

    since, until = _bounds(organisation, start, end)
    return {"organisation": organisation, "closes_at__gte": since, "closes_at__lt": until}


class Live(list):
    """The live sales' ids; ``linked`` while the previous rows of the period's fresh rows
    (``models.SaleBuyer``) are fresh rows or before the period: no live sale with rows (a
    stale rollup, a fresh one of a live week) closes before one of its fresh sales."""

    linked = True


def live_sales(organisation: Organisation, start: date | None, end: date | None) -> Live:
    """The sales with a cutoff in the weeks from ``start`` to ``end`` (ever, without them)
    whose figures are read live: those without a fresh rollup, and every sale of their
    weeks (so a week is wholly live or wholly rolled up: its distinct buyers are counted
    from one source). One query."""
    rollup = SaleRollup.objects.filter(sale=OuterRef("pk"))
    sales = list(
        Sale.objects.filter(**_between(organisation, start, end))
        .annotate(fresh=Exists(rollup.filter(fresh=True)), rolled=Exists(rollup))
        .values_list("pk", "closes_at", "fresh", "rolled")
    )
    zone = organisation.tzinfo

    def monday(moment):
        day = timezone.localdate(moment, zone)
        return day - timedelta(days=day.weekday())

    weeks = {monday(closes_at) for _pk, closes_at, is_fresh, _rolled in sales if not is_fresh}
    live = Live(sorted(pk for pk, closes_at, *_ in sales if monday(closes_at) in weeks))
    last_fresh = max((cut for pk, cut, *_ in sales if pk not in live), default=None)
    live.linked = last_fresh is None or all(
        cut > last_fresh for pk, cut, _fresh, rolled in sales if pk in live and rolled
    )
    return live


def fresh_members(organisation: Organisation, start: date | None, end: date | None, live):
    """The (sale, member) rows of the fresh sales (all but ``live``) of the weeks from
    ``start`` to ``end`` (ever, without them)."""
    return SaleMember.objects.filter(**_between(organisation, start, end)).exclude(
        rollup_id__in=live
    )


def _grain(filters, by: str | None):
    """The fewest rows that answer a read grouped ``by`` (a point, a producer, neither) at
    the filters: the sums per point (a producer neither read nor filtered), per producer
    (a point neither read nor filtered), else every figure."""
    point = by == "pickup_point_id" or filters.pickup_point_id
    producer = by == "producer_id" or filters.producer_id
    if by == "sale":
        return SaleFigures
    if not producer:
        return SalePointFigures
    return SaleFigures if point else SaleProducerFigures


def fresh_figures(organisation: Organisation, filters, start: date, end: date, live: list[int],
                  *, by: str | None = "sale"):  # fmt: skip
    """The rolled-up figures of the period's fresh sales (all but ``live``, from
    ``live_sales``: no join to the rollups' state), at the filters' point and producer:
    ``SaleFigures`` (``by="sale"``, every column), else the coarsest rows that hold the
    filters and the ``by`` key (``_grain``; ``amount``, ``vat_rate`` and the ``orders``
    counted at the filters: ``point_orders`` without a producer, else ``orders``)."""
    model = _grain(filters, by)
    rows = model.objects.filter(**_between(organisation, start, end)).exclude(rollup_id__in=live)
    if filters.pickup_point_id:
        rows = rows.filter(pickup_point_id=filters.pickup_point_id)
    if filters.producer_id:
        rows = rows.filter(producer_id=filters.producer_id)
    return rows


def fresh_buyers(organisation: Organisation, filters, live: list[int], *, per_producer: bool):
    """The (point, producer, member) rows of the period's fresh sales: those of the filters'
    producer, else of every producer (``per_producer``); else the (point, member) rows of
    the members with a line at the point (``SaleMember``, a third as many)."""
    model = SaleBuyer if per_producer or filters.producer_id else SaleMember
    rows = model.objects.filter(**_between(organisation, filters.start, filters.end)).exclude(
        rollup_id__in=live
    )
    if filters.pickup_point_id:
        rows = rows.filter(pickup_point_id=filters.pickup_point_id)
    if filters.producer_id:
        return rows.filter(producer_id=filters.producer_id)
    return rows if per_producer else rows.filter(with_lines=True)


def previous(filters, *, per_producer: bool) -> str:
    """The previous row's cutoff that chains ``fresh_buyers``'s rows by (key, member) at the
    filters (``models``): a producer's buyers at every point by (producer, member), else
    by (point, producer, member), the members with lines at a point by (point, member)."""
    if (per_producer or filters.producer_id) and not filters.pickup_point_id:
        return "producer_previous" if per_producer else "point_previous"
    return "point_previous"


def first_rows(rows, field: str, since):
    """The rows of ``rows`` (of a period starting at ``since``) whose pair has no row before
    them in the period: one per distinct pair (``Live.linked``)."""
    return rows.filter(Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": since}))


def distinct_counts(fresh, live=None, *, firsts=None) -> dict:
    """{key: the number of distinct members} over the union of the rolled-up (key, member)
    pairs ``fresh`` and the live ones ``live`` (each a ``pairs`` queryset): the rolled-up
    pairs counted distinct, plus the live pairs that none of them has, in one query.

    With ``firsts`` (the pairs of ``fresh``'s first rows, ``first_rows``, while the live
    sales leave the chain whole: ``Live.linked``), the rolled-up pairs are counted as those
    rows, no DISTINCT: at ten times our size the period's ~700,000 rows are counted from an
    index rather than their ~540,000 pairs hashed (on disk past ``work_mem``). Without it
    (a stale sale in the period), the pairs are counted distinct. Each distinct live pair is
    looked up in the (key, member) index (``OFFSET 0`` keeps the lookup a per-pair subquery
    on PostgreSQL, not a hash anti-join over every rolled-up pair)."""
    fresh_sql, fresh_params = fresh.order_by().query.sql_with_params()
    # The querysets' compiled SQL, their values bound as parameters.
    if firsts is None:
        sql = (
            f"SELECT k, COUNT(*) AS n FROM (SELECT DISTINCT k, u FROM ({fresh_sql}) f) d GROUP BY k"  # noqa: S608, E501
        )
        params = list(fresh_params)
    else:
        firsts_sql, firsts_params = firsts.order_by().query.sql_with_params()
        sql = f"SELECT k, COUNT(*) AS n FROM ({firsts_sql}) f GROUP BY k"  # noqa: S608
        params = list(firsts_params)
    if live is not None:
        live_sql, live_params = live.order_by().query.sql_with_params()
        probe = f"SELECT 1 FROM ({fresh_sql}) f WHERE f.k = l.k AND f.u = l.u LIMIT 1 OFFSET 0"  # noqa: S608
        # Each distinct live pair looked up once (a member's lines of a producer are one).
        new = f"SELECT l.k, l.u FROM (SELECT DISTINCT k, u FROM ({live_sql}) d) l WHERE NOT EXISTS ({probe})"  # noqa: S608, E501
        sql += f" UNION ALL SELECT k, COUNT(*) AS n FROM ({new}) d GROUP BY k"  # noqa: S608
        params += [*live_params, *fresh_params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT k, SUM(n) FROM ({sql}) c GROUP BY k", params)  # noqa: S608
        return {k: int(n) for k, n in cursor.fetchall()}


def pairs(queryset, key: str, member: str):
    """``queryset``'s (key, member) pairs named for ``distinct_counts``."""
    return queryset.annotate(k=F(key), u=F(member)).values_list("k", "u")


def fresh_product_buyers(organisation: Organisation, filters):
    """The (sale, point, product, member) rows of the period's sales whose rollup is fresh
    (joined, not from ``live_sales``: read in the same statement as the other sales' lines,
    ``selectors.products_activity``), at the filters' point and producer."""
    rows = SaleProductBuyer.objects.filter(
        **_between(organisation, filters.start, filters.end), rollup__fresh=True
    )
    if filters.pickup_point_id:
        rows = rows.filter(pickup_point_id=filters.pickup_point_id)
    if filters.producer_id:
        rows = rows.filter(producer_id=filters.producer_id)
    return rows


def product_counts(fresh, live) -> list[tuple]:
    """(product, name, orders, buyers, amount) over the rolled-up rows ``fresh`` and the
    live ones ``live`` (each (product, member, orders, amount) named ``k, u, n, a``): orders
    and amounts summed, buyers counted distinct over both; one query."""
    from cabas.catalog.models import Product

    fresh_sql, fresh_params = fresh.order_by().query.sql_with_params()
    live_sql, live_params = live.order_by().query.sql_with_params()
    sql = (
        f"SELECT r.k, p.name, SUM(r.n), COUNT(DISTINCT r.u), SUM(r.a) FROM ({fresh_sql} UNION ALL {live_sql}) r "  # noqa: S608, E501
        f"JOIN {Product._meta.db_table} p ON p.id = r.k GROUP BY r.k, p.name"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*fresh_params, *live_params])
        return [(k, name, int(n), int(u), _decimal(a)) for k, name, n, u, a in cursor.fetchall()]


def _decimal(value) -> Decimal:
    """A sum of amounts as the database returns it (SQLite: a float or an int) in cents."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def no_show_counts(organisation: Organisation, filters, sales, point_ids: list[int]) -> dict:
    """{point: (no-shows, orders collected or not)} over the pickups of ``sales`` (the
    period's) at the points ``point_ids``: the counts of the pickups closed when their
    sale's fresh rollup counted them (``models.SalePickupHandouts``: a closed pickup's
    orders no longer change), the other pickups' orders live; one query."""
    from cabas.orders.models import Order
    from cabas.sales.models import Pickup

    counted = SalePickupHandouts.objects.filter(closed=True, rollup__fresh=True)
    rows = counted.filter(
        **_between(organisation, filters.start, filters.end), pickup_point_id__in=point_ids
    )
    live_pickups = Pickup.objects.filter(
        organisation=organisation, sale__in=sales, pickup_point_id__in=point_ids
    ).exclude(Exists(counted.filter(pickup_id=OuterRef("pk"))))
    handed = Order.objects.filter(pickup__in=live_pickups, status__in=Order.DONE_STATUSES)
    counts: dict = {}
    for point_id, missed, total in (
        rows.values("pickup_point_id")
        .annotate(missed=Sum("no_shows"), total=Sum("handed"))
        .values_list("pickup_point_id", "missed", "total").order_by()
        .union(
            handed.values("pickup__pickup_point_id")
            .annotate(missed=Count("pk", filter=Q(status=Order.Status.NO_SHOW)),
                      total=Count("pk"))
            .values_list("pickup__pickup_point_id", "missed", "total").order_by(),
            all=True,
        )
    ):  # fmt: skip
        known = counts.get(point_id, (0, 0))
        counts[point_id] = (known[0] + int(missed), known[1] + int(total))
    return counts
