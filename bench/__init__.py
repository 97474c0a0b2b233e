"""The benchmark harness: an order rush over HTTP, its invariants, the raw-SQL floor and how
the after-cutoff work scales. Run it with ``make bench`` (see docs/performance.md)."""
