"""The raw-SQL floor: the order placement transaction, executed directly with psycopg.

Same statements, in the same order, as ``order_place``'s transaction (cabas/orders/services.py):
the sale's share lock (``SELECT … FOR SHARE``) and its open/cutoff check, the membership,
one active order per member, the order and its lines, then the conditional UPDATEs on the
slot, the pickup, the sale items by primary key and the shop stock, the order number counter,
the number, and the order's event — then COMMIT. What the application does around it
(authenticating the token, reading the request's products, pickup and slot, serializing the
answer, queueing the e-mail task after the commit) is left out: the floor is what the
database alone can do, so application/floor says how much the rest costs.

The same number of workers as virtual shoppers place orders at once, each with its own
connection (threads in one process per core, so the client's Python is not the limit), in a
fresh sale of the same shape as the HTTP run's, with the same choices: 3–8 lines, hot
products in most orders, a dropped product on ``out_of_stock`` and another slot on
``slot_full``. Rows are built from the Django models' columns and defaults (prepared by the
orchestrator), so a new column with a default does not break the floor.
"""

from __future__ import annotations

import enum
import math
import multiprocessing
import queue as queues
import random
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

P_HOT = 0.7
P_STALE_HOT = 0.15
MAX_ATTEMPTS = 3


class Refused(Exception):
    def __init__(self, code: str, item: int | None = None, slot: int | None = None):
        super().__init__(code)
        self.code, self.item, self.slot = code, item, slot


@dataclass
class Plan:
    """Everything a floor worker needs, with no Django: picklable plain data."""

    conninfo: str
    sale_id: int
    organisation_id: int
    slots: list[tuple[int, int]]  # (pickup_id, slot_id), by pickup then time
    items: list[dict]  # sale_item_id, product_id, producer_id, name, … , hot, shop
    user_ids: list[int]
    tables: dict[str, str]
    order_columns: list[str]
    order_defaults: dict
    line_columns: list[str]
    line_defaults: dict
    event_columns: list[str]
    event_defaults: dict
    json_columns: list[str]
    workers: int
    seconds: float
    seed: int


def plan_build(*, sale, user_ids: list[int], workers: int, seconds: float, seed: int) -> Plan:
    """Read the sale and the models' columns with Django (in the orchestrator)."""
    from django.db import connection
    from django.db.models import JSONField

    from cabas.catalog.models import Product
    from cabas.orders import pricing
    from cabas.orders.models import Order, OrderEvent, OrderLine, SaleOrderCounter
    from cabas.orgs.models import Membership
    from cabas.sales.models import Pickup, Sale, SaleItem, Slot

    from .scenario import HOT_PRODUCTS

    def columns(model, skip=("id",)):
        fields = [f for f in model._meta.concrete_fields if f.column not in skip]
        defaults = {}
        for f in fields:
            value = f.get_default()
            # Plain values only: the plan is pickled for processes that have no Django.
            defaults[f.column] = value.value if isinstance(value, enum.Enum) else value
        json = [f.column for f in fields if isinstance(f, JSONField)]
        return [f.column for f in fields], defaults, json

    settings = connection.settings_dict
    conninfo = " ".join(
        f"{key}={value}"
        for key, value in {
            "dbname": settings["NAME"], "user": settings["USER"],
            "password": settings["PASSWORD"], "host": settings["HOST"],
            "port": settings["PORT"],
        }.items()
        if value
    )  # fmt: skip
    slots = [
        (slot.pickup_id, slot.pk)
        for slot in Slot.objects.filter(pickup__sale=sale).order_by("pickup__starts_at",
                                                                    "pickup_id", "starts_at")
    ]  # fmt: skip
    hot_names = {f"Très demandé {n + 1:02d}" for n in range(HOT_PRODUCTS)}
    items = []
    for item in SaleItem.objects.offered().filter(sale=sale).select_related("product"):
        product = item.product
        items.append(
            {
                "sale_item_id": item.pk,
                "product_id": product.pk,
                "producer_id": product.producer_id,
                "name": product.name,
                "unit_label": product.unit_label,
                "unit_kind": product.unit_kind,
                "unit_price": pricing.unit_price(product),
                "vat_rate": product.vat_rate,
                "variable_weight": product.variable_weight,
                "price_per_kg": product.price_per_kg,
                "estimated_weight_kg": product.estimated_weight_kg,
                "min_quantity": product.min_quantity,
                "quantity_step": product.quantity_step,
                "hot": product.name in hot_names,
                "shop": product.stock_mode == Product.StockMode.SHOP,
            }
        )
    order_columns, order_defaults, _json = columns(Order)
    line_columns, line_defaults, _json = columns(OrderLine)
    event_columns, event_defaults, json_columns = columns(OrderEvent)
    SaleOrderCounter.objects.get_or_create(sale_id=sale.pk)
    tables = {
        "sale": Sale._meta.db_table, "membership": Membership._meta.db_table,
        "order": Order._meta.db_table, "line": OrderLine._meta.db_table,
        "event": OrderEvent._meta.db_table, "slot": Slot._meta.db_table,
        "pickup": Pickup._meta.db_table, "item": SaleItem._meta.db_table,
        "product": Product._meta.db_table, "counter": SaleOrderCounter._meta.db_table,
    }  # fmt: skip
    return Plan(
        conninfo=conninfo,
        sale_id=sale.pk,
        organisation_id=sale.organisation_id,
        slots=slots,
        items=items,
        user_ids=user_ids,
        tables=tables,
        order_columns=order_columns,
        order_defaults=order_defaults,
        line_columns=line_columns,
        line_defaults=line_defaults,
        event_columns=event_columns,
        event_defaults=event_defaults,
        json_columns=json_columns,
        workers=workers,
        seconds=seconds,
        seed=seed,
    )


