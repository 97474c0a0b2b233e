"""The member's e-mails about an order are recorded in the outbox (cabas.notifications) in the
transaction that changes the order, and the outbox's task sends them (events.order_notify,
notifications.order_email_message). The two tasks below only finish the tasks queued by a
version before the outbox, during an upgrade; nothing queues them any more."""

import uuid

from django_tasks import task

from cabas.notifications.services import outbox_message_record, outbox_message_send

from .events import ORDER_EMAIL_RENDERER
from .models import Order


def _send_through_the_outbox(order_id: int, event: str, product: str = "") -> bool:
    order = Order.objects.select_related("user").filter(pk=order_id).first()
    if order is None or not order.user.email:
        return False
    message = outbox_message_record(
        key=f"order:{order_id}:{event}:queued-before-the-outbox:{uuid.uuid4().hex}",
        to=order.user.email,
        organisation_id=order.organisation_id,
        renderer=ORDER_EMAIL_RENDERER,
        params={"order_id": order_id, "event": event, "product": product},
        enqueue=False,
    )
    return outbox_message_send(outbox_id=message.pk)


@task()
def order_notify(*, order_id: int, event: str) -> bool:
    return _send_through_the_outbox(order_id, event)


@task()
def orders_notify_missing(*, order_ids: list[int], product: str) -> int:
    return sum(_send_through_the_outbox(pk, "missing", product) for pk in order_ids)
