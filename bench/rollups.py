"""The dashboards' rollups of the bench's generated sales, written in SQL (PostgreSQL only):
``INSERT … SELECT`` over all the sales at once, the same rows as the worker's service
(``cabas.insights.rollup.sale_rollup_refresh``) writes sale by sale in Python — which takes
seconds a sale at ten times our size (tests/test_bench_rollups.py compares both).

The rows' rules are the service's (``cabas.insights.models``): per sale × point × producer ×
rate, the lines' amount and distribution-day figures, ``orders`` each (order, producer)
counted in the row of its lowest rate, ``point_orders`` each order in the row of its lowest
(producer, rate) — an order without lines in a row without producer nor rate; the distinct
(point, producer, member) of the lines; the (point, member) of the orders, ``with_lines``
when one of them has lines; the (point, product, member) of the lines, their amount and
orders; per pickup, its orders collected or not and its no-shows, and whether it is closed;
then the figures summed per point and per producer.

Ten sales a batch: their active orders and lines are read once into temporary tables, which
each insert reads. While the rows are written and chained, the tables' secondary indexes are
dropped; they are built again at the end, in the same transaction (``_indexes_deferred``).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

from cabas.insights.models import (
    SaleBuyer,
    SaleFigures,
    SaleMember,
    SalePickupHandouts,
    SalePointFigures,
    SaleProducerFigures,
    SaleProductBuyer,
)
from cabas.insights.rollup import chains_link

# A batch's active orders at their pickup's point, and their lines (each written once into a
# temporary table, which the inserts below read: read in each of them, the lines were a scan
# of every line of the organisation five times a batch). The lines are found by the sales'
# items (an index), then kept to the active orders.
BATCH_TABLES = [
    "DROP TABLE IF EXISTS rollup_orders, rollup_lines",
    """CREATE TEMPORARY TABLE rollup_lines AS
    SELECT l.order_id, l.producer_id, l.product_id, l.vat_rate, l.amount, l.is_missing,
        l.weighed_kg, l.estimated_weight_kg, round(l.quantity * l.unit_price, 2) AS ordered,
        l.quantity
    FROM orders_orderline l JOIN sales_saleitem i ON i.id = l.sale_item_id
    WHERE i.sale_id = ANY(%(sales)s)""",
    """CREATE TEMPORARY TABLE rollup_orders AS
    SELECT o.id, o.sale_id, k.pickup_point_id, o.user_id, o.pickup_id, o.status,
        k.closed_at IS NOT NULL AS pickup_closed,
        o.id IN (SELECT order_id FROM rollup_lines) AS with_lines
    FROM orders_order o JOIN sales_pickup k ON k.id = o.pickup_id
    WHERE o.sale_id = ANY(%(sales)s) AND o.status <> 'cancelled'""",
    "ANALYZE rollup_lines",
    "ANALYZE rollup_orders",
]

# The sales and their active orders and lines (each statement's start).
ACTIVE = """
WITH s AS (
    SELECT id, organisation_id, closes_at,
        date_trunc('week', closes_at AT TIME ZONE %(zone)s)::date AS week
    FROM sales_sale WHERE id = ANY(%(sales)s)
), o AS (
    SELECT * FROM rollup_orders
), l AS (
    SELECT o.sale_id, o.pickup_point_id, o.id AS order_id, o.user_id, l.producer_id,
        l.product_id, l.vat_rate, l.amount, l.is_missing, l.weighed_kg, l.estimated_weight_kg,
        l.ordered, l.quantity
    FROM rollup_orders o JOIN rollup_lines l ON l.order_id = o.id
)"""

STATEMENTS = [
    "DELETE FROM insights_salefigures WHERE rollup_id = ANY(%(sales)s)",
    "DELETE FROM insights_salebuyer WHERE rollup_id = ANY(%(sales)s)",
    "DELETE FROM insights_salemember WHERE rollup_id = ANY(%(sales)s)",
    "DELETE FROM insights_salepointfigures WHERE rollup_id = ANY(%(sales)s)",
    "DELETE FROM insights_saleproducerfigures WHERE rollup_id = ANY(%(sales)s)",
    "DELETE FROM insights_saleproductbuyer WHERE rollup_id = ANY(%(sales)s)",
    "DELETE FROM insights_salepickuphandouts WHERE rollup_id = ANY(%(sales)s)",
    """INSERT INTO insights_salerollup (sale_id, fresh, refreshed_at)
       SELECT unnest(%(sales)s::bigint[]), true, %(now)s
       ON CONFLICT (sale_id) DO UPDATE SET fresh = true, refreshed_at = EXCLUDED.refreshed_at""",
]

# Each after ``ACTIVE``.
INSERTS = [
    """, sums AS (
    SELECT sale_id, pickup_point_id, producer_id, vat_rate, sum(amount) AS amount,
        count(*) FILTER (WHERE is_missing) AS missing_lines,
        coalesce(sum(ordered) FILTER (WHERE is_missing), 0) AS missing_amount,
        count(*) FILTER (WHERE weighed) AS weighed_lines,
        coalesce(sum(quantity * estimated_weight_kg) FILTER (WHERE weighed), 0) AS estimated_kg,
        coalesce(sum(weighed_kg) FILTER (WHERE weighed), 0) AS weighed_kg,
        coalesce(sum(ordered) FILTER (WHERE weighed), 0) AS estimated_amount,
        coalesce(sum(amount) FILTER (WHERE weighed), 0) AS weighed_amount
    FROM (SELECT *, NOT is_missing AND weighed_kg IS NOT NULL AS weighed FROM l) AS w
    GROUP BY 1, 2, 3, 4
), lowest_rates AS (
    SELECT sale_id, pickup_point_id, producer_id, vat_rate, count(*) AS orders
    FROM (SELECT sale_id, pickup_point_id, producer_id, min(vat_rate) AS vat_rate
          FROM l GROUP BY sale_id, pickup_point_id, order_id, producer_id) AS pair
    GROUP BY 1, 2, 3, 4
), lowest_pairs AS (
    SELECT sale_id, pickup_point_id, producer_id, vat_rate, count(*) AS point_orders
    FROM (SELECT DISTINCT ON (order_id) sale_id, pickup_point_id, producer_id, vat_rate
          FROM l ORDER BY order_id, producer_id, vat_rate) AS lowest
    GROUP BY 1, 2, 3, 4
), rows AS (
    SELECT m.*, coalesce(r.orders, 0) AS orders, coalesce(p.point_orders, 0) AS point_orders
    FROM sums m
    LEFT JOIN lowest_rates r USING (sale_id, pickup_point_id, producer_id, vat_rate)
    LEFT JOIN lowest_pairs p USING (sale_id, pickup_point_id, producer_id, vat_rate)
    UNION ALL
    SELECT sale_id, pickup_point_id, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*)
    FROM o WHERE NOT with_lines GROUP BY sale_id, pickup_point_id
)
INSERT INTO insights_salefigures (organisation_id, rollup_id, closes_at, week, pickup_point_id,
    producer_id, vat_rate, amount,
    orders, point_orders, missing_lines, missing_amount, weighed_lines, estimated_kg,
    weighed_kg, estimated_amount, weighed_amount)
