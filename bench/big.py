"""An organisation at ten times our collective's size for the page crawl (PostgreSQL only).

150 producers, 1,500 products, 120 pickup points, 3,000 members (and 7,500 more buyers who
are not members: a member has one active order per sale, and a sale here has 10,000 orders —
the organisation is open to non-members), ``past_sales`` distributed weekly sales, one sale
closed but not yet distributed (its pickups are in two days) and one open sale (cutoff in
three days), each of ``orders_per_sale`` orders of one to five lines.

The few structural objects go through the services (the organisation, its producers,
products and pickup points, a coordinator, a volunteer, a producer's person); the mass reuses
the SQL of bench/history.py (``INSERT … SELECT`` over ``generate_series``) including the
counters the services keep (order totals, slots' and pickups' ``booked``, items'
``quantity_ordered``, the sales' order counters). The last two sales are then given their
status: their orders are "to prepare", none collected. The distributed sales' dashboard
rollups are written in SQL as well (``bench/rollups.py``, the service's rows). A cooperative's
shifts, through the services: four shifts of the cycle and ``shift_members`` members on them
(the crawl's member among the regulars, with a corrected counter), their dated shifts made.
"""

from __future__ import annotations

import random
import secrets
import time as clock
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from cabas.accounts.models import User
from cabas.catalog import services as catalog_services
from cabas.catalog.models import Product
from cabas.insights import snapshots
from cabas.orders.models import Order
from cabas.orgs import services as org_services
from cabas.orgs.models import Membership, Organisation
from cabas.sales import services as sales_services
from cabas.sales.models import Pickup, Sale
from cabas.work import services as work_services
from cabas.work.models import ShiftMember

from . import history, scenario
from .rollups import rollups_write

SLUG = "dix-fois"
# Our collective's size: a tenth of each (bench/crawl.py compares the pages at both sizes).
ONE_TIME = {"slug": "une-fois", "orders_per_sale": 1000, "members": 300, "producers": 15,
            "products": 150, "points": 12, "shift_members": 6}  # fmt: skip
# The cycle's shifts (week, weekday, start hour, task): a coop's reception and till.
SHIFTS = ((0, 2, 9, "Accueil"), (1, 2, 9, "Accueil"), (2, 5, 14, "Caisse"), (3, 5, 14, "Caisse"))


@dataclass
class Big:
    organisation: Organisation
    people: dict[str, User]  # role -> person
    open_sale: Sale
    closed_sale: Sale
    checkin_pickup: Pickup  # the closed sale's pickup nearest 300 orders
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)


def _cutoffs(zone, past_sales: int) -> list[datetime]:
    """Weekly Wednesday 20:00 cutoffs: ``past_sales`` before last week, then yesterday's
    (closed, pickups in two days) and one in three days (open)."""
    today = timezone.localdate()
    past = history._cutoffs(zone, past_sales + 1, today - timedelta(days=7))[:past_sales]
    return [
        *past,
        timezone.make_aware(datetime.combine(today - timedelta(days=1), time(20)), zone),
        timezone.make_aware(datetime.combine(today + timedelta(days=3), time(20)), zone),
    ]


def _structure(*, slug: str, producers: int, products: int, points: int, rng: random.Random):
    people = {
        role: User.objects.create_user(
            email=f"{role}@{slug}.invalid", password=secrets.token_urlsafe(16),
            first_name=role.capitalize(), last_name="Dix-Fois",
        )
        for role in ("coordinator", "producer", "volunteer")
    }  # fmt: skip
    organisation = org_services.organisation_create(
        creator=people["coordinator"], name=f"Collectif {slug}", slug=slug
    )
    farms = [
        catalog_services.producer_create(organisation=organisation, name=f"Ferme {n + 1:03d}")
        for n in range(producers)
    ]
    history.products_create(organisation, farms, products, "Produit {:04d}", rng)
    point_ids = [
        sales_services.pickup_point_create(
            organisation=organisation, name=f"Point {n + 1:03d}", address="Place",
            town=scenario.VILLAGES[n % len(scenario.VILLAGES)],
        ).pk
        for n in range(points)
    ]  # fmt: skip
    return organisation, people, farms, point_ids


