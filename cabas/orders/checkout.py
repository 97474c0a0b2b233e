"""The checkout: the member confirms their basket, which becomes their order."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction

from cabas.sales.models import Sale

from . import errors
from .models import Basket, BasketLine, Order
from .placing import order_change, order_place
from .selectors import basket_lines


@transaction.atomic
def checkout_submit(
    *,
    user,
    sale: Sale,
    basket: Basket,
    pickup_id,
    slot_id,
    note: str = "",
    idempotency_key: str = "",
    lines: list[tuple[int, Decimal]] | None = None,
) -> Order:
    """Place the member's order in ``sale`` with the basket's lines — or, when the basket
    came from their order (``basket_from_order``), apply the changes to it — and empty the
    basket, in one transaction: a refusal leaves both the orders and the basket as they were.
    A repeated ``idempotency_key`` returns the order it placed first (``order.replayed``).
    ``lines``: the basket's lines (``selectors.basket_lines``) when the caller has read them."""
    if basket.user_id is None or basket.user_id != user.pk or basket.sale_id != sale.pk:
        raise errors.OrderNotFound()
    if lines is None:
        lines = basket_lines(basket)
    if basket.order_id:
        order = order_change(
            order=basket.order, lines=lines, pickup_id=pickup_id, slot_id=slot_id, note=note
        )
        order.replayed = False
    else:
        order = order_place(
            user=user, sale=sale, lines=lines, pickup_id=pickup_id, slot_id=slot_id,
            note=note, idempotency_key=idempotency_key,
        )  # fmt: skip
    _basket_delete(basket.pk)
    return order


def _basket_delete(basket_id: int) -> None:
    """The emptied basket and its lines: two DELETEs (Django's collector read the basket
    first to find what cascades, a third statement; nothing else points at a basket line)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in ((BasketLine, "basket_id"), (Basket, "id")):
            cursor.execute(
                f"DELETE FROM {quote(table._meta.db_table)} WHERE {column} = %s",  # noqa: S608
                [basket_id],
            )
