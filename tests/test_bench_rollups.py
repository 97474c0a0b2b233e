"""The bench's rollups written in SQL (bench/rollups.py) are the rows the worker's service
writes, on a small generated history given every case the service distinguishes: missing and
weighed lines (with and without an estimate), an order without lines, cancelled orders, orders
with several rates of a producer. PostgreSQL only, as the bench."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, F

from bench.big import big_build
from bench.history import foreign_keys_unchecked, history_build
from bench.rollups import rollups_write
from cabas.insights.models import (
    SaleBuyer,
    SaleFigures,
    SaleMember,
    SalePickupHandouts,
    SalePointFigures,
    SaleProducerFigures,
    SaleProductBuyer,
    SaleRollup,
)
from cabas.insights.rollup import sale_rollup_refresh
from cabas.orders.models import Order, OrderLine
from cabas.sales.models import Pickup, Sale

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench's SQL is PostgreSQL"),
]


def _rows() -> dict:
    """Every rollup row, without its id, sorted."""
    snapshot = {}
    for model in (SaleFigures, SaleBuyer, SaleMember, SalePointFigures, SaleProducerFigures,
                  SaleProductBuyer, SalePickupHandouts, SaleRollup):  # fmt: skip
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        rows = model.objects.values_list(*fields)
        snapshot[model.__name__] = sorted(rows, key=lambda row: tuple(map(str, row)))
    return snapshot


def _indexes() -> list[tuple[str, str]]:
    """The rollups' tables' indexes, as PostgreSQL describes them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'insights_%%'"
            " ORDER BY indexname"
        )
        return cursor.fetchall()


def test_the_sql_rollups_are_the_services():
    history = history_build(
        weeks=3, orders_per_sale=40, members=100, window=60, producers=4, points=2, seed=3,
        rollups=False,
    )  # fmt: skip
    organisation = history.organisation
    lines = OrderLine.objects.filter(organisation=organisation)
    orders = Order.objects.filter(organisation=organisation)
    # Every case of the service's rules.
    every = list(lines.order_by("pk").values_list("pk", flat=True))
    lines.filter(pk__in=every[::7]).update(is_missing=True)
    weighed = list(lines.filter(is_missing=False).order_by("pk").values_list("pk", flat=True))[::5]
    lines.filter(pk__in=weighed[::2]).update(
        weighed_kg=F("quantity") * Decimal("1.137"), estimated_weight_kg=Decimal("0.333"),
        amount=F("amount") + Decimal("0.07"),
    )  # fmt: skip
    lines.filter(pk__in=weighed[1::2]).update(weighed_kg=Decimal("2.005"))
    emptied = orders.exclude(status=Order.Status.CANCELLED).order_by("pk")[:2]
    OrderLine.objects.filter(order__in=list(emptied)).delete()
    orders.filter(pk__in=list(orders.order_by("-pk").values_list("pk", flat=True)[:3])).update(
        status=Order.Status.CANCELLED
    )
    # A pickup still open (its handouts counted, not read, until it closes).
    Pickup.objects.filter(pk=orders.order_by("pk").first().pickup_id).update(closed_at=None)
    rates = lines.values("order", "producer").annotate(n=Count("vat_rate", distinct=True))
    assert rates.filter(n__gt=1).exists()
    sale_ids = list(Sale.objects.filter(organisation=organisation).values_list("pk", flat=True))
    now = datetime(2026, 1, 5, 9, tzinfo=UTC)

    indexes = _indexes()
    assert len(indexes) > 20
    rollups_write(organisation=organisation, sale_ids=sale_ids, now=now)
    written = _rows()
    assert _indexes() == indexes  # dropped while the rows were written, then built again
    for sale_id in sale_ids:
        assert sale_rollup_refresh(sale_id=sale_id, now=now)
    by_the_service = _rows()

    assert written == by_the_service
    figures = by_the_service["SaleFigures"]
    assert len(figures) > 20 and any(row[5] is None for row in figures)  # a row without producer
    assert SaleFigures.objects.filter(missing_lines__gt=0, weighed_lines__gt=0).exists()
    assert len(by_the_service["SaleProductBuyer"]) > 100
    handouts = by_the_service["SalePickupHandouts"]
    assert {row[5] for row in handouts} == {False, True}  # closed and open pickups
    assert any(row[7] for row in handouts)  # no-shows


def test_the_ten_times_organisation_has_its_past_sales_rolled_up():
    """bench/big.py at a small size: the distributed sales have a fresh rollup, the closed
    and the open one none (read live, as the worker has not run)."""
    built = big_build(slug="petit", past_sales=2, orders_per_sale=30, members=40, producers=3,
                      products=12, points=2, seed=3)  # fmt: skip
    sales = list(Sale.objects.filter(organisation=built.organisation).order_by("closes_at"))
    assert built.counts["sales"] == len(sales) == 4
    fresh = set(SaleRollup.objects.filter(fresh=True).values_list("sale_id", flat=True))
    assert fresh == {sale.pk for sale in sales[:2]}
    assert SaleFigures.objects.filter(rollup_id=sales[0].pk).exists()
    assert (sales[2].status, sales[3].status) == (Sale.Status.CLOSED, Sale.Status.OPEN)
    assert foreign_keys_unchecked()  # the tests' role may, as the bench's
    # Then what the worker's sweep does: the dashboards' default views kept (a first visit hits).
    from django.utils import timezone

    from cabas.insights import snapshots
    from cabas.orgs.context import organisation_context

    now = timezone.now()
    with organisation_context(built.organisation):
        today = timezone.localdate(now)
        kept = snapshots.coordinators_snapshot(
            organisation=built.organisation, today=today, now=now,
            filters=snapshots.default_filters(built.organisation, today),
        )  # fmt: skip
    assert kept.computed_at < now
