"""Years of past sales for the dashboards' bench, generated in SQL (PostgreSQL only).

One producer collective of its own: the organisation, its producers, products, pickup points
and people are made with the services or bulk-created (a few thousand rows); then its weekly
sales — each with a pickup of 15-minute slots at every point, every product offered, and
``orders_per_sale`` orders of one to five lines — are ``INSERT … SELECT`` statements over
``generate_series``, followed by the counters the services keep (order totals, slots' and
pickups' ``booked``, items' ``quantity_ordered``, the sale's order counter). Statuses are those
of distributed sales: mostly collected, a few no-shows and cancellations.

Members come and go: each sale's buyers are drawn from a window of ``window`` members that
slides from the first member to the last over the years, so there are new, returning and
lapsed buyers every week; no member has two active orders in a sale.

Then each sale's dashboard rollup as the worker writes it after the sale closes
(``cabas.insights.rollup``), here in SQL too (``bench/rollups.py``): the dashboards read it
(``rollups=False``: every figure live).
"""

from __future__ import annotations

import random
import secrets
import time as clock
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cabas.accounts.models import User
from cabas.catalog import services as catalog_services
from cabas.catalog.models import ProducerLink, Product
from cabas.orgs import services as org_services
from cabas.orgs.models import Membership, Organisation
from cabas.sales import services as sales_services
from cabas.sales.models import Sale

from . import scenario
from .rollups import rollups_write

SLUG = "historique"
SLOTS = 12
SLOT_MINUTES = 15
SLOT_CAPACITY = 60
PRODUCTS_PER_PRODUCER = 6
TEMPORARY_PRODUCERS = 3


@dataclass
class History:
    organisation: Organisation
    coordinator: User
    producer_person: User
    point_ids: list[int]
    producer_ids: list[int]
    sales: int
    orders: int
    lines: int
    members: int
    seconds: float
    steps: dict[str, float]


def _cutoffs(zone, weeks: int, today) -> list[datetime]:
    """A Wednesday 20:00 cutoff each week, the last one in the week before ``today``'s."""
    monday = today - timedelta(days=today.weekday())
    last = monday - timedelta(days=5)  # the Wednesday before
    return [
        timezone.make_aware(datetime.combine(last - timedelta(weeks=n), time(20)), zone)
        for n in reversed(range(weeks))
    ]


ROLLUP_TABLES = (
    "insights_salefigures",
    "insights_salebuyer",
    "insights_salemember",
    "insights_saleproductbuyer",
    "insights_salepickuphandouts",
)


def settle(*, vacuumed: tuple[str, ...] = ()) -> None:
    """What autovacuum does after a bulk load, done before the measures rather than during
    them: statistics for every table, and ``vacuumed`` tables vacuumed too (their visibility
    maps set, as for rows written over months). In a test's transaction: statistics only."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if not connection.in_atomic_block:
            for table in vacuumed:
                cursor.execute(f"VACUUM ANALYZE {table}")


def foreign_keys_unchecked() -> bool:
    """For the rest of the transaction, skip the foreign keys' per-row checks, as
    ``pg_restore --disable-triggers`` does (deferred to the commit, they took minutes for the
    millions of rows of the ten-times organisation) — when the role may (a superuser); the
    generated rows are consistent by construction (tests/test_bench_history.py). True when
    skipped."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def products_create(organisation, farms, count: int, label: str, rng: random.Random) -> None:
    """``count`` products (``label`` formats their number), dealt to the farms in turn: every
    seventh sold by weight, every ninth at 20 % VAT."""
    for n in range(count):
        by_weight = n % 7 == 3
        catalog_services.product_create(
            organisation=organisation, producer=farms[n % len(farms)], name=label.format(n + 1),
            category=scenario.CATEGORIES[n % len(scenario.CATEGORIES)],
            price=Decimal(rng.randint(150, 1800)) / 100,
            vat_rate=Decimal("20.00") if n % 9 == 8 else Decimal("5.50"),
            **({"unit_kind": "weight", "min_quantity": Decimal("0.5"),
                "quantity_step": Decimal("0.5")} if by_weight else {}),
        )  # fmt: skip


def users_create(prefix: str, count: int, last_name, rng: random.Random) -> list[User]:
    """``count`` people bulk-created (one hashed password), ``last_name(n)`` the n-th's."""
    password = make_password(secrets.token_urlsafe(16))
    return User.objects.bulk_create(
        [
            User(email=f"{prefix}-{n:06d}@bench.invalid", password=password,
                 first_name=rng.choice(scenario.FIRST_NAMES), last_name=last_name(n))
            for n in range(count)
        ],
        batch_size=2000,
    )  # fmt: skip


