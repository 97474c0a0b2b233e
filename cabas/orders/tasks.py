"""E-mails about an order, sent by the worker after the transaction that changed it."""

from django_tasks import task

from . import notifications


@task()
def order_notify(*, order_id: int, event: str) -> int:
    """Tell the member their order was placed, changed or cancelled (in their language)."""
    return notifications.order_email_send(order_id=order_id, event=event)


@task()
def orders_notify_missing(*, order_ids: list[int], product: str) -> int:
    """Tell each member concerned that a product did not come (their total is lowered)."""
    return sum(
        notifications.order_email_send(order_id=order_id, event="missing", product=product)
        for order_id in order_ids
    )
