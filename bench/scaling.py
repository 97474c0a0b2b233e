"""How the after-cutoff work grows with the number of orders, and a 10,000-line import.

A closed sale of the bench organisation is filled with 1,000, then 10,000, then 50,000
orders of about five lines (bulk-created rows, not the ordering service: only their number
matters here), and at each size the closing summaries (``producer_totals``,
``producer_pickup_totals``, ``customer_lines``, for the whole sale) and the preparation lists
of every pickup (``preparation_orders`` read into ``preparation_sheets``) are timed — the
median of a few runs — with the number of queries each makes. Then a product file of
10,000 lines (our CSV template) goes through ``product_import_start``, ``product_import_check``
and ``product_import_apply``, as the worker runs them; then the same file again, unchanged,
and again with 1 % of its prices changed (the products written are counted).
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cabas.catalog import imports
from cabas.catalog import services as catalog_services
from cabas.distribution import sheets
from cabas.orders import pricing, summaries
from cabas.orders.models import Order, OrderLine
from cabas.sales import services as sales_services
from cabas.sales.models import Pickup, SaleItem, Slot

from . import scenario

REPEATS = 3
P_CANCELLED = 0.04
IMPORT_HEADER = (
    "reference;name;producer;category;description;unit_kind;unit_label;price;vat_rate;"
    "variable_weight;price_per_kg;estimated_weight_kg;min_quantity;quantity_step;organic;"
    "local;stock_mode;quantity;active"
)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _timed(function, repeats: int) -> dict:
    """Median and first run in seconds, and the queries of a run (counted in the first one:
    recording a few statements costs nothing next to what they read)."""
    runs, cpu = [], []
    with CaptureQueriesContext(connection) as captured:
        started, cpu_started = time.perf_counter(), time.process_time()
        function()
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    queries = len(captured.captured_queries)  # read before reset_queries() empties the log
    database_s = _database_seconds(captured.captured_queries)
    reset_queries()
    for _ in range(repeats - 1):
        started, cpu_started = time.perf_counter(), time.process_time()
        function()
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    # cpu_s: this process's CPU (Python's part, the database's is database_s), the figure
    # that holds when the machine is shared.
    return {"seconds": round(statistics.median(runs), 4), "first_s": round(runs[0], 4),
            "cpu_s": round(statistics.median(cpu), 4),
            "runs": len(runs), "queries": queries, "database_s": database_s}  # fmt: skip


def _database_seconds(captured: list[dict]) -> float | None:
    """The database's own time for the statements of a run: each SELECT executed again under
    EXPLAIN ANALYZE, its "Execution Time" summed (PostgreSQL only; None elsewhere). This is
    what the server spends, without the transfer and Python's conversion of the rows."""
    if connection.vendor != "postgresql":
        return None
    total_ms = 0.0
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            # The statement was just run by Django (values already bound in the logged SQL).
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)  # noqa: S608
            total_ms += cursor.fetchone()[0][0]["Execution Time"]
    return round(total_ms / 1000, 4)


def _orders_add(sale, user_ids, slots, items, start: int, stop: int, rng) -> None:
    """Orders ``start``…``stop - 1`` of the sale (users, slots and lines at random)."""
    now = timezone.now()
    orders, plans = [], []
    for n in range(start, stop):
        pickup_id, slot_id = rng.choice(slots)
        chosen = rng.sample(items, rng.randint(3, 7))
        lines = []
        for item in chosen:
            product = item.product
            quantity = product.min_quantity + product.quantity_step * rng.randint(0, 2)
            price = pricing.unit_price(product)
            lines.append((item, quantity, price, _money(price * quantity)))
        cancelled = rng.random() < P_CANCELLED
        orders.append(
            Order(
                organisation_id=sale.organisation_id, sale_id=sale.pk, user_id=user_ids[n],
                number=n + 1, pickup_id=pickup_id, slot_id=slot_id,
                status=Order.Status.CANCELLED if cancelled else Order.Status.PLACED,
                cancelled_at=now if cancelled else None,
                total=sum((line[3] for line in lines), Decimal("0")),
            )
        )  # fmt: skip
        plans.append(lines)
    Order.objects.bulk_create(orders, batch_size=2000)
    rows = []
    for order, lines in zip(orders, plans, strict=True):
        for item, quantity, price, amount in lines:
            product = item.product
            rows.append(
                OrderLine(
                    organisation_id=sale.organisation_id, order_id=order.pk, sale_item_id=item.pk,
                    product_id=product.pk, producer_id=product.producer_id,
                    product_name=product.name, unit_label=product.unit_label,
                    unit_kind=product.unit_kind, quantity=quantity, unit_price=price,
                    vat_rate=product.vat_rate, variable_weight=product.variable_weight,
                    price_per_kg=product.price_per_kg,
                    estimated_weight_kg=product.estimated_weight_kg, amount=amount,
                )
            )  # fmt: skip
    OrderLine.objects.bulk_create(rows, batch_size=5000)


