"""Recording the row locks a service call takes, and checking them against the global lock
order (``cabas.core.lock_order``).

    with record_locks() as locks:
        order_change(...)
    assert_lock_order(locks)

What counts as taking a lock (PostgreSQL; on SQLite ``select_for_update`` is a no-op, so the
recording tests run on PostgreSQL only):

- ``SELECT … FOR UPDATE / FOR NO KEY UPDATE / FOR SHARE / FOR KEY SHARE`` — the table is the
  ``OF`` table, else the ``FROM`` table; a lock without ``OF`` over a join is refused, since it
  locks the joined rows too (the ``of=("self",)`` rule);
- ``UPDATE`` of a table in the global order (the conditional counters of places, quantities and
  stock, and the order counter, lock their rows until the commit like any row lock).

The rows are known when the statement names them by primary key (``id = %s``,
``id IN (…)``). The rule checked: a statement that waits for rows this transaction does not
hold yet never goes back to a lower rank than a lock taken before it; rows of one table come in
ascending primary key; a row held in share mode is never taken again FOR UPDATE (an upgrade,
the classic deadlock of two share holders). Rows already held, rows the transaction created
itself (a primary key above the table's largest when the recording started), and statements on
a table already locked whose rows the SQL does not name (re-touching the locked rows) take no
new lock. An upsert (``INSERT … ON CONFLICT … DO UPDATE``) of a table in the global order locks
the rows it finds (or waits on their key): recorded as an update lock of unnamed rows. Other
INSERTs and DELETEs are not recorded (the key-share locks of foreign keys never
conflict with the locks above but FOR UPDATE of the referenced row, which the order covers).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection

from cabas.core.lock_order import LOCK_ORDER, TABLE_RANK, rank_name

_LOCKING = re.compile(
    r"\bFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)(?:\s+OF\s+([\w\".,\s]+?))?"
    r"(?:\s+NOWAIT|\s+SKIP\s+LOCKED)?\s*$",
    re.I,
)
_UPSERT = re.compile(r'^INSERT\s+INTO\s+"?(\w+)"?.*\bON\s+CONFLICT\b.*\bDO\s+UPDATE\b', re.I)
_FROM = re.compile(r'\bFROM\s+"?(\w+)"?', re.I)
_UPDATE = re.compile(r'\bUPDATE\s+"?(\w+)"?\s+SET\b', re.I)
_PK = re.compile(r'(?<![\w"])(?:"?(\w+)"?\.)?"?id"?\s*(=\s*%s|IN\s*\(([^)]*)\))', re.I)
_ORDERED_BY_PK = re.compile(
    r'\bORDER\s+BY\s+(?:"?\w+"?\.)?"?id"?(?:\s+ASC)?\s*(?:$|LIMIT|FOR)', re.I
)
_WHERE_END = re.compile(
    r"\bRETURNING\b|\bORDER\s+BY\b|\bLIMIT\b|\bFOR\s+(?:UPDATE|SHARE|NO|KEY)\b|\)\s*UPDATE\b",
    re.I,
)


class LockOrderError(AssertionError):
    pass


@dataclass(frozen=True)
class LockStatement:
    table: str
    mode: str  # "share" or "update"
    pks: frozenset | None  # None: the SQL does not name the rows by primary key
    sql: str = field(compare=False)
    joined_without_of: bool = field(default=False, compare=False)
    unordered_rows: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        rows = "?" if self.pks is None else ",".join(str(pk) for pk in sorted(self.pks))
        return f"{self.table}[{rows}] {self.mode}"


def _pks(sql: str, params, table: str) -> frozenset | None:
    where = re.search(r"\bWHERE\b", sql, re.I)
    if where is None or params is None:
        return None
    end = _WHERE_END.search(sql, where.end())
    clause_end = end.start() if end else len(sql)
    for match in _PK.finditer(sql, where.end(), clause_end):
        qualifier = match.group(1)
        if qualifier and qualifier != table:
            continue
        first = sql.count("%s", 0, match.start())
        count = 1 if match.group(3) is None else match.group(3).count("%s")
        if match.group(3) is not None and count == 0:
            return None  # a sub-query: rows not named
        try:
            return frozenset(int(p) for p in list(params)[first : first + count])
        except (TypeError, ValueError):
            return None
    return None


def lock_statement_of(sql: str, params=None) -> LockStatement | None:
    """The lock an SQL statement takes, or None (not a lock, or an UPDATE of a table outside
    the global order)."""
    text = " ".join(sql.split())
    locking = _LOCKING.search(text)
    if text.upper().startswith("SELECT") and locking:
        mode = "share" if "SHARE" in locking.group(1).upper() else "update"
        if locking.group(2):
            table = locking.group(2).split(",")[0].strip().strip('"')
            joined = False
        else:
            table = _FROM.search(text).group(1)
            joined = bool(re.search(r"\bJOIN\b", text, re.I))
        pks = _pks(text, params, table)
        several = pks is None or len(pks) > 1
        by_first_column = re.match(r'SELECT\s+(?:"?\w+"?\.)?"?id"?[\s,]', text, re.I) and re.search(
            r"\bORDER\s+BY\s+1(?:\s+ASC)?\s+(?:LIMIT|FOR)", text, re.I
        )  # values_list("pk") orders by the column's position
        unordered = several and not (
            _ORDERED_BY_PK.search(text) or by_first_column or re.search(r"\bLIMIT\b", text, re.I)
        )
        return LockStatement(table, mode, pks, text, joined, unordered)
    upsert = _UPSERT.search(text)
    if upsert:
        table = upsert.group(1)
        return LockStatement(table, "update", None, text) if table in TABLE_RANK else None
    update = _UPDATE.search(text)
    if update and (text.upper().startswith("UPDATE") or text.upper().startswith("WITH")):
        table = update.group(1)
        if table not in TABLE_RANK:
            return None
        return LockStatement(table, "update", _pks(text, params, table), text)
    return None


def statements_of(sql: str, params) -> list[tuple[str, list | None]]:
    """The statements of one execute, each with its parameters: several ``;``-separated
    statements are sent together (the sale items' counters), run one after the other."""
    parts = [part for part in sql.split(";") if part.strip()]
    if len(parts) < 2:
        return [(sql, params)]
    found, start = [], 0
    for part in parts:
        count = part.count("%s")
        found.append((part, None if params is None else list(params)[start : start + count]))
        start += count
    return found


@dataclass
class Recording:
    statements: list[LockStatement] = field(default_factory=list)
    # largest primary key of each table in the global order when the recording started: rows
    # above it were created by the call itself.
    created_above: dict[str, int] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.statements)

    def __len__(self):
        return len(self.statements)

    def new_locks(self) -> list[LockStatement]:
        """The statements that asked for rows not held yet (the ones that may wait)."""
        return _walk(self.statements, self.created_above)[1]

    def tables(self) -> list[str]:
        """The tables of the new locks, in order, each once per run of statements on it."""
        seen: list[str] = []
        for statement in self.new_locks():
            if not seen or seen[-1] != statement.table:
                seen.append(statement.table)
        return seen

    def ranks(self) -> list[str]:
        names: list[str] = []
        for table in self.tables():
            name = rank_name(table) if table in TABLE_RANK else table
            if not names or names[-1] != name:
                names.append(name)
        return names


