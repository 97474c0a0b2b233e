"""Reads of the messages: their progress (one aggregate), the coordinators' list, the
members' archive and the announcements shown on the shop and home pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet

from cabas.notifications.models import OutboxMessage
from cabas.orgs.models import Membership, Organisation
from cabas.sales.models import Pickup, Sale, Slot

from .models import Audience, Message, MessageRecipient

# The sales a message may be about: open, to come, or closed within this many days.
RECENT_SALE_DAYS = 45

OutboxState = OutboxMessage.State
Skipped = MessageRecipient.Skipped


def _progress_counts(prefix: str = "") -> dict:
    """The aggregates of a message's progress over its recipients (``prefix`` when counted
    from the message: "recipients__")."""
    state = f"{prefix}outbox__state"
    skipped = f"{prefix}skipped"
    outbox = f"{prefix}outbox"
    pk = f"{prefix}pk"
    return {
        "total": Count(pk),
        "sent": Count(pk, filter=Q(**{state: OutboxState.SENT})),
        "failed": Count(pk, filter=Q(**{state: OutboxState.FAILED})),
        "unsubscribed": Count(pk, filter=Q(**{skipped: Skipped.UNSUBSCRIBED})),
        "undeliverable": Count(pk, filter=Q(**{skipped: Skipped.UNDELIVERABLE})),
        "waiting": Count(
            pk,
            filter=Q(**{f"{outbox}__isnull": True, skipped: ""})
            | Q(**{f"{state}__in": [OutboxState.PENDING, OutboxState.SENDING]}),
        ),
    }


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int
    unsubscribed: int
    undeliverable: int
    waiting: int

    @property
    def to_send(self) -> int:
        return self.total - self.unsubscribed - self.undeliverable

    @property
    def percent(self) -> int:
        done = self.sent + self.failed
        return 100 if not self.to_send else round(100 * done / self.to_send)


def message_progress(message: Message) -> Progress:
    """Where the sending of a message stands: one query."""
    return Progress(**MessageRecipient.objects.filter(message=message).aggregate(
        **_progress_counts()
    ))  # fmt: skip


def messages_of(organisation: Organisation) -> QuerySet[Message]:
    """The organisation's messages, newest first, each with its progress counted (one query
    for the page, whatever the number of messages and recipients)."""
    counts = {f"progress_{name}": value for name, value in _progress_counts("recipients__").items()}
    return (
        Message.objects.filter(organisation=organisation)
        .select_related("created_by", "sent_by")
        .annotate(**counts)
        .order_by("-created_at", "-pk")
    )


def message_recipients(message: Message, *, show: str = "") -> QuerySet[MessageRecipient]:
    """A sent message's recipients with their e-mail's state, filtered by ``show`` ("sent",
    "failed", "waiting", "unsubscribed", "undeliverable"; else all)."""
    rows = (
        MessageRecipient.objects.filter(message=message)
        .select_related("outbox", "membership__user")
        .order_by("pk")
    )
    filters = {
        "sent": Q(outbox__state=OutboxState.SENT),
        "failed": Q(outbox__state=OutboxState.FAILED),
        "waiting": Q(outbox__isnull=True, skipped="")
        | Q(outbox__state__in=[OutboxState.PENDING, OutboxState.SENDING]),
        "unsubscribed": Q(skipped=Skipped.UNSUBSCRIBED),
        "undeliverable": Q(skipped=Skipped.UNDELIVERABLE),
    }
    return rows.filter(filters[show]) if show in filters else rows


def _recipient_of(membership: Membership) -> Q:
    """Messages a member is a recipient of; a message to all members is also theirs if they
    joined after it was sent (the archive is the organisation's news)."""
    return Q(recipients__membership=membership) | Q(audience=Audience.ALL_MEMBERS)


def archive_of(membership: Membership) -> QuerySet[Message]:
    """The messages of a member's archive ("messages from the collective"), newest first."""
    return (
        Message.objects.filter(organisation_id=membership.organisation_id)
        .exclude(state=Message.State.DRAFT)
        .filter(_recipient_of(membership))
        .distinct()
        .order_by("-sent_at", "-pk")
    )


def announcements_for(
    organisation: Organisation, membership: Membership | None, *, now: datetime
) -> list[Message]:
    """The announcements to show a person on the shop and home pages now: those of sent
    messages whose date is to come and that were for them (for everyone, when the message was
    for all members and the visitor is not a member)."""
    shown = Message.objects.filter(organisation=organisation, announce_until__gt=now).exclude(
        state=Message.State.DRAFT
    )
    if membership is not None and membership.is_active:
        shown = shown.filter(_recipient_of(membership))
    else:
        shown = shown.filter(audience=Audience.ALL_MEMBERS)
    return list(shown.distinct().order_by("announce_until", "pk").only(
        "pk", "announcement", "announce_until", "subject"
    )[:3])  # fmt: skip


def sales_to_write_about(*, organisation: Organisation, now: datetime) -> QuerySet[Sale]:
    """The sales a message may be about: open, to come, or closed in the last
    ``RECENT_SALE_DAYS`` days, the latest first."""
    since = now - timedelta(days=RECENT_SALE_DAYS)
    return Sale.objects.filter(organisation=organisation, closes_at__gte=since).order_by(
        "-opens_at"
    )


def sale_to_write_about_first(sales: list[Sale], *, now: datetime) -> Sale | None:
    """The sale a new message is most likely about, among ``sales``: the open one that closes
    first, else the next one to open, else the latest."""
    open_now = [sale for sale in sales if sale.opens_at <= now < sale.closes_at]
    if open_now:
        return min(open_now, key=lambda sale: sale.closes_at)
    coming = [sale for sale in sales if sale.opens_at > now]
    if coming:
        return min(coming, key=lambda sale: sale.opens_at)
    return sales[0] if sales else None


def pickups_to_write_about(sale: Sale | None) -> list[Pickup]:
    """The sale's pickups a message may be for, with their points, by time then point."""
    if sale is None:
        return []
    return list(
        Pickup.objects.filter(sale=sale).select_related("pickup_point")
        .order_by("starts_at", "pickup_point__name", "pk")
    )  # fmt: skip


def slots_to_write_about(pickup: Pickup | None) -> list[Slot]:
    """The pickup's slots a message may be for, by time."""
    return list(pickup.slots.order_by("starts_at", "pk")) if pickup else []
