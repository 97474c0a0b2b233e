"""Which database constraint an ``IntegrityError`` broke, on PostgreSQL and on SQLite, so a
service can tell a person what really happened instead of one message for every case."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, models
from django.db.models.fields import PositiveIntegerRelDbTypeMixin

# A foreign key pointed at a row that was just deleted (its name is generated, not ours).
FOREIGN_KEY = "foreign_key"
_PG_FOREIGN_KEY_VIOLATION = "23503"
# A positive column (PositiveIntegerField…) went below zero: its check has no name of ours
# (SQLite names its column, PostgreSQL "<table>_<column>_check"), so it is told as
# "positive:<column>".
POSITIVE = "positive:"


def column_checks(candidates: Iterable[type[models.Model]]) -> dict[str, str]:
    """``{name of the check on each database: "positive:<column>"}`` for the columns of
    ``candidates`` that carry a check of their own (positive numbers)."""
    names = {}
    for model in candidates:
        for field in model._meta.concrete_fields:
            if isinstance(field, PositiveIntegerRelDbTypeMixin):
                table = model._meta.db_table
                names[field.column] = names[f"{table}_{field.column}_check"] = (
                    POSITIVE + field.column
                )
    return names


def violated_constraint(exc: IntegrityError, candidates: Iterable[type[models.Model]]) -> str:
    """The name of the constraint (as in the models' ``Meta.constraints``), ``FOREIGN_KEY``,
    or "" when it cannot be told. ``candidates`` are the models the failed statement may have
    written: SQLite names a unique constraint by its columns only."""
    candidates = tuple(candidates)
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None:  # PostgreSQL (psycopg)
        if getattr(cause, "sqlstate", None) == _PG_FOREIGN_KEY_VIOLATION:
            return FOREIGN_KEY
        name = diag.constraint_name or ""
        return column_checks(candidates).get(name, name)
    message = str(exc)
    if message.startswith("CHECK constraint failed: "):
        name = message.removeprefix("CHECK constraint failed: ").strip()
        return column_checks(candidates).get(name, name)
    if message.startswith("FOREIGN KEY constraint failed"):
        return FOREIGN_KEY
    if message.startswith("UNIQUE constraint failed: "):
        columns = {part.strip() for part in message.split(": ", 1)[1].split(",")}
        for model in candidates:
            for constraint in model._meta.constraints:
                if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
                    table = model._meta.db_table
                    names = {
                        f"{table}.{model._meta.get_field(field).column}"
                        for field in constraint.fields
                    }
                    if names == columns:
                        return constraint.name
    return ""
