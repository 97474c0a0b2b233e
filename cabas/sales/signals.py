"""Signals the sales app sends to the apps above it (which it must not import).

``sale_closed``: a sale is past its cutoff and its after-cutoff step ran (the
``sale_after_cutoff`` task, enqueued when the sale closes). Sent after that step commits,
with ``sale_id``; a run of the task again (a worker killed after the step) sends it again.
Receivers only enqueue their own idempotent work (the distribution app: the producers' and
coordinators' summaries, each e-mailed once); no business rule runs in them.

``pickups_saved``: pickups were added to a sale (by a coordinator, a schedule or the
drive), or a pickup's point or hours changed. Sent once the transaction that saved them
commits, with ``pickup_ids``; nothing for a pickup whose change rolled back. Receivers
only enqueue their own idempotent work (the work app: the duties each pickup needs).

``pickup_point_moved``: a coordinator changed a pickup point's address (street, postcode,
town) or its access instructions. Sent once the change commits, with ``pickup_point_id``;
receivers only enqueue their own idempotent work (the messaging app: an e-mail to the
members whose coming pickup is there).
"""

from django.dispatch import Signal

sale_closed = Signal()
pickups_saved = Signal()
pickup_point_moved = Signal()