SELECT s.organisation_id, s.id, s.closes_at, s.week, r.pickup_point_id, r.producer_id,
    r.vat_rate, r.amount, r.orders, r.point_orders, r.missing_lines, r.missing_amount,
    r.weighed_lines, r.estimated_kg, r.weighed_kg, r.estimated_amount, r.weighed_amount
FROM rows r JOIN s ON s.id = r.sale_id""",
    """
INSERT INTO insights_salebuyer (organisation_id, rollup_id, closes_at, week, pickup_point_id,
    producer_id, user_id)
SELECT DISTINCT s.organisation_id, s.id, s.closes_at, s.week, l.pickup_point_id, l.producer_id,
    l.user_id
FROM l JOIN s ON s.id = l.sale_id""",
    """
INSERT INTO insights_salemember (organisation_id, rollup_id, closes_at, week, pickup_point_id,
    user_id, with_lines)
SELECT s.organisation_id, s.id, s.closes_at, s.week, o.pickup_point_id, o.user_id,
    bool_or(o.with_lines)
FROM o JOIN s ON s.id = o.sale_id
GROUP BY s.organisation_id, s.id, s.closes_at, s.week, o.pickup_point_id, o.user_id""",
    """
INSERT INTO insights_saleproductbuyer (organisation_id, rollup_id, closes_at, pickup_point_id,
    producer_id, product_id, user_id, amount, orders)
SELECT s.organisation_id, s.id, s.closes_at, l.pickup_point_id, l.producer_id, l.product_id,
    l.user_id, sum(l.amount), count(DISTINCT l.order_id)
