"""The members list for coordinators: each membership with its balance, its membership
standing and the last order, read in one query."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Case,
    CharField,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from cabas.orders.models import Order
from cabas.orgs.models import Membership, Organisation

from ..models import MembershipPeriod, MoneySettings
from ..selectors import (
    MEMBERSHIP_ACTIVE,
    MEMBERSHIP_EXPIRED,
    MEMBERSHIP_PENDING_PAYMENT,
    memberships_with_balance,
)

MEMBERSHIP_STATUS_CHOICES = [
    (MEMBERSHIP_ACTIVE, pgettext_lazy("membership", "active")),
    (MEMBERSHIP_PENDING_PAYMENT, gettext_lazy("fee to pay")),
    (MEMBERSHIP_EXPIRED, gettext_lazy("expired")),
]


def member_list(
    *,
    organisation: Organisation,
    search: str = "",
    status: str = "",
    membership_status: str = "",
    on: date | None = None,
) -> QuerySet[Membership]:
    """Every membership of the organisation with the person, in one query whatever their number,
    annotated with ``balance`` (sum of the account's entries), ``last_order_at`` (the person's
    latest order here that was not cancelled, or None) and ``membership_status``: active,
    pending_payment or expired, the rule of ``selectors.membership_status``, computed by the
    database; it is empty for a membership that is not active (a request, someone who left).
    """
    on = on or timezone.localdate()
    fee_due = Exists(
        MoneySettings.objects.filter(organisation=OuterRef("organisation"), membership_fee__gt=0)
    )
    current_periods = MembershipPeriod.objects.filter(
        membership=OuterRef("pk"), starts_on__lte=on, ends_on__gt=on
    )
    last_order = (
        Order.objects.active()
        .filter(organisation=OuterRef("organisation"), user=OuterRef("user"))
        .order_by()
        .values("user")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    memberships = memberships_with_balance(organisation=organisation).select_related("producer")
    memberships = memberships.annotate(
        last_order_at=Subquery(last_order),
        has_current_period=Exists(current_periods),
        current_period_paid_at=Subquery(current_periods.order_by("-starts_on").values("paid_at")[:1]),
    )  # fmt: skip
    memberships = memberships.annotate(
        membership_status=Case(
            When(~Q(status=Membership.Status.ACTIVE), then=Value("")),
            When(~fee_due, then=Value(MEMBERSHIP_ACTIVE)),
            When(has_current_period=False, then=Value(MEMBERSHIP_EXPIRED)),
            When(current_period_paid_at__isnull=True, then=Value(MEMBERSHIP_PENDING_PAYMENT)),
            default=Value(MEMBERSHIP_ACTIVE),
            output_field=CharField(),
        )
    )
    if status:
        memberships = memberships.filter(status=status)
    if membership_status:
        memberships = memberships.filter(membership_status=membership_status)
    if search:
        memberships = memberships.filter(
            Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
            | Q(user__email__icontains=search)
            | Q(user__phone__icontains=search)
        )
    return memberships.order_by("user__last_name", "user__first_name", "user__email")
