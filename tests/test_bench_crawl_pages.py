"""bench/crawl_pages.py refuses a database that cannot hold the generated organisation."""

from __future__ import annotations

import pytest

from bench import crawl_pages


def test_it_needs_a_postgresql_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "")

    with pytest.raises(SystemExit) as stopped:
        crawl_pages.main(["insights:dashboard"])

    assert "PostgreSQL" in str(stopped.value)