FROM l JOIN s ON s.id = l.sale_id
GROUP BY s.organisation_id, s.id, s.closes_at, l.pickup_point_id, l.producer_id, l.product_id,
    l.user_id""",
    """
INSERT INTO insights_salepickuphandouts (organisation_id, rollup_id, closes_at, pickup_id,
    pickup_point_id, closed, handed, no_shows)
SELECT s.organisation_id, s.id, s.closes_at, o.pickup_id, o.pickup_point_id, o.pickup_closed,
    count(*) FILTER (WHERE o.status IN ('collected', 'no_show')),
    count(*) FILTER (WHERE o.status = 'no_show')
FROM o JOIN s ON s.id = o.sale_id
GROUP BY s.organisation_id, s.id, s.closes_at, o.pickup_id, o.pickup_point_id, o.pickup_closed""",
]

# After the figures: their sums per point and per producer (``SalePointFigures``,
# ``SaleProducerFigures``).
SUMS = [
    """
INSERT INTO insights_salepointfigures (organisation_id, rollup_id, closes_at, week,
    pickup_point_id, vat_rate, amount, point_orders)
SELECT organisation_id, rollup_id, closes_at, week, pickup_point_id, vat_rate, sum(amount),
    sum(point_orders)
FROM insights_salefigures WHERE rollup_id = ANY(%(sales)s)
GROUP BY organisation_id, rollup_id, closes_at, week, pickup_point_id, vat_rate""",
    """
INSERT INTO insights_saleproducerfigures (organisation_id, rollup_id, closes_at, week,
    producer_id, vat_rate, amount, orders)
SELECT organisation_id, rollup_id, closes_at, week, producer_id, vat_rate, sum(amount),
    sum(orders)
FROM insights_salefigures WHERE rollup_id = ANY(%(sales)s) AND producer_id IS NOT NULL
GROUP BY organisation_id, rollup_id, closes_at, week, producer_id, vat_rate""",
]


BATCH = 10  # sales a statement: its sorts and hashes stay in memory

# The tables written, whose indexes other than their keys are dropped while they are written
# and built again after, as PostgreSQL's guide to populating a database advises: kept, they
# cost more than the inserts themselves (a random place in six indexes for each of millions of
# rows); built once, each is one sort.
TABLES = [model._meta.db_table for model in (SaleFigures, SaleBuyer, SaleMember,
          SalePointFigures, SaleProducerFigures, SaleProductBuyer, SalePickupHandouts)]  # fmt: skip


@contextmanager
def _indexes_deferred(cursor):
    """Within the caller's transaction: the ``TABLES``' indexes that no constraint owns
    dropped, then built again from their definitions (every build's memory raised)."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                            WHERE c.conindid = to_regclass(quote_ident(i.indexname)))""",
        [TABLES],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _, definition in indexes:
        cursor.execute(definition)


def _analyze(cursor) -> None:
    """Statistics of the rows just written, for the statements that follow in the
    transaction (without them, the chains' join is planned for empty tables: minutes)."""
    for table in TABLES:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def rollups_write(*, organisation, sale_ids: list[int], now=None) -> None:
    """The fresh rollups of ``organisation``'s sales ``sale_ids`` (closed ones: the service
    writes none for a sale before its cutoff), replacing any they had. In a transaction (the
    tables' indexes are built again before it ends)."""
    if not connection.in_atomic_block:
        raise RuntimeError("rollups_write runs in a transaction: it drops indexes for a while")
    sale_ids, now = sorted(sale_ids), now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")
        with _indexes_deferred(cursor):
            for start in range(0, len(sale_ids), BATCH):
                params = {"sales": sale_ids[start : start + BATCH],
                          "zone": str(organisation.tzinfo), "now": now}  # fmt: skip
                for statement in [*STATEMENTS, *BATCH_TABLES]:
                    cursor.execute(statement, params)
                for statement in INSERTS:
                    cursor.execute(ACTIVE + statement, params)
                for statement in SUMS:
                    cursor.execute(statement, params)
            cursor.execute(BATCH_TABLES[0])
            _analyze(cursor)
            # The previous rows' cutoffs, as the service links them, over every pair at once
            # (each row rewritten: before the indexes are built).
            chains_link(organisation_id=organisation.pk)
        _analyze(cursor)
