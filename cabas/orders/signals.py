"""Signals the orders app sends to the apps above it (which it must not import).

``lines_changed``: the lines of some orders changed after their sale's cutoff (weighed,
marked missing, substituted, corrected, repriced); sent by ``orders_total_refresh``, the one
step every such change goes through, with ``order_ids``, *inside* the changing transaction.
Receivers only mark their own derived figures stale in that transaction (the insights app's
rollup: so a figure read after the commit is never the old one) and enqueue their own
idempotent work on the commit.
"""

from django.dispatch import Signal

lines_changed = Signal()