def _buyers(organisation, people, farm, *, members: int, buyers: int, rng) -> list[int]:
    """``buyers`` people, the first ``members`` of them members; the producer's person and
    the volunteer get their membership's flags."""
    users = history.users_create(
        organisation.slug, buyers, lambda n: f"{rng.choice(scenario.LAST_NAMES)}-{n}", rng
    )
    Membership.objects.bulk_create(
        [Membership(organisation=organisation, user=user, status="active")
         for user in users[: members - 2]]
        + [Membership(organisation=organisation, user=people["producer"], status="active",
                      is_producer=True, producer=farm),
           Membership(organisation=organisation, user=people["volunteer"], status="active",
                      is_volunteer=True)],
        batch_size=2000,
    )  # fmt: skip
    return [people["volunteer"].pk, *(user.pk for user in users)]


FIX_SQL = [
    # The open sale: open since six days, its orders to prepare.
    """UPDATE sales_sale SET status = 'open', closed_at = NULL, after_cutoff_at = NULL
       WHERE id = %(open)s""",
    """UPDATE sales_sale SET status = 'closed' WHERE id = %(closed)s""",
    """UPDATE sales_pickup SET closed_at = NULL WHERE sale_id IN (%(open)s, %(closed)s)""",
    """UPDATE orders_order SET status = CASE WHEN status = 'cancelled' THEN 'cancelled'
           ELSE 'placed' END, collected_at = NULL, updated_at = created_at
       WHERE sale_id IN (%(open)s, %(closed)s)""",
]


def big_build(
    *,
    slug: str = SLUG,
    past_sales: int = 100,
    orders_per_sale: int = 10_000,
    members: int = 3000,
    producers: int = 150,
    products: int = 1500,
    points: int = 120,
    shift_members: int = 60,
    seed: int = 8,
    rollups: bool = True,
) -> Big:
    """The organisation (see the module), its sales and, with ``rollups``, the dashboards'
    rollups of its distributed sales."""
    if connection.vendor != "postgresql":
        raise RuntimeError("the ten-times organisation is generated in PostgreSQL's SQL")
    rng = random.Random(seed)
    started = clock.perf_counter()
    steps: dict[str, float] = {}
    buyers = max(members, orders_per_sale + orders_per_sale // 20)
    with transaction.atomic():
        organisation, people, farms, point_ids = _structure(
            slug=slug, producers=producers, products=products, points=points, rng=rng
        )
        users = _buyers(organisation, people, farms[0], members=members, buyers=buyers, rng=rng)
        steps["services_and_people"] = round(clock.perf_counter() - started, 1)
        history.foreign_keys_unchecked()
        zone = organisation.tzinfo
        cutoffs = _cutoffs(zone, past_sales)
        params = {
            "org": organisation.pk, "zone": str(zone), "minutes": history.SLOT_MINUTES,
            "length": history.SLOT_MINUTES * history.SLOTS, "slots": history.SLOTS,
            "capacity": history.SLOT_CAPACITY * 2, "cutoffs": cutoffs, "users": users,
            "members": len(users), "window": orders_per_sale, "points": point_ids,
            "point_count": len(point_ids), "orders": orders_per_sale,
            "products": list(Product.objects.filter(organisation=organisation)
                             .order_by("pk").values_list("pk", flat=True)),
        }  # fmt: skip
        statements = {"sales": [history.SALES_SQL], "pickups": [history.PICKUPS_SQL],
                      "slots": [history.SLOTS_SQL], "items": [history.ITEMS_SQL],
                      "orders": [*history.STAGING_SQL, history.ORDERS_SQL],
                      "lines": [history.LINES_SQL], "totals": history.ORDERS_COPY_SQL}  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [seed / 1000])
            for name, sqls in statements.items():
                begun = clock.perf_counter()
                for sql in sqls:
                    cursor.execute(sql, params)
                steps[name] = round(clock.perf_counter() - begun, 1)
            sales = list(
                Sale.objects.filter(organisation=organisation)
                .order_by("closes_at")
                .values_list("pk", flat=True)
            )
            begun = clock.perf_counter()
            for statement in FIX_SQL:
                cursor.execute(statement, {"open": sales[-1], "closed": sales[-2]})
            for statement in history.COUNTERS_SQL:
                cursor.execute(statement, params)
            steps["counters"] = round(clock.perf_counter() - begun, 1)
        begun = clock.perf_counter()
    steps["commit"] = round(clock.perf_counter() - begun, 1)
    if rollups:
        begun = clock.perf_counter()
        with transaction.atomic():
            history.foreign_keys_unchecked()
            rollups_write(organisation=organisation, sale_ids=sales[:-2])
        steps["rollups"] = round(clock.perf_counter() - begun, 1)
    # A million orders written over two years would have been vacuumed since: without it, the
    # first visits set the new rows' hint bits and autovacuum runs during the crawl.
    history.settle(vacuumed=("orders_order", "orders_orderline", *history.ROLLUP_TABLES))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM orders_order WHERE organisation_id = %(org)s),"
            " (SELECT count(*) FROM orders_orderline WHERE organisation_id = %(org)s)",
            {"org": organisation.pk},
        )
        orders, lines = cursor.fetchone()
    closed = Sale.objects.get(pk=sales[-2])
    pickups = Pickup.objects.filter(sale=closed)
    checkin = min(pickups, key=lambda pickup: abs(pickup.booked - 300))
    people["member"] = _member(organisation, closed)
    _shifts(organisation, people, shift_members=shift_members)
    if rollups:
        # What the worker's sweep does after the rollups: the dashboards' default views.
        begun = clock.perf_counter()
        snapshots.organisation_dashboards_refresh(organisation=organisation)
        steps["snapshots"] = round(clock.perf_counter() - begun, 1)
    return Big(
        organisation=organisation, people=people, open_sale=Sale.objects.get(pk=sales[-1]),
        closed_sale=closed, checkin_pickup=checkin,
        counts={"sales": len(sales), "orders": orders, "lines": lines, "members": members,
                "buyers": buyers, "producers": producers, "products": products,
                "points": points, "checkin_pickup_orders": checkin.booked,
                "shift_members": shift_members},
        seconds=round(clock.perf_counter() - started, 1), steps=steps,
    )  # fmt: skip


