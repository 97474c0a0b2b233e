"""Running the same action in many threads at once, each with its own database connection
(for race tests on PostgreSQL)."""

import threading

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
