"""The members' balances and membership standing, for the balances page."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from cabas.core.money import ZERO
from cabas.orgs.models import Membership, Organisation

from .. import selectors
from ..models import MembershipPeriod


def member_balances(
    *,
    organisation: Organisation,
    negative_only: bool = False,
    expired_only: bool = False,
    on: date | None = None,
) -> QuerySet[Membership]:
    """The organisation's members (active, or who left), each with ``balance`` (the one
    rule, ``selectors.balance_expression``: entries less orders not yet debited) and
    ``money_status`` (active, pending_payment or expired, as selectors.membership_status
    says), by name. ``negative_only``: those who owe money;
    ``expired_only``: those without a paid membership year today (nobody when membership
    is free). Two queries once evaluated."""
    on = on or timezone.localdate()
    fee = selectors.settings_of(organisation).membership_fee
    memberships = selectors.memberships_with_balance(organisation=organisation).filter(
        status__in=[Membership.Status.ACTIVE, Membership.Status.LEFT]
    )
    current = MembershipPeriod.objects.filter(
        membership=OuterRef("pk"), starts_on__lte=on, ends_on__gt=on
    )
    if fee > 0:
        memberships = memberships.annotate(
            money_status=Case(
                When(Exists(current.filter(paid_at__isnull=False)),
                     then=Value(selectors.MEMBERSHIP_ACTIVE)),
                When(Exists(current), then=Value(selectors.MEMBERSHIP_PENDING_PAYMENT)),
                default=Value(selectors.MEMBERSHIP_EXPIRED),
                output_field=CharField(),
            )
        )  # fmt: skip
    else:
        memberships = memberships.annotate(
            money_status=Value(selectors.MEMBERSHIP_ACTIVE, output_field=CharField())
        )
    if negative_only:
        memberships = memberships.filter(balance__lt=0)
    if expired_only:
        if fee > 0:
            memberships = memberships.filter(~Exists(current.filter(paid_at__isnull=False)))
        else:
            memberships = memberships.none()
    return memberships.order_by("user__last_name", "user__first_name", "user__email", "pk")


def member_balance_totals(memberships: QuerySet[Membership]) -> tuple:
    """What the members of ``member_balances`` owe and their credit, all of them (one query,
    whatever the page shown)."""
    totals = memberships.aggregate(
        owed=Sum("balance", filter=Q(balance__lt=0)), credit=Sum("balance", filter=Q(balance__gt=0))
    )
    return totals["owed"] or ZERO, totals["credit"] or ZERO
