"""An order's history and the member's e-mails about it: each change of an order records an
event (who, what before/after) and, when the member is told, an outbox message, both in the
transaction of the change."""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user_model

from cabas.notifications.services import outbox_message_record

from .models import Order, OrderEvent

User = get_user_model()
# Builds the member's e-mail about an order when the outbox sends it (in their language).
ORDER_EMAIL_RENDERER = "cabas.orders.notifications.order_email_message"


def order_event(order: Order, kind: str, by, reason: str = "", **detail) -> OrderEvent:
    """A new event of the order's history (not saved: one or many are saved by the caller)."""
    return OrderEvent(
        organisation_id=order.organisation_id,
        order=order,
        kind=kind,
        by=by,
        reason=reason[:300],
        detail=detail,
    )


def order_notify(order: Order, event: str) -> None:
    """Record the member's e-mail about this change of the order in the outbox, in the
    transaction of the change: it is sent after the commit, and once, whatever dies when."""
    if Order.user.is_cached(order):
        email = order.user.email
    else:
        email = User.objects.filter(pk=order.user_id).values_list("email", flat=True).first()
    if not email:
        return
    # An order is placed once; it may be changed, moved (and cancelled) several times.
    key = f"order:{order.pk}:{event}"
    if event != "placed":
        key += f":{uuid.uuid4().hex}"
    outbox_message_record(
        key=key,
        to=email,
        organisation_id=order.organisation_id,
        renderer=ORDER_EMAIL_RENDERER,
        params={"order_id": order.pk, "event": event},
    )
