"""Row locks of the money app (global order: ``cabas.core.lock_order``).

Money rows are organisation-level rows: they are locked before any sale, order or pickup, in
this order among themselves — membership periods, share movements, account entries — and
each table's rows by primary key. Each helper evaluates its query at once.
"""

from __future__ import annotations

from .models import AccountEntry, MembershipPeriod, ShareMovement


def membership_period_lock(*, period_id: int) -> MembershipPeriod:
    """One membership year, with its membership read (not locked: ``of=self``, so paying a fee
    never locks the membership row a coordinator may be changing)."""
    return (
        MembershipPeriod.objects.select_for_update(of=("self",))
        .select_related("membership")
        .get(pk=period_id)
    )


def share_holdings_lock(*, organisation_id: int, user_ids) -> list[ShareMovement]:
    """The share movements of these members, by primary key (two transfers or refunds
    cannot both spend the same shares)."""
    return list(
        ShareMovement.objects.select_for_update()
        .filter(organisation_id=organisation_id, user_id__in=list(user_ids))
        .order_by("pk")
    )


def account_entry_lock(*, entry_id: int) -> AccountEntry:
    """One account entry (resolving how a payment was made)."""
    return AccountEntry.objects.select_for_update().get(pk=entry_id)


def member_entries_lock(*, organisation_id: int, user_id: int) -> list[AccountEntry]:
    """Every entry of a member's account, by primary key (two refunds cannot both spend the
    same credit)."""
    return list(
        AccountEntry.objects.select_for_update()
        .filter(organisation_id=organisation_id, user_id=user_id)
        .order_by("pk")
    )