# --- The transaction --------------------------------------------------------------------------


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class Placer:
    """One worker's connection and its prepared statements."""

    def __init__(self, plan: Plan):
        import psycopg

        self.plan = plan
        self.connection = psycopg.connect(plan.conninfo, autocommit=False)
        t = plan.tables
        # Table and column names come from the Django models, never from input.
        self.sql = {
            "sale": f"SELECT status, opens_at, closes_at FROM {t['sale']} WHERE id = %s FOR SHARE",  # noqa: S608
            "member": f"SELECT id FROM {t['membership']} WHERE organisation_id = %s"  # noqa: S608
            " AND user_id = %s AND status = 'active' LIMIT 1",
            "active": f"SELECT 1 FROM {t['order']} WHERE status <> 'cancelled'"  # noqa: S608
            " AND sale_id = %s AND user_id = %s LIMIT 1",
            "order": f"INSERT INTO {t['order']} ({', '.join(plan.order_columns)}) VALUES"  # noqa: S608
            f" ({', '.join(['%s'] * len(plan.order_columns))}) RETURNING id",
            "slot": f"UPDATE {t['slot']} SET booked = booked + 1"  # noqa: S608
            " WHERE booked < capacity AND is_open AND id = %s",
            "pickup": f"UPDATE {t['pickup']} SET booked = booked + 1"  # noqa: S608
            " WHERE id = %s AND (capacity IS NULL OR booked < capacity)",
            "item": f"UPDATE {t['item']} SET quantity_ordered = quantity_ordered + %s"  # noqa: S608
            " WHERE id = %s AND (quantity_available IS NULL"
            " OR quantity_available >= quantity_ordered + %s)",
            "stock": f"UPDATE {t['product']} SET stock_quantity = stock_quantity - %s"  # noqa: S608
            " WHERE id = %s AND stock_mode = 'shop' AND stock_quantity >= %s",
            "counter": f"UPDATE {t['counter']} SET last_number = last_number + 1"  # noqa: S608
            " WHERE sale_id = %s",
            "number": f"SELECT last_number FROM {t['counter']} WHERE sale_id = %s",  # noqa: S608
            "set_number": f"UPDATE {t['order']} SET number = %s WHERE id = %s",  # noqa: S608
            "event": f"INSERT INTO {t['event']} ({', '.join(plan.event_columns)}) VALUES"  # noqa: S608
            f" ({', '.join(['%s'] * len(plan.event_columns))})",
        }
        self.line_head = f"INSERT INTO {t['line']} ({', '.join(plan.line_columns)}) VALUES "  # noqa: S608
        self.line_row = f"({', '.join(['%s'] * len(plan.line_columns))})"

    def place(self, user_id: int, pickup_id: int, slot_id: int, lines: list[tuple[dict, Decimal]]):
        from psycopg.types.json import Jsonb

        plan = self.plan
        now = datetime.now(UTC)
        total = sum((_money(item["unit_price"] * q) for item, q in lines), Decimal("0"))
        with self.connection.transaction():
            cursor = self.connection.cursor()
            status, opens_at, closes_at = cursor.execute(
                self.sql["sale"], (plan.sale_id,)
            ).fetchone()
            now = datetime.now(UTC)  # the clock is read once the sale is locked
            if status != "open" or not opens_at <= now < closes_at:
                raise Refused("sale_closed")
            if (
                cursor.execute(self.sql["member"], (plan.organisation_id, user_id)).fetchone()
                is None
            ):
                raise Refused("not_a_member")
            if cursor.execute(self.sql["active"], (plan.sale_id, user_id)).fetchone():
                raise Refused("already_ordered")
            order = dict(plan.order_defaults)
            order.update(
                created_at=now, updated_at=now, organisation_id=plan.organisation_id,
                sale_id=plan.sale_id, user_id=user_id, code=uuid.uuid4(), number=None,
                status="placed", pickup_id=pickup_id, slot_id=slot_id, note="", total=total,
                idempotency_key=uuid.uuid4().hex,
            )  # fmt: skip
            (order_id,) = cursor.execute(
                self.sql["order"], [order[c] for c in plan.order_columns]
            ).fetchone()
            values = []
            for item, quantity in lines:
                line = dict(plan.line_defaults)
                line.update(
                    created_at=now, updated_at=now, organisation_id=plan.organisation_id,
                    order_id=order_id, sale_item_id=item["sale_item_id"],
                    product_id=item["product_id"], producer_id=item["producer_id"],
                    product_name=item["name"], unit_label=item["unit_label"],
                    unit_kind=item["unit_kind"], quantity=quantity,
                    unit_price=item["unit_price"], vat_rate=item["vat_rate"],
                    variable_weight=item["variable_weight"], price_per_kg=item["price_per_kg"],
                    estimated_weight_kg=item["estimated_weight_kg"],
                    amount=_money(item["unit_price"] * quantity),
                )  # fmt: skip
                values.extend(line[c] for c in plan.line_columns)
            cursor.execute(self.line_head + ", ".join([self.line_row] * len(lines)), values)
            if not cursor.execute(self.sql["slot"], (slot_id,)).rowcount:
                raise Refused("slot_full", slot=slot_id)
            if not cursor.execute(self.sql["pickup"], (pickup_id,)).rowcount:
                raise Refused("slot_full", slot=slot_id)
            for item, quantity in sorted(lines, key=lambda line: line[0]["sale_item_id"]):
                args = (quantity, item["sale_item_id"], quantity)
                if not cursor.execute(self.sql["item"], args).rowcount:
                    raise Refused("out_of_stock", item=item["sale_item_id"])
            for item, quantity in sorted(lines, key=lambda line: line[0]["product_id"]):
                if item["shop"]:
                    args = (quantity, item["product_id"], quantity)
                    if not cursor.execute(self.sql["stock"], args).rowcount:
                        raise Refused("out_of_stock", item=item["sale_item_id"])
            cursor.execute(self.sql["counter"], (plan.sale_id,))
            (number,) = cursor.execute(self.sql["number"], (plan.sale_id,)).fetchone()
            cursor.execute(self.sql["set_number"], (number, order_id))
            event = dict(plan.event_defaults)
            event.update(organisation_id=plan.organisation_id, order_id=order_id,
                         kind="placed", by_id=user_id, at=now)  # fmt: skip
            cursor.execute(
                self.sql["event"],
                [
                    Jsonb(event[c]) if c in plan.json_columns else event[c]
                    for c in plan.event_columns
                ],
            )
        return order_id


