"""Row locks of the orgs app (global order: ``cabas.core.lock_order``).

Invitations and memberships are organisation-level rows, locked before anything of a sale:
an invitation before the membership it creates, memberships by primary key. Each helper
evaluates its query at once.
"""

from __future__ import annotations

from .models import Invitation, Membership


def invitation_lock(*, invitation_id: int) -> Invitation:
    return Invitation.objects.select_for_update().get(pk=invitation_id)


def membership_lock(*, membership_id: int) -> Membership:
    return Membership.objects.select_for_update().get(pk=membership_id)


def membership_of_lock(*, organisation_id: int, user_id: int) -> Membership | None:
    """A person's membership of an organisation (one at most), locked, or None. Ordered by
    key: the model's default ordering goes through the organisation and the user, and a lock
    over those joins would lock their rows too."""
    return (
        Membership.objects.select_for_update(of=("self",))
        .filter(organisation_id=organisation_id, user_id=user_id)
        .order_by("pk")
        .first()
    )


def membership_lock_or_create(*, organisation_id: int, user_id: int) -> tuple[Membership, bool]:
    """A person's membership, locked, created (empty) when missing."""
    return Membership.objects.select_for_update().get_or_create(
        organisation_id=organisation_id, user_id=user_id
    )


def memberships_of_users_lock(*, organisation_id: int, user_ids) -> list[Membership]:
    """The memberships of these people, by primary key (a member import)."""
    return list(
        Membership.objects.filter(organisation_id=organisation_id, user_id__in=list(user_ids))
        .order_by("pk")
        .select_for_update()
    )