def _setting_up(members: int, producers: int, points: int, rng: random.Random):
    coordinator = User.objects.create_user(
        email="coordinatrice@historique.invalid", password=secrets.token_urlsafe(16)
    )
    organisation = org_services.organisation_create(
        creator=coordinator, name="Collectif historique", slug=SLUG
    )
    farms = []
    for n in range(producers):
        temporary = n >= producers - TEMPORARY_PRODUCERS
        farms.append(
            catalog_services.producer_create(
                organisation=organisation, name=f"Ferme historique {n + 1:02d}",
                status=ProducerLink.Status.TEMPORARY if temporary else ProducerLink.Status.ACTIVE,
                end_date=timezone.localdate() + timedelta(days=60) if temporary else None,
            )
        )  # fmt: skip
    products_create(organisation, farms, producers * PRODUCTS_PER_PRODUCER,
                    "Produit historique {:03d}", rng)  # fmt: skip
    point_ids = [
        sales_services.pickup_point_create(
            organisation=organisation, name=f"Point historique {village}", address="Place",
            town=village, latitude=Decimal("44.0") + Decimal(n) / 50,
            longitude=Decimal("1.9") + Decimal(n) / 50,
        ).pk
        for n, village in enumerate(scenario.VILLAGES[:points])
    ]  # fmt: skip
    users = users_create("historique", members + 1, lambda n: f"Historique-{n}", rng)
    producer_person, buyers = users[0], users[1:]
    Membership.objects.bulk_create(
        [Membership(organisation=organisation, user=user, status="active") for user in buyers]
        + [Membership(organisation=organisation, user=producer_person, status="active",
                      is_producer=True, producer=farms[0])],
        batch_size=2000,
    )  # fmt: skip
    return organisation, coordinator, producer_person, point_ids, [f.pk for f in farms], users


SALES_SQL = """
INSERT INTO sales_sale (created_at, updated_at, title, kind, status, opens_at, closes_at,
    note_to_members, opened_at, closed_at, after_cutoff_at, organisation_id)
SELECT c - interval '6 days', c, 'Vente du ' || to_char(c AT TIME ZONE %(zone)s, 'DD/MM/YYYY'),
    'order_cycle', 'distributed', c - interval '6 days', c, '', c - interval '6 days', c,
    c + interval '1 minute', %(org)s
FROM unnest(%(cutoffs)s::timestamptz[]) AS c
"""

# A pickup at each point on the Saturday after the cutoff, 09:00 local, 12 slots of 15 minutes;
# closed at its end, as a distributed sale's pickups are.
PICKUPS_SQL = """
INSERT INTO sales_pickup (created_at, updated_at, starts_at, ends_at, slot_mode, slot_minutes,
    slot_capacity, booked, lead_time, organisation_id, pickup_point_id, sale_id, closed_at)
SELECT s.created_at, s.updated_at, starts, starts + %(length)s * interval '1 minute', 'slots',
    %(minutes)s, %(capacity)s, 0, interval '0', s.organisation_id, p.id, s.id,
    CASE WHEN s.status = 'distributed' THEN starts + %(length)s * interval '1 minute' END
FROM sales_sale s
CROSS JOIN LATERAL (SELECT ((date_trunc('day', s.closes_at AT TIME ZONE %(zone)s)
    + interval '3 days 9 hours') AT TIME ZONE %(zone)s) AS starts) AS t
JOIN sales_pickuppoint p ON p.organisation_id = s.organisation_id
WHERE s.organisation_id = %(org)s
"""

SLOTS_SQL = """
INSERT INTO sales_slot (created_at, updated_at, starts_at, ends_at, capacity, booked, is_open,
    organisation_id, pickup_id)
SELECT k.created_at, k.updated_at, k.starts_at + n * %(minutes)s * interval '1 minute',
    k.starts_at + (n + 1) * %(minutes)s * interval '1 minute', %(capacity)s, 0, true,
    k.organisation_id, k.id
FROM sales_pickup k CROSS JOIN generate_series(0, %(slots)s - 1) AS n
WHERE k.organisation_id = %(org)s
"""

ITEMS_SQL = """
INSERT INTO sales_saleitem (created_at, updated_at, is_excluded, is_unavailable,
    quantity_ordered, organisation_id, product_id, sale_id)
SELECT s.created_at, s.updated_at, false, false, 0, s.organisation_id, p.id, s.id
FROM sales_sale s JOIN catalog_product p ON p.organisation_id = s.organisation_id
WHERE s.organisation_id = %(org)s
"""

