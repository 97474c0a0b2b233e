"""The server's start-up step (config/startup.py, called by config/wsgi.py and the crawl)."""

import gc

from config.startup import GC_THRESHOLDS, gc_tune


def test_the_collector_thresholds_are_set_and_the_previous_ones_given_back():
    before = gc.get_threshold()
    try:
        assert gc_tune() == before
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.set_threshold(*before)