def _largest_keys() -> dict[str, int]:
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        keyed_by_id = {
            table
            for _name, ranked in LOCK_ORDER
            for table in ranked
            if table in existing
            and connection.introspection.get_primary_key_column(cursor, table) == "id"
        }
    tables = sorted(keyed_by_id)  # the order counter is keyed by its sale: never "created"
    union = " UNION ALL ".join(
        f"SELECT '{t}', COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(t)}"  # noqa: S608
        for t in tables
        if t in existing
    )
    with connection.cursor() as cursor:
        cursor.execute(union)
        return dict(cursor.fetchall())


@contextmanager
def record_locks():
    """Record the lock statements run on this thread's connection inside the block."""
    recording = Recording(created_above=_largest_keys())

    def wrapper(execute, sql, params, many, context):
        for part, part_params in statements_of(sql, params if not many else None):
            statement = lock_statement_of(part, part_params)
            if statement is not None:
                recording.statements.append(statement)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield recording


def check_lock_order(statements, created_above: dict[str, int] | None = None) -> list[str]:
    """The breaches of the global lock order in a transaction's lock statements (empty when
    they follow it)."""
    return _walk(list(statements), created_above or {})[0]


def _walk(statements, created_above) -> tuple[list[str], list[LockStatement]]:
    problems: list[str] = []
    new_locks: list[LockStatement] = []
    held: dict[str, dict] = {}  # table → {pk or None: mode}
    highest: tuple[int, int] | None = None
    highest_at: LockStatement | None = None
    last_pk: dict[str, int] = {}
    for index, statement in enumerate(statements, 1):
        where = f"#{index} {statement}"
        if statement.table not in TABLE_RANK:
            problems.append(f"{where}: table not in the global lock order (cabas.core.lock_order)")
            continue
        if statement.joined_without_of:
            problems.append(f"{where}: locks the joined rows too — lock with of=('self',)")
        if statement.unordered_rows:
            problems.append(f"{where}: several rows locked without ORDER BY primary key")
        rows = held.get(statement.table)
        pks = statement.pks
        if pks is not None:
            above = created_above.get(statement.table)
            if above is not None:
                pks = frozenset(pk for pk in pks if pk <= above)
                if not pks:
                    continue  # rows this call created: nobody else can be waiting on them
        # Rows already held (or, when this table was locked by a filter the SQL does not
        # resolve to keys, any rows of it: the recorder cannot tell them apart) take no new lock.
        if rows is not None and (pks is None or None in rows or pks <= set(rows)):
            known = [rows[pk] for pk in (pks or rows) if pk in rows]
            if statement.mode == "update" and "share" in known and "update" not in known:
                problems.append(f"{where}: upgrades a share lock to FOR UPDATE")
            for pk in pks or ():
                was = rows.get(pk, statement.mode)
                rows[pk] = "update" if "update" in (was, statement.mode) else "share"
            continue
        key = TABLE_RANK[statement.table]
        if highest is not None and key < highest:
            problems.append(
                f"{where}: goes back to {rank_name(statement.table)} after {highest_at} "
                f"({rank_name(highest_at.table)})"
            )
        if pks is not None and statement.table in last_pk and min(pks) < last_pk[statement.table]:
            problems.append(
                f"{where}: {statement.table} rows not in ascending primary key "
                f"(after {last_pk[statement.table]})"
            )
        new_locks.append(statement)
        rows = held.setdefault(statement.table, {})
        for pk in pks if pks is not None else (None,):
            rows[pk] = statement.mode
        if pks:
            last_pk[statement.table] = max(max(pks), last_pk.get(statement.table, 0))
        if highest is None or key >= highest:
            highest, highest_at = key, statement
    return problems, new_locks


def assert_lock_order(recording) -> None:
    """Fail with the whole sequence when the recorded locks break the global order."""
    statements = list(recording)
    problems = check_lock_order(statements, getattr(recording, "created_above", None))
    if problems:
        sequence = "\n".join(f"  #{i} {s}" for i, s in enumerate(statements, 1))
        raise LockOrderError(
            "lock order broken:\n" + "\n".join(problems) + "\nsequence:\n" + sequence
        )


def skip_unless_postgresql() -> None:
    import pytest

    if connection.vendor != "postgresql":
        pytest.skip("lock statements are PostgreSQL's (SQLite makes select_for_update a no-op)")


def locks_of(action, refused=None):
    """Run ``action()`` and assert its locks follow the global order; (result, recording).
    With ``refused``, the action must raise that error (its locks are checked all the same)."""
    import pytest

    result = None
    with record_locks() as recording:
        if refused is None:
            result = action()
        else:
            with pytest.raises(refused):
                action()
    assert_lock_order(recording)
    assert len(recording), "no lock recorded"
    return result, recording
