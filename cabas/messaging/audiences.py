"""Who a message is for: each audience as one query on the organisation's active
memberships (people who ordered without joining the organisation are not in any audience:
they have no preferences to keep; the e-mails about their own orders still reach them).

The rule of each audience lives here once, for the count shown before sending, the preview
and the recipients fixed when the message is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cabas.notifications.models import UndeliverableAddress
from cabas.orders.models import Order
from cabas.orgs.models import Membership, Organisation
from cabas.work.models import ShiftMember, Signup, WorkPeriod
from cabas.work.selectors import ShiftStatus, shift_status_filter, work_settings_of

from .models import Audience, Message

# "Customers of a pickup point": people with an order there whose pickup is at most this old,
# or to come.
POINT_CUSTOMERS_SINCE = timedelta(days=90)


class AudienceIncomplete(ValueError):
    """The audience needs a choice it does not have (a sale, a pickup point…)."""


def _customers(orders: QuerySet) -> Q:
    return Q(user_id__in=orders.values("user_id"))


def _filter(message: Message, organisation: Organisation, now: datetime) -> Q:  # noqa: C901
    audience = message.audience
    orders = Order.objects.active().filter(organisation=organisation)
    if audience == Audience.ALL_MEMBERS:
        return Q()
    if audience == Audience.PRODUCERS:
        return Q(is_producer=True)
    if audience == Audience.VOLUNTEERS:
        return Q(is_volunteer=True)
    if audience == Audience.PICKUP_POINT:
        if message.pickup_point_id is None:
            raise AudienceIncomplete("pickup_point")
        return _customers(
            orders.filter(
                pickup__pickup_point_id=message.pickup_point_id,
                pickup__ends_at__gte=now - POINT_CUSTOMERS_SINCE,
            )
        )
    if audience == Audience.SHIFT_STATUS:
        if message.shift_status not in ShiftStatus.__members__.values():
            raise AudienceIncomplete("shift_status")
        today = timezone.localdate(now, organisation.tzinfo)
        status_filter = shift_status_filter(
            ShiftStatus(message.shift_status), work_settings_of(organisation), today
        )
        return Q(
            pk__in=ShiftMember.objects.filter(organisation=organisation)
            .filter(status_filter)
            .values("membership_id")
        )
    if message.sale_id is None:
        raise AudienceIncomplete("sale")
    sale_orders = orders.filter(sale_id=message.sale_id)
    if audience == Audience.SALE:
        if message.slot_id is not None:
            return _customers(sale_orders.filter(slot_id=message.slot_id))
        if message.pickup_id is not None:
            return _customers(sale_orders.filter(pickup_id=message.pickup_id))
        return _customers(sale_orders)
    if audience == Audience.NOT_ORDERED:
        return ~_customers(sale_orders)
    if audience == Audience.ON_DUTY:
        on_duty = Signup.objects.holding().filter(
            organisation=organisation,
            period__kind=WorkPeriod.Kind.DUTY,
            period__pickup__sale_id=message.sale_id,
        )
        return Q(pk__in=on_duty.values("membership_id"))
    raise AudienceIncomplete("audience")


def audience_members(message: Message, *, now: datetime) -> QuerySet[Membership]:
    """The active memberships the message is for, oldest first; raises AudienceIncomplete
    when the audience lacks its sale, pickup point or status."""
    organisation = message.organisation
    return (
        Membership.objects.filter(organisation=organisation)
        .active()
        .filter(_filter(message, organisation, now))
        .order_by("pk")
    )


def _undeliverable() -> Exists:
    return Exists(UndeliverableAddress.objects.filter(email=OuterRef("user__email")))


def with_delivery(members: QuerySet[Membership]) -> QuerySet[Membership]:
    """The memberships with ``undeliverable`` (the provider refused their address)."""
    return members.annotate(undeliverable=_undeliverable())


@dataclass(frozen=True)
class AudienceCount:
    total: int
    unsubscribed: int
    undeliverable: int

    @property
    def receiving(self) -> int:
        return self.total - self.unsubscribed - self.undeliverable


def audience_count(message: Message, *, now: datetime) -> AudienceCount:
    """How many people the message is for, and how many will not get the e-mail (they turned
    the messages off, or their address is undeliverable): one query."""
    counts = audience_members(message, now=now).aggregate(
        total=Count("pk"),
        unsubscribed=Count("pk", filter=Q(accepts_announcements=False)),
        undeliverable=Count("pk", filter=Q(_undeliverable(), accepts_announcements=True)),
    )
    return AudienceCount(**counts)