# --- Workers ----------------------------------------------------------------------------------


class _Shared:
    """What the threads of one process share: the members' counter (across processes), and
    what they learnt of sold-out products and full slots (as a shopper learns it from the
    catalog and the slots page)."""

    def __init__(self, counter, lock):
        self.counter, self.lock = counter, lock
        self.sold_out: set[int] = set()
        self.full: set[int] = set()

    def next_user(self, plan: Plan) -> int | None:
        with self.lock:
            index = self.counter.value
            if index >= len(plan.user_ids):
                return None
            self.counter.value = index + 1
        return plan.user_ids[index]


def _choose_lines(plan: Plan, shared: _Shared, rng: random.Random) -> list[tuple[dict, Decimal]]:
    count = rng.randint(3, 8)
    hot = [item for item in plan.items if item["hot"]]
    regular = [item for item in plan.items if not item["hot"]]
    chosen = []
    if rng.random() < P_HOT:
        available = [item for item in hot if item["sale_item_id"] not in shared.sold_out]
        pool = available if available and rng.random() > P_STALE_HOT else hot
        for item in rng.sample(pool, min(len(pool), rng.randint(1, 2))):
            chosen.append((item, item["min_quantity"] + item["quantity_step"] * rng.randint(0, 1)))
    for item in rng.sample(regular, count - len(chosen)):
        chosen.append((item, item["min_quantity"] + item["quantity_step"] * rng.randint(0, 2)))
    return chosen


def _choose_slot(plan: Plan, shared: _Shared, rng: random.Random) -> tuple[int, int] | None:
    by_pickup: dict[int, list[int]] = {}
    for pickup_id, slot_id in plan.slots:
        if slot_id not in shared.full:
            by_pickup.setdefault(pickup_id, []).append(slot_id)
    if not by_pickup:
        return None
    pickups = list(by_pickup)
    pickup_id = rng.choices(pickups, weights=[1 / (i + 1) for i in range(len(pickups))])[0]
    slots = by_pickup[pickup_id]
    return pickup_id, rng.choices(slots, weights=[1 / (i + 1) for i in range(len(slots))])[0]


