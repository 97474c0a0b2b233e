"""Query expressions the ORM has no word for."""

from __future__ import annotations

from django.db.models import BooleanField, F, Func, QuerySet, Subquery


class InSubquery(Func):
    """``column IN (subquery)``, written on PostgreSQL ``column = ANY(ARRAY(subquery))``: an
    uncorrelated subquery then runs once and its few values become an index condition on the
    column. Its planner turns a plain ``IN`` into a join and may read the rows by the other
    columns first (every order of a member, to keep the two of the sales asked for)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, queryset: QuerySet):
        super().__init__(F(column), Subquery(queryset))

    def _parts(self, compiler):
        column, subquery = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        subquery_sql, subquery_params = compiler.compile(subquery)
        return column_sql, subquery_sql, (*column_params, *subquery_params)

    def as_sql(self, compiler, connection, **extra):
        column_sql, subquery_sql, params = self._parts(compiler)
        return f"{column_sql} IN {subquery_sql}", params

    def as_postgresql(self, compiler, connection, **extra):
        column_sql, subquery_sql, params = self._parts(compiler)
        return f"{column_sql} = ANY(ARRAY{subquery_sql})", params
