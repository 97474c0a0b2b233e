"""A shop whose members are every case the reminders must tell apart (see ``members``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import time_machine
from django.utils import timezone

from cabas.accounts.tests.factories import UserFactory
from cabas.notifications.models import OutboxMessage
from cabas.notifications.services import outbox_message_send
from cabas.orders import services as order_services
from cabas.orders.tests.factories import Shop, open_shop
from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import MembershipFactory

BREAD = "bread"


def order(shop: Shop, user, *, pickup=None, slot=None, lines=((BREAD, 1),), sale=None):
    pickup = pickup or shop.open_pickup
    return order_services.order_place(
        user=user, sale=sale or shop.sale, pickup_id=pickup.pk,
        slot_id=slot.pk if slot else None,
        lines=[(shop.products[name].pk, Decimal(q)) for name, q in lines],
    )  # fmt: skip


def member(shop: Shop, name: str, *, status=Membership.Status.ACTIVE, **fields):
    user = UserFactory(email=f"{name}@example.org")
    MembershipFactory(organisation=shop.organisation, user=user, status=status, **fields)
    return user


@dataclass
class Members:
    shop: Shop
    start: datetime  # when the shop was built: the sale opened an hour before
    users: dict
    other: Shop  # another organisation, whose member "elsewhere" ordered there


def members() -> Members:
    """Hand-counted: "ordered" and "ordered_no_reminders" have an order in the sale,
    "cancelled" cancelled its own; "waiting", "no_reminders", "pending" and "left" have none.
    Only "ordered" and "ordered_no_reminders" collect; "no_reminders", "ordered_no_reminders"
    refuse the reminders; "pending" and "left" are not active members."""
    start = timezone.now()
    shop = open_shop()
    users = {
        "ordered": member(shop, "ordered"),
        "ordered_no_reminders": member(shop, "ordered_no_reminders", accepts_reminders=False),
        "cancelled": member(shop, "cancelled"),
        "waiting": member(shop, "waiting"),
        "no_reminders": member(shop, "no_reminders", accepts_reminders=False),
        "pending": member(shop, "pending", status=Membership.Status.PENDING),
        "left": member(shop, "left", status=Membership.Status.LEFT),
    }
    order(shop, users["ordered"], pickup=shop.pickup, slot=shop.slots[0])
    order(shop, users["ordered_no_reminders"])
    cancelled = order(shop, users["cancelled"])
    order_services.order_cancel(order=cancelled)
    # Somebody of another organisation, with an order there.
    other = open_shop()
    order(other, member(other, "elsewhere"), sale=other.sale)
    return Members(shop=shop, start=start, users=users, other=other)


def previous_sale(shop: Shop, *, days: int, customers: list) -> None:
    """A sale of the same organisation ``days`` earlier, closed, where ``customers`` ordered."""
    with time_machine.travel(timezone.now() - timedelta(days=days), tick=False):
        earlier = open_shop(organisation=shop.organisation)
        for user in customers:
            order(earlier, user)


def recipients(prefix: str, organisation=None) -> list[str]:
    """The addresses of the outbox rows whose key starts with ``prefix`` (of
    ``organisation`` when given), sorted."""
    rows = OutboxMessage.objects.filter(key__startswith=prefix)
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    return sorted(rows.values_list("to", flat=True))


def sent(prefix: str):
    """Send the outbox rows of ``prefix`` now; their e-mails (in ``mail.outbox``)."""
    from django.core import mail

    before = len(mail.outbox)
    for pk in (
        OutboxMessage.objects.filter(key__startswith=prefix)
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        outbox_message_send(outbox_id=pk)
    return mail.outbox[before:]
