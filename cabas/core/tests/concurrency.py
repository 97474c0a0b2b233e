"""Running the same action in many threads at once, each with its own database connection
(for race tests on PostgreSQL)."""

import re
import threading
import time

import pytest
from django.db import connection


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("race tests need PostgreSQL (SQLite runs one writer at a time)")


def run_together(action, count: int) -> list:
    """Start ``count`` threads that call ``action(index)`` at the same moment; their results
    (or the exceptions they raised) in a list."""
    barrier = threading.Barrier(count)
    results: list = []
    lock = threading.Lock()

    def worker(index):
        try:
            barrier.wait()
            try:
                outcome = action(index)
            except Exception as exc:  # noqa: BLE001 — the test inspects what each thread got
                outcome = exc
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def lock_waiters() -> int:
    """How many other sessions of this database wait on a row lock right now (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            " AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def wait_for_lock_waiters(count: int = 1, timeout: float = 10.0) -> bool:
    """Poll until ``count`` sessions wait on a lock; False when the timeout passed first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock_waiters() >= count:
            return True
        time.sleep(0.02)
    return False


class PauseAfter:
    """A database ``execute_wrapper`` that, in the thread that installs it, stops right after
    the first statement matching ``pattern`` (a regex on the SQL) until ``release()``: a
    deterministic gap between two lock statements of one transaction, so a test can make a
    second transaction run its locks inside that gap.

    with PauseAfter(r'FROM "orders_order".*FOR UPDATE') as pause: ...  (in the worker thread)
    pause.reached.wait(); ...; pause.release()                          (in the test thread)
    """

    def __init__(self, pattern: str, timeout: float = 20.0):
        self.pattern = re.compile(pattern, re.DOTALL)
        self.reached = threading.Event()
        self._go = threading.Event()
        self.timeout = timeout
        self._context = None

    def release(self) -> None:
        self._go.set()

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not self.reached.is_set() and self.pattern.search(sql):
            self.reached.set()
            self._go.wait(self.timeout)
        return result

    def __enter__(self):
        self._context = connection.execute_wrapper(self)
        self._context.__enter__()
        return self

    def __exit__(self, *exc):
        self.reached.set()  # never leave the test thread waiting for a pause that did not come
        return self._context.__exit__(*exc)


def run_in_thread(action) -> tuple[threading.Thread, list]:
    """Start ``action()`` in a thread with its own connection; the list receives its result
    (or the exception it raised) when it ends."""
    outcome: list = []

    def worker():
        try:
            outcome.append(action())
        except Exception as exc:  # noqa: BLE001 — the test inspects what the thread got
            outcome.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    return thread, outcome
