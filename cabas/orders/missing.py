"""Missing items on distribution day: one order's line ("Missing" on the check-in screen, and
its undo) or a whole product of the sale, with the member's e-mail about it.

The e-mail waits ``MISSING_PRODUCT_EMAIL_DELAY_MINUTES`` in the outbox before it leaves, so a
volunteer's mistaken tap undone meanwhile sends nothing: the undo withdraws it. Once it has
left, the undo sends a correction ("after all, it is in your order") instead. Each marking
records the key of its e-mail in the order's history (the ``missing`` event), which is how
the undo finds it; marking, undoing and marking again tells the member once per marking that
reached them, never twice for one. Locks as in ``fulfilment``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cabas.catalog.models import Product
from cabas.core.money import ZERO
from cabas.notifications.services import outbox_message_record, outbox_message_withdraw
from cabas.sales.models import Sale

from .events import ORDER_EMAIL_RENDERER, order_event
from .fulfilment import order_lock_open, orders_lock_open, orders_total_refresh
from .models import Order, OrderEvent, OrderLine
from .pricing import weighed_line_amount
from .selectors import orders_losing_product


def _missing_email_record(*, order_id: int, organisation_id: int, email: str, line_id: int,
                          product: str) -> str:  # fmt: skip
    """The member's e-mail about a missing product, sent after the delay; returns its key."""
    key = f"order:{order_id}:missing:{line_id}:{uuid.uuid4().hex}"
    delay = timedelta(minutes=settings.MISSING_PRODUCT_EMAIL_DELAY_MINUTES)
    outbox_message_record(
        key=key, to=email, organisation_id=organisation_id, renderer=ORDER_EMAIL_RENDERER,
        params={"order_id": order_id, "event": "missing", "product": product},
        not_before=timezone.now() + delay,
    )  # fmt: skip
    return key


def _member_email(order: Order) -> str:
    return Order.objects.filter(pk=order.pk).values_list("user__email", flat=True).first() or ""


@transaction.atomic
def order_line_mark_missing(*, line: OrderLine, by, note: str = "") -> OrderLine:
    """An item missing from one order: its amount becomes 0 and the order's total follows; an
    optional substitution note says what the member got instead. The member is told by
    e-mail after a short delay (see the module). A line already missing stays as it is."""
    order = order_lock_open(line.order)
    line = OrderLine.objects.get(pk=line.pk, order=order)
    if line.is_missing:
        return line  # a double tap
    before = {"is_missing": False, "amount": line.amount}
    line.is_missing = True
    if note:
        line.substitution_note = note.strip()[:200]
    line.amount = weighed_line_amount(line)
    line.save(update_fields=["is_missing", "substitution_note", "amount", "updated_at"])
    orders_total_refresh([order.pk])
    email = _member_email(order)
    key = email and _missing_email_record(
        order_id=order.pk, organisation_id=order.organisation_id, email=email,
        line_id=line.pk, product=line.product_name,
    )  # fmt: skip
    order_event(order, OrderEvent.Kind.MISSING, by, product=line.product_name, line=line.pk,
                before=before, after={"is_missing": True, "amount": line.amount}, note=note,
                email=key).save()  # fmt: skip
    return line


@transaction.atomic
def order_line_unmark_missing(*, line: OrderLine, by) -> OrderLine:
    """Undo "Missing" (a mistaken tap, or the item found after all): the line's amount comes
    back and the order's total follows. The member's e-mail about it is withdrawn if it has
    not left; if it has, they get a correction. A line not missing stays as it is."""
    order = order_lock_open(line.order)
    line = OrderLine.objects.get(pk=line.pk, order=order)
    if not line.is_missing:
        return line  # a double tap
    before = {"is_missing": True, "amount": line.amount}
    line.is_missing = False
    line.amount = weighed_line_amount(line)
    line.save(update_fields=["is_missing", "amount", "updated_at"])
    orders_total_refresh([order.pk])
    corrected = _missing_email_take_back(order, line)
    order_event(order, OrderEvent.Kind.MISSING, by, product=line.product_name, line=line.pk,
                before=before, after={"is_missing": False, "amount": line.amount},
                correction=corrected).save()  # fmt: skip
    return line


def _missing_email_take_back(order: Order, line: OrderLine) -> bool:
    """Withdraw the e-mail of the line's last marking; if it already left, record the
    correction (sent at once). True when a correction is sent."""
    last = (
        OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.MISSING, detail__line=line.pk)
        .order_by("-at", "-pk")
        .values_list("detail", flat=True)
        .first()
    )
    key = (last or {}).get("email")
    if not key or outbox_message_withdraw(key=key):
        return False
    email = _member_email(order)
    if not email:
        return False
    outbox_message_record(
        key=f"order:{order.pk}:found:{line.pk}:{uuid.uuid4().hex}", to=email,
        organisation_id=order.organisation_id, renderer=ORDER_EMAIL_RENDERER,
        params={"order_id": order.pk, "event": "found", "product": line.product_name},
    )  # fmt: skip
    return True


@transaction.atomic
def sale_product_set_missing(*, sale: Sale, product: Product, by, reason: str = "") -> list[int]:
    """A whole product did not come: every active order of the sale with it loses that line's
    amount, in one go; the members concerned are told by e-mail (after the delay, see the
    module). Returns the orders changed."""
    order_ids = orders_lock_open(orders_losing_product(sale=sale, product=product))
    lines = OrderLine.objects.filter(order_id__in=order_ids, product=product, is_missing=False)
    before = {order_id: (pk, amount) for order_id, pk, amount in
              lines.values_list("order_id", "pk", "amount")}  # fmt: skip
    lines.update(is_missing=True, amount=ZERO, updated_at=timezone.now())
    orders_total_refresh(order_ids)
    events = []
    # Each member's e-mail, recorded in this transaction and sent by the outbox after it.
    for order_id, organisation_id, email in Order.objects.filter(pk__in=order_ids).values_list(
        "pk", "organisation_id", "user__email"
    ):
        line_id, amount = before[order_id]
        key = email and _missing_email_record(
            order_id=order_id, organisation_id=organisation_id, email=email, line_id=line_id,
            product=product.name,
        )  # fmt: skip
        order = Order(pk=order_id, organisation_id=organisation_id)
        events.append(order_event(
            order, OrderEvent.Kind.MISSING, by, reason, product=product.name, line=line_id,
            before={"is_missing": False, "amount": amount},
            after={"is_missing": True, "amount": ZERO}, email=key,
        ))  # fmt: skip
    OrderEvent.objects.bulk_create(events)
    return order_ids
