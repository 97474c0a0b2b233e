"""What a server process does once, when it has loaded the application (config/wsgi.py; the
page crawl of bench/crawl.py does the same, to measure what production does)."""

import gc

# Python collects its youngest objects every 700 allocations by default, and every 100
# collections of those, all of its objects: in a process holding Django, the app and a large
# page's rows (a picking list at ten times our size), that full collection took 90–120 ms of
# CPU in one visit out of five, the pages' slow p95. Collecting every 50,000 allocations lets
# a request's short-lived objects go by reference counting first; measured in
# docs/performance.md ("The collector's pauses"). Cycles wait a little longer: memory stays
# a few megabytes higher at most.
GC_THRESHOLDS = (50_000, 20, 20)


def gc_tune() -> tuple[int, int, int]:
    """Sets the collector's thresholds; returns the previous ones."""
    previous = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    return previous
