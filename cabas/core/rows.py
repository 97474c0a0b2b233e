"""Model instances from one plain SQL row that joins several tables.

For the few reads made on every API request (the sale with its organisation and settings):
building the joined statement through the ORM costs more CPU than the database spends
answering it (docs/performance.md), so the statement is written once and its row turned into
the same instances ``select_related`` would give, the database's converters applied (SQLite
returns decimals, dates and booleans as text or numbers; PostgreSQL needs none here)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.db import connection, models


def columns(model: type[models.Model], alias: str) -> str:
    """The model's columns, in field order, for a SELECT where its table is ``alias``."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def instances(
    row: Sequence, models_in_row: Sequence[type[models.Model]]
) -> list[models.Model | None]:
    """The instances of ``models_in_row`` read from ``row`` (their ``columns`` one after the
    other); None for a model whose primary key is NULL (nothing matched a LEFT JOIN)."""
    found: list[models.Model | None] = []
    start = 0
    for model in models_in_row:
        names, converters = _shape(model, connection.vendor)
        values = list(row[start : start + len(names)])
        start += len(names)
        for index, column, functions in converters:
            for function in functions:
                values[index] = function(values[index], column, connection)
        pk = values[names.index(model._meta.pk.attname)]
        found.append(None if pk is None else model.from_db(connection.alias, names, values))
    return found


@cache
def _shape(model: type[models.Model], vendor: str) -> tuple[list[str], list[tuple]]:
    """The model's attribute names in column order, and the converters of the columns that
    have any (the field's own, then the database's)."""
    names, converters = [], []
    for index, field in enumerate(model._meta.concrete_fields):
        names.append(field.attname)
        column = field.get_col(model._meta.db_table)
        functions = [
            *connection.ops.get_db_converters(column),
            *column.get_db_converters(connection),
        ]
        if functions:
            converters.append((index, column, functions))
    return names, converters