# Order o of the sale numbered w (0 = the oldest): its buyer is member
# base(w) + (o × 7919 + w × 104729) mod window — 7919 is a prime above any window, so the
# orders of a sale have different buyers; points are skewed (the first ones busier).
ORDERS_SQL = """
WITH numbered AS (
    SELECT id, opens_at, closes_at, organisation_id,
        row_number() OVER (ORDER BY closes_at) - 1 AS w, count(*) OVER () AS weeks
    FROM sales_sale WHERE organisation_id = %(org)s
), drawn AS (
    SELECT s.*, o,
        (%(users)s::bigint[])[1 + (s.w * (%(members)s - %(window)s)) / greatest(s.weeks - 1, 1)
            + (o * 7919 + s.w * 104729) %% %(window)s] AS user_id,
        (%(points)s::bigint[])[1 + floor(%(point_count)s * power(random(), 1.6))::int]
            AS point_id,
        floor(random() * %(slots)s)::int AS slot_n, random() AS fate
    FROM numbered s CROSS JOIN generate_series(0, %(orders)s - 1) AS o
)
INSERT INTO bench_order (created_at, updated_at, code, number, status, note, total,
    idempotency_key, cancelled_at, organisation_id, pickup_id, sale_id, slot_id, user_id,
    arrival_note, collected_at)
SELECT d.opens_at + (d.o + 1) * interval '1 second', d.closes_at, gen_random_uuid(), d.o + 1,
    CASE WHEN d.fate < 0.03 THEN 'cancelled' WHEN d.fate < 0.05 THEN 'no_show'
         ELSE 'collected' END,
    '', 0, '', CASE WHEN d.fate < 0.03 THEN d.closes_at - interval '1 hour' END,
    d.organisation_id, k.id, d.id, t.id, d.user_id, '',
    CASE WHEN d.fate >= 0.05 THEN t.starts_at END
FROM drawn d
JOIN sales_pickup k ON k.sale_id = d.id AND k.pickup_point_id = d.point_id
JOIN sales_slot t ON t.pickup_id = k.id
    AND t.starts_at = k.starts_at + d.slot_n * %(minutes)s * interval '1 minute'
"""

# One to five different products per order: a start and a step through the catalog (the
# array of its product ids, ``products``: a join on a row number instead was a nested loop,
# minutes at 1,500 products), the step at most a quarter of it, so that five steps never come
# back to the start.
LINES_SQL = """
WITH size AS (
    SELECT cardinality(%(products)s::bigint[]) AS size,
        greatest((cardinality(%(products)s::bigint[]) - 1) / 4, 1) AS steps
), wanted AS (
    SELECT o.id AS order_id, o.sale_id, o.organisation_id, o.created_at, j,
        (o.id * 37 + j * (1 + o.id * 13 %% steps)) %% size AS n
    FROM bench_order o CROSS JOIN size CROSS JOIN generate_series(0, 4) AS j
    WHERE o.organisation_id = %(org)s AND j <= o.id * 7 %% least(5, size)
)
INSERT INTO orders_orderline (created_at, updated_at, product_name, unit_label, unit_kind,
    quantity, unit_price, vat_rate, variable_weight, amount, order_id, organisation_id,
    producer_id, product_id, sale_item_id, is_missing, substitution_note, content_count,
    content_unit)
SELECT w.created_at, w.created_at, p.name, p.unit_label, p.unit_kind, q.quantity, p.price,
    p.vat_rate, false, round(p.price * q.quantity, 2), w.order_id, w.organisation_id,
    p.producer_id, p.id, i.id, false, '', 0, ''
FROM wanted w
JOIN catalog_product p ON p.id = (%(products)s::bigint[])[1 + w.n]
CROSS JOIN LATERAL (SELECT CASE WHEN p.unit_kind = 'weight'
    THEN 0.5 * (1 + (w.order_id + w.j) %% 4) ELSE 1 + (w.order_id + w.j) %% 3 END AS quantity) q
JOIN sales_saleitem i ON i.sale_id = w.sale_id AND i.product_id = p.id
"""

# The orders are staged in a temporary table (keys from the orders' own sequence), their
# lines inserted from it, their totals set there, then copied: updating the totals of a
# million orders in place rewrote every row and its ten indexes (minutes at 100 sales).
STAGING_SQL = [
    "DROP TABLE IF EXISTS bench_order",
    "CREATE TEMPORARY TABLE bench_order (LIKE orders_order INCLUDING DEFAULTS) ON COMMIT DROP",
    """ALTER TABLE bench_order ALTER id
       SET DEFAULT nextval(pg_get_serial_sequence('orders_order', 'id'))""",
]

