"""Signals the sales app sends to the apps above it (which it must not import).

``sale_closed``: a sale is past its cutoff and its after-cutoff step ran (the
``sale_after_cutoff`` task, enqueued when the sale closes). Sent after that step commits,
with ``sale_id``; a run of the task again (a worker killed after the step) sends it again.
Receivers only enqueue their own idempotent work (the distribution app: the producers' and
coordinators' summaries, each e-mailed once); no business rule runs in them.
"""

from django.dispatch import Signal

sale_closed = Signal()