def _measure(sale, repeats: int) -> dict:
    pickups = list(Pickup.objects.filter(sale=sale).order_by("pk"))

    def preparation_lists():
        for pickup in pickups:
            sheets.preparation_sheets(sheets.preparation_orders(pickup=pickup))

    figures = {
        "producer_totals": _timed(lambda: summaries.producer_totals(sale=sale), repeats),
        "producer_pickup_totals": _timed(
            lambda: summaries.producer_pickup_totals(sale=sale), repeats
        ),
        "customer_lines": _timed(lambda: summaries.customer_lines(sale=sale), repeats),
        "preparation_lists": _timed(preparation_lists, repeats),
    }
    names = ("producer_totals", "producer_pickup_totals", "customer_lines")
    figures["closing_summaries"] = {
        "seconds": round(sum(figures[name]["seconds"] for name in names), 4),
        "cpu_s": round(sum(figures[name]["cpu_s"] for name in names), 4),
        "queries": sum(figures[name]["queries"] for name in names),
        "database_s": None
        if connection.vendor != "postgresql"
        else round(sum(figures[name]["database_s"] for name in names), 4),
    }
    figures["preparation_lists"]["pickups"] = len(pickups)
    return figures


def summaries_scale(*, organisation, sizes: list[int], seed: int) -> list[dict]:
    rng = random.Random(seed)
    sale = scenario.sale_build(
        organisation=organisation, title="Vente de mise à l'échelle", day_offset=4
    )
    sale = sales_services.sale_close_now(sale=sale)
    items = list(SaleItem.objects.offered().filter(sale=sale).select_related("product"))
    slots = list(
        Slot.objects.filter(pickup__sale=sale).order_by("pk").values_list("pickup_id", "pk")
    )
    started = time.perf_counter()
    user_ids = scenario.users_create("customer", max(sizes), rng)
    users_s = time.perf_counter() - started
    results, done = [], 0
    for size in sorted(sizes):
        started = time.perf_counter()
        _orders_add(sale, user_ids, slots, items, done, size, rng)
        fill_s = time.perf_counter() - started
        done = size
        if connection.vendor == "postgresql":  # what autovacuum does after a bulk load
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        lines = OrderLine.objects.filter(order__sale=sale).count()
        repeats = REPEATS if size <= 10_000 else 2  # the largest size is slow to read
        results.append(
            {"orders": size, "lines": lines, "fill_s": round(fill_s, 2), **_measure(sale, repeats)}
        )
    results[0]["users_created_s"] = round(users_s, 2)
    return results


