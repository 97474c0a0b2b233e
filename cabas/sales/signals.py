"""Signals the sales app sends to the apps above it (which it must not import).

``sale_closed``: a sale is past its cutoff and its after-cutoff step has been recorded (once
per sale, by the ``sale_after_cutoff`` task enqueued when the sale closes). It is sent after
that record commits, with ``sale_id``. Receivers only enqueue their own idempotent work (the
distribution app: the producers' and coordinators' summaries); no business rule runs in them.
"""

from django.dispatch import Signal

sale_closed = Signal()