def _member(organisation: Organisation, closed: Sale) -> User:
    """A member without a role who has an order in the closed sale (not every member has:
    each sale's buyers are a window of the people, see bench/history.py)."""
    membership = (
        Membership.objects.filter(
            organisation=organisation, status="active", is_producer=False,
            is_volunteer=False, is_coordinator=False,
            user__in=Order.objects.filter(sale=closed).active().values("user"),
        )
        .select_related("user").order_by("pk").first()
    )  # fmt: skip
    return membership.user


def _shifts(organisation: Organisation, people: dict[str, User], *, shift_members: int) -> None:
    """The cycle's ``SHIFTS`` and members on them, through the services: the crawl's member
    regular on the first (a counter corrected once, so their ledger has a line), then
    plain members, regular and flying in turn; the dated shifts of the coming weeks."""
    templates = [
        work_services.shift_template_save(
            organisation=organisation, week=week, weekday=weekday, start_time=time(hour),
            end_time=time(hour + 3), places=3, new_task_name=task,
        )
        for week, weekday, hour, task in SHIFTS
    ]  # fmt: skip
    member = Membership.objects.get(organisation=organisation, user=people["member"])
    others = (
        Membership.objects.filter(
            organisation=organisation, is_producer=False, is_volunteer=False, is_coordinator=False
        )
        .exclude(pk=member.pk)
        .order_by("pk")[: max(shift_members - 1, 0)]
    )
    for n, membership in enumerate([member, *others]):
        regular = n % 2 == 0
        work_services.shift_member_set(
            membership=membership,
            regime=ShiftMember.Regime.REGULAR if regular else ShiftMember.Regime.FLYING,
            template=templates[(n // 2) % len(templates)] if regular else None,
        )  # fmt: skip
    work_services.counter_correct(
        membership=member, delta=1, note="Permanence faite avant Cabas", by=people["coordinator"]
    )
    work_services.shifts_generate(organisation=organisation, now=timezone.now())


def big_find(slug: str = SLUG) -> Big:
    """An organisation built earlier (``--keep``'s database), to crawl it again."""
    organisation = Organisation.objects.get(slug=slug)
    people = {
        role: User.objects.get(email=f"{role}@{slug}.invalid")
        for role in ("coordinator", "producer", "volunteer")
    }
    sales = Sale.objects.filter(organisation=organisation).order_by("closes_at")
    open_sale, closed = sales.reverse()[0], sales.reverse()[1]
    checkin = min(Pickup.objects.filter(sale=closed), key=lambda pickup: abs(pickup.booked - 300))
    people["member"] = _member(organisation, closed)
    return Big(organisation=organisation, people=people, open_sale=open_sale,
               closed_sale=closed, checkin_pickup=checkin)  # fmt: skip
