"""Row locks of the dashboards' rollup, in one place (the global order:
``cabas.core.lock_order``): the sales' ``SaleRollup`` rows come last, after every other lock
(the stale mark is the end of the transactions that change a closed sale's lines, the
refresh takes no other lock)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from .models import SaleRollup


def rollups_take(*, sale_ids: Iterable[int], fresh: bool = False) -> None:
    """Upsert the sales' ``SaleRollup`` rows (``fresh`` or not), by sale ascending: each row
    is locked, or its unique key waited on, until the transaction ends (last in the order)."""
    SaleRollup.objects.bulk_create(
        [SaleRollup(sale_id=sale_id, fresh=fresh) for sale_id in sorted(set(sale_ids))],
        update_conflicts=True, unique_fields=["sale"], update_fields=["fresh"],
    )  # fmt: skip


def chains_take(*, organisation_id: int) -> None:
    """PostgreSQL: the organisation's rollup refreshes one at a time (a transaction-level
    advisory lock, taken after the sale's ``SaleRollup`` row and before its rows are
    replaced): each one relinks the previous rows of pairs the others' rows belong to
    (``rollup.chains_link``). SQLite runs one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The key: this lock's class, then the organisation.
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext('cabas.insights.chains'), %s)",
                [organisation_id],
            )