def _worker(plan, shared, number, start_at, deadline, out) -> None:
    rng = random.Random(plan.seed * 7919 + number)
    placer = Placer(plan)
    latencies, rejections, placed = [], {}, 0
    time.sleep(max(0.0, start_at - time.time()))
    stopped_by = "time"
    while time.time() < deadline:
        user_id = shared.next_user(plan)
        if user_id is None:
            stopped_by = "members"
            break
        lines = _choose_lines(plan, shared, rng)
        for _attempt in range(MAX_ATTEMPTS):
            place = _choose_slot(plan, shared, rng)
            if place is None:
                stopped_by = "slots"
                break
            started = time.perf_counter()
            try:
                placer.place(user_id, place[0], place[1], lines)
            except Refused as refusal:
                rejections[refusal.code] = rejections.get(refusal.code, 0) + 1
                if refusal.code == "out_of_stock":
                    shared.sold_out.add(refusal.item)
                    lines = [line for line in lines if line[0]["sale_item_id"] != refusal.item]
                    if not lines:
                        break
                elif refusal.code == "slot_full":
                    shared.full.add(refusal.slot)
                else:
                    break
            else:
                latencies.append((time.perf_counter() - started) * 1000)
                placed += 1
                break
        if stopped_by == "slots":
            break
    out.append({"placed": placed, "latencies": latencies, "rejections": rejections,
                "ended_at": time.time(), "stopped_by": stopped_by,
                "placer": placer})  # fmt: skip


def _process(plan, counter, lock, numbers, start_at, deadline, queue, release) -> None:
    cpu_started = time.process_time()
    shared = _Shared(counter, lock)
    out: list = []
    threads = [
        threading.Thread(target=_worker, args=(plan, shared, n, start_at, deadline, out))
        for n in numbers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    placers = [row.pop("placer") for row in out]
    out[0]["cpu_s"] = time.process_time() - cpu_started
    queue.put(out)
    # The connections stay open until the orchestrator has read the database server's CPU
    # counters (a backend's CPU time goes with it when it exits).
    release.wait(timeout=600)
    for placer in placers:
        placer.connection.close()


def run(plan: Plan, *, processes: int, before_close=None) -> dict:
    """Run the floor; returns its figures (orders/s, latencies of the transactions, refusals).
    ``before_close`` is called once every worker is done, before they close their connections."""
    context = multiprocessing.get_context("spawn")
    counter, lock, queue = context.Value("i", 0, lock=False), context.Lock(), context.Queue()
    release = context.Event()
    processes = max(1, min(processes, plan.workers))
    start_at = time.time() + 3.0  # every process started and connected
    deadline = start_at + plan.seconds
    children = [
        context.Process(
            target=_process,
            args=(
                plan,
                counter,
                lock,
                list(range(p, plan.workers, processes)),
                start_at,
                deadline,
                queue,
                release,
            ),
        )  # fmt: skip
        for p in range(processes)
    ]
    for child in children:
        child.start()
    results: list[dict] = []
    waiting = len(children)
    while waiting:
        try:
            results.extend(queue.get(timeout=1.0))
            waiting -= 1
        except queues.Empty:
            if time.time() > deadline + 120 or any(
                child.exitcode not in (None, 0) for child in children
            ):
                for child in children:
                    child.kill()
                raise RuntimeError("a floor process failed (see its traceback above)") from None
    extra = before_close() if before_close is not None else None
    release.set()
    for child in children:
        child.join()
    placed = sum(row["placed"] for row in results)
    elapsed = max(row["ended_at"] for row in results) - start_at
    rejections: dict[str, int] = {}
    for row in results:
        for code, count in row["rejections"].items():
            rejections[code] = rejections.get(code, 0) + count
    latencies = sorted(ms for row in results for ms in row["latencies"])
    stopped = {row["stopped_by"] for row in results}
    return {
        "workers": plan.workers,
        "processes": processes,
        "seconds": plan.seconds,
        "elapsed_s": round(elapsed, 3),
        "placed": placed,
        "orders_per_s": round(placed / elapsed, 1) if elapsed > 0 else None,
        "transaction_ms": percentiles(latencies),
        "rejections": rejections,
        "stopped_by": sorted(stopped),
        "client_cpu_s": round(sum(row.get("cpu_s", 0.0) for row in results), 2),
        "before_close": extra,
    }


def percentiles(values: list[float]) -> dict:
    """p50/p95/p99 (nearest rank) of sorted values, in ms."""
    if not values:
        return {"count": 0, "p50": None, "p95": None, "p99": None, "max": None}

    def rank(p: float) -> float:
        return round(values[min(len(values), max(1, math.ceil(p * len(values)))) - 1], 1)

    return {"count": len(values), "p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99),
            "max": round(values[-1], 1)}  # fmt: skip
