"""Row locks of the work app (the global order: ``cabas.core.lock_order``).

    … → counters → work periods (their ``taken`` places, conditional UPDATEs)
    → sign-ups by pk → members on shifts (their counters)

The places of a period are a conditional UPDATE (``taken < places``), which locks the row
until the commit; a sign-up that changes hands (replacement, attendance) is locked first;
a member's counter is changed with ``F()`` after its entry is written.
"""

from __future__ import annotations

from .models import Signup


def signup_lock(*, signup_id: int) -> Signup:
    """One sign-up, locked while its state or attendance changes (rank: work sign-ups)."""
    return (
        Signup.objects.select_for_update(of=("self",))
        .select_related("period", "membership")
        .get(pk=signup_id)
    )