ORDERS_COPY_SQL = [
    """UPDATE bench_order o SET total = l.total
       FROM (SELECT order_id, sum(amount) AS total FROM orders_orderline
             WHERE organisation_id = %(org)s GROUP BY order_id) l
       WHERE o.id = l.order_id""",
    "INSERT INTO orders_order SELECT * FROM bench_order",
    "DROP TABLE bench_order",
]

COUNTERS_SQL = [
    """UPDATE sales_slot t SET booked = b.booked
       FROM (SELECT slot_id, count(*) AS booked FROM orders_order
             WHERE organisation_id = %(org)s AND status <> 'cancelled' GROUP BY slot_id) b
       WHERE t.id = b.slot_id""",
    """UPDATE sales_pickup k SET booked = b.booked
       FROM (SELECT pickup_id, count(*) AS booked FROM orders_order
             WHERE organisation_id = %(org)s AND status <> 'cancelled' GROUP BY pickup_id) b
       WHERE k.id = b.pickup_id""",
    """UPDATE sales_saleitem i SET quantity_ordered = q.quantity
       FROM (SELECT l.sale_item_id, sum(l.quantity) AS quantity FROM orders_orderline l
             JOIN orders_order o ON o.id = l.order_id
             WHERE l.organisation_id = %(org)s AND o.status <> 'cancelled'
             GROUP BY l.sale_item_id) q
       WHERE i.id = q.sale_item_id""",
    """INSERT INTO orders_saleordercounter (sale_id, last_number)
       SELECT id, %(orders)s FROM sales_sale WHERE organisation_id = %(org)s""",
]


def history_build(
    *,
    weeks: int = 156,
    orders_per_sale: int = 1000,
    members: int = 3000,
    window: int = 1500,
    producers: int = 20,
    points: int = 8,
    seed: int = 8,
    rollups: bool = True,
) -> History:
    """The collective and its ``weeks`` past weekly sales (see the module); with
    ``rollups``, each sale's dashboard rollup as the worker writes it once the sale closed
    (``insights.rollup``; here ``bench/rollups.py``'s SQL, every sale at once)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("the dashboards' history is generated in PostgreSQL's SQL")
    window = max(orders_per_sale, min(window, members))
    rng = random.Random(seed)
    started = clock.perf_counter()
    with transaction.atomic():
        organisation, coordinator, person, point_ids, producer_ids, users = _setting_up(
            members, producers, points, rng
        )
        zone = organisation.tzinfo
        params = {
            "org": organisation.pk, "zone": str(zone), "minutes": SLOT_MINUTES,
            "length": SLOT_MINUTES * SLOTS, "slots": SLOTS, "capacity": SLOT_CAPACITY,
            "cutoffs": _cutoffs(zone, weeks, timezone.localdate()),
            "users": [user.pk for user in users[1:]], "members": members, "window": window,
            "points": point_ids, "point_count": len(point_ids), "orders": orders_per_sale,
            "products": list(Product.objects.filter(organisation=organisation)
                             .order_by("pk").values_list("pk", flat=True)),
        }  # fmt: skip
        steps = {"setting_up": round(clock.perf_counter() - started, 1)}
        foreign_keys_unchecked()
        statements = {"sales": SALES_SQL, "pickups": PICKUPS_SQL, "slots": SLOTS_SQL,
                      "items": ITEMS_SQL, "orders": [*STAGING_SQL, ORDERS_SQL],
                      "lines": LINES_SQL, "counters": ORDERS_COPY_SQL + COUNTERS_SQL}  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [seed / 1000])
            for name, sql in statements.items():
                begun = clock.perf_counter()
                for statement in sql if isinstance(sql, list) else [sql]:
                    cursor.execute(statement, params)
                steps[name] = round(clock.perf_counter() - begun, 1)
    if rollups:
        begun = clock.perf_counter()
        with transaction.atomic():
            foreign_keys_unchecked()
            sale_ids = Sale.objects.filter(organisation=organisation).values_list("pk", flat=True)
            rollups_write(organisation=organisation, sale_ids=list(sale_ids))
        steps["rollups"] = round(clock.perf_counter() - begun, 1)
    # The rollups of years of sales were written over years: vacuumed since.
    settle(vacuumed=ROLLUP_TABLES if rollups else ())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM orders_order WHERE organisation_id = %(org)s),"
            " (SELECT count(*) FROM orders_orderline WHERE organisation_id = %(org)s)",
            {"org": organisation.pk},
        )
        orders, lines = cursor.fetchone()
    return History(
        organisation=organisation, coordinator=coordinator, producer_person=person,
        point_ids=point_ids, producer_ids=producer_ids, sales=weeks, orders=orders,
        lines=lines, members=members, seconds=round(clock.perf_counter() - started, 1),
        steps=steps,
    )  # fmt: skip