def import_file(lines: int, producer_name: str, rng) -> bytes:
    """Our template, as the export writes it (also bench/reimport.py's file)."""
    rows = [IMPORT_HEADER]
    for n in range(lines):
        price = f"{rng.randint(100, 3000) / 100:.2f}".replace(".", ",")
        by_weight = n % 5 == 0
        rows.append(";".join([
            f"IMP-{n:05d}", f"Produit importé {n:05d}", producer_name, "vegetables-fresh", "",
            "weight" if by_weight else "piece", "" if by_weight else "botte", price, "5,5", "0",
            "", "", "0,5" if by_weight else "1", "0,5" if by_weight else "1", "1", "1",
            "unlimited", "", "1",
        ]))  # fmt: skip
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def one_percent_changed(content: bytes) -> bytes:
    """The same file with 1 % of its lines at another price (every hundredth line)."""
    lines = content.split(b"\r\n")
    for index in range(1, len(lines) - 1, 100):
        cells = lines[index].split(b";")
        cells[7] = b"99,99"
        lines[index] = b";".join(cells)
    return b"\r\n".join(lines)


def import_run(*, organisation, uploaded_by, content: bytes, name: str) -> dict:
    """One import of ``content``: upload, check, confirm, apply — each step timed (seconds and
    this process's CPU) with its queries; the rows written to the products (INSERT and UPDATE
    statements) and the counts the page shows."""
    steps, writes = {}, 0

    def step(step_name, function):
        nonlocal writes
        with CaptureQueriesContext(connection) as captured:
            started, cpu = time.perf_counter(), time.process_time()
            value = function()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        steps[step_name] = {"seconds": round(elapsed, 3), "cpu_s": round(cpu, 3),
                            "queries": len(captured.captured_queries)}  # fmt: skip
        writes += sum(
            1 for query in captured.captured_queries
            if query["sql"].startswith(("INSERT", "UPDATE")) and '"catalog_product"' in query["sql"]
        )  # fmt: skip
        reset_queries()
        return value

    started = step("start", lambda: imports.product_import_start(
        organisation=organisation, uploaded_by=uploaded_by, file_name=name, content=content,
        producer=None, only_own_producer=False,
    ))  # fmt: skip
    checked = step("check", lambda: imports.product_import_check(product_import=started))
    step("confirm", lambda: imports.product_import_confirm(product_import=checked))
    done = step("apply", lambda: imports.product_import_apply(product_import=checked))
    return {
        "status": done.status,
        "created": done.to_create,
        "updated": done.to_update,
        "unchanged": done.unchanged,
        "errors": len(done.errors),
        "product_writes": writes,
        "steps": steps,
        "seconds": round(sum(s["seconds"] for s in steps.values()), 3),
        "cpu_s": round(sum(s["cpu_s"] for s in steps.values()), 3),
    }


def product_import(*, organisation, uploaded_by, lines: int, seed: int) -> dict:
    """A ``lines``-line file imported, then imported again unchanged, then again with 1 % of
    its prices changed (each as ``import_run``): the first import's figures at the top level,
    the re-imports' under ``reimports`` and summed up in ``reimport_*``."""
    rng = random.Random(seed)
    producer = catalog_services.producer_create(organisation=organisation, name="Ferme importée")
    content = import_file(lines, producer.name, rng)
    name = f"bench-{uuid.uuid4().hex[:6]}.csv"
    first = import_run(
        organisation=organisation, uploaded_by=uploaded_by, content=content, name=name
    )
    reimports = {
        "unchanged": import_run(
            organisation=organisation, uploaded_by=uploaded_by, content=content, name=name
        ),
        "one_percent_changed": import_run(
            organisation=organisation,
            uploaded_by=uploaded_by,
            content=one_percent_changed(content),
            name=name,
        ),  # fmt: skip
    }
    unchanged, changed = reimports["unchanged"], reimports["one_percent_changed"]
    return {
        "lines": lines,
        "bytes": len(content),
        **{key: first[key] for key in ("status", "created", "errors", "steps", "seconds")},
        "cpu_s": first["cpu_s"],
        "reimport_unchanged_s": unchanged["seconds"],
        "reimport_unchanged_cpu_s": unchanged["cpu_s"],
        "reimport_unchanged_writes": unchanged["product_writes"],
        "reimport_changed_s": changed["seconds"],
        "reimport_changed_cpu_s": changed["cpu_s"],
        "reimport_changed_writes": changed["product_writes"],
        "reimport_changed_updated": changed["updated"],
        "reimports": reimports,
    }
