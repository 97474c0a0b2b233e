"""Reads of the consent and deliverability pages."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Lower

from cabas.notifications.models import UndeliverableAddress
from cabas.orgs.models import Membership, Organisation


def undeliverable_memberships(*, organisation: Organisation):
    """The organisation's members (active or waiting) whose address the e-mail provider
    reported as undeliverable, each annotated with ``undeliverable_reason``, ``_detail`` and
    ``_since``: one query, and never anybody outside the organisation."""
    listed = UndeliverableAddress.objects.filter(email=OuterRef("email_lower"))
    return (
        Membership.objects.filter(
            organisation=organisation,
            status__in=[Membership.Status.ACTIVE, Membership.Status.PENDING],
        )
        .select_related("user")
        .annotate(email_lower=Lower("user__email"))
        .filter(email_lower__in=UndeliverableAddress.objects.values("email"))
        .annotate(
            undeliverable_reason=Subquery(listed.values("reason")[:1]),
            undeliverable_detail=Subquery(listed.values("detail")[:1]),
            undeliverable_since=Subquery(listed.values("updated_at")[:1]),
        )
        .order_by("user__last_name", "user__first_name", "user__email")
    )


def undeliverable_membership(*, organisation: Organisation, membership_id: int):
    """One member of the organisation whose address is listed as undeliverable, or None."""
    return undeliverable_memberships(organisation=organisation).filter(pk=membership_id).first()
