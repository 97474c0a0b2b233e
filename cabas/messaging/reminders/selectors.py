"""Who each reminder is for, in bulk: a few queries per sale or per organisation, never one
per member. Each function returns ``(key, e-mail address, params)`` rows; whether a key was
already recorded is the outbox's business (``outbox_messages_record_new``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import QuerySet

from cabas.orders.models import Order
from cabas.orgs.models import Membership, Organisation
from cabas.sales.models import Pickup, PickupPoint, Sale
from cabas.sales.models.sale import taking_orders_q

from ..models import MessagingSettings

# The orders still to collect (a reminder or a change concerns them).
TO_COLLECT = (Order.Status.PLACED, Order.Status.PICKING, Order.Status.READY)


@dataclass(frozen=True)
class Due:
    key: str
    to: str
    params: dict


def _reminded_members(organisation_id: int) -> QuerySet[Membership]:
    """Active members who accept the reminders and have an address."""
    return (
        Membership.objects.filter(
            organisation_id=organisation_id,
            status=Membership.Status.ACTIVE,
            accepts_reminders=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("pk")
    )


def _ordered_in(sale: Sale) -> QuerySet[Order]:
    return Order.objects.filter(sale=sale).active().values("user_id")


def _recent_customers(sale: Sale, count: int) -> QuerySet[Order]:
    """The people with an order in the organisation's ``count`` sales that opened before
    ``sale``."""
    recent = (
        Sale.objects.filter(organisation_id=sale.organisation_id, opens_at__lt=sale.opens_at)
        .exclude(status=Sale.Status.DRAFT)
        .exclude(pk=sale.pk)
        .order_by("-opens_at", "-pk")
        .values_list("pk", flat=True)[:count]
    )
    return Order.objects.filter(sale_id__in=list(recent)).active().values("user_id")


def order_cycles_taking_orders(organisation: Organisation, now: datetime) -> list[Sale]:
    """The order cycles that take orders now. A cooperative's drive days are its everyday
    shop, open a week ahead each: announcing each day, and calling before each day's
    cutoff, would be an e-mail a day; their orders still get the pickup reminder."""
    return list(
        Sale.objects.filter(organisation=organisation, kind=Sale.Kind.ORDER_CYCLE)
        .filter(taking_orders_q(now))
        .order_by("closes_at", "pk")
    )


def sale_opened_due(*, sale: Sale, settings: MessagingSettings) -> list[Due]:
    """The members told that ``sale`` is open: those who ordered in the last
    ``sale_opened_recent_sales`` sales (0: every member), except who already ordered in it."""
    members = _reminded_members(sale.organisation_id).exclude(user_id__in=_ordered_in(sale))
    if settings.sale_opened_recent_sales:
        members = members.filter(
            user_id__in=_recent_customers(sale, settings.sale_opened_recent_sales)
        )
    return [
        Due(f"reminder:sale-opened:{sale.pk}:{pk}", email,
            {"kind": "sale_opened", "sale_id": sale.pk, "membership_id": pk})
        for pk, email in members.values_list("pk", "user__email")
    ]  # fmt: skip


def last_call_window_open(*, sale: Sale, settings: MessagingSettings, now: datetime) -> bool:
    """The last call goes out from ``last_call_hours`` before the cutoff until the cutoff.
    When the sale-opened e-mail is on, a sale open for less than twice that long gets none:
    its members were told it opened a few hours before."""
    hours = timedelta(hours=settings.last_call_hours)
    if not sale.closes_at - hours <= now < sale.closes_at:
        return False
    return not (settings.sale_opened_on and sale.opens_at > sale.closes_at - 2 * hours)


def last_call_due(*, sale: Sale) -> list[Due]:
    """The members without an order in ``sale`` yet."""
    members = _reminded_members(sale.organisation_id).exclude(user_id__in=_ordered_in(sale))
    return [
        Due(f"reminder:last-call:{sale.pk}:{pk}", email,
            {"kind": "last_call", "sale_id": sale.pk, "membership_id": pk})
        for pk, email in members.values_list("pk", "user__email")
    ]  # fmt: skip


def pickup_reminder_at(
    *, starts_at: datetime, organisation: Organisation, settings: MessagingSettings
) -> datetime:
    """When the reminder of a pickup starting at ``starts_at`` goes out:
    ``pickup_reminder_days_before`` days before its day, at ``pickup_reminder_hour`` on the
    organisation's wall clock (that hour of that day, whatever clock change lies between)."""
    zone = organisation.tzinfo
    day = starts_at.astimezone(zone).date() - timedelta(days=settings.pickup_reminder_days_before)
    return datetime.combine(day, time(settings.pickup_reminder_hour), tzinfo=zone)


def pickup_reminders_due(
    *, organisation: Organisation, settings: MessagingSettings, now: datetime
) -> list[Due]:
    """The orders to collect at the pickups whose reminder time has come and that have not
    started; an order placed after that time had its confirmation just before: none. Only
    members who accept the reminders."""
    horizon = now + timedelta(days=settings.pickup_reminder_days_before + 2)
    starts = Pickup.objects.filter(
        organisation=organisation, starts_at__gt=now, starts_at__lte=horizon
    ).values_list("pk", "starts_at")
    reminded_at = {}
    for pk, starts_at in starts:
        at = pickup_reminder_at(starts_at=starts_at, organisation=organisation, settings=settings)
        if at <= now:
            reminded_at[pk] = at
    if not reminded_at:
        return []
    orders = list(
        Order.objects.filter(pickup_id__in=reminded_at, status__in=TO_COLLECT)
        .order_by("pk")
        .values_list("pk", "pickup_id", "user_id", "user__email", "created_at")
    )
    members = dict(
        _reminded_members(organisation.pk)
        .filter(user_id__in={user_id for _pk, _pickup, user_id, _email, _at in orders})
        .values_list("user_id", "pk")
    )
    return [
        Due(f"reminder:pickup:{pk}", email,
            {"kind": "pickup", "order_id": pk, "membership_id": members[user_id]})
        for pk, pickup_id, user_id, email, created_at in orders
        if user_id in members and email and created_at < reminded_at[pickup_id]
    ]  # fmt: skip


def point_moved_due(*, point: PickupPoint, now: datetime) -> list[Due]:
    """The orders to collect at the point's pickups not over yet, keyed by the point's
    version (its last change): each change is told once per order. Transactional: no
    consent needed, only an address."""
    version = point.updated_at.strftime("%Y%m%d%H%M%S%f")
    orders = (
        Order.objects.filter(
            pickup__pickup_point=point, pickup__ends_at__gt=now, status__in=TO_COLLECT
        )
        .exclude(user__email="")
        .order_by("pk")
        .values_list("pk", "user__email")
    )
    return [
        Due(f"changes:point:{point.pk}:{version}:{pk}", email,
            {"kind": "changes", "order_id": pk})
        for pk, email in orders
    ]  # fmt: skip
