"""Every write of orders and baskets, by its public name (``order_place``, ``checkout_submit``,
``order_line_weigh``…). The services live in modules by concept; this module gathers them so
that callers elsewhere import one place:

- ``rules``: quantity rules, typed quantities, the membership check;
- ``pricing``: what a sale item has left, unit prices and line amounts (one copy of each);
- ``checks``, ``counting``, ``refusals``: checking an order before the locks, the counters
  written last, the database constraints told as the member's errors;
- ``placing``: placing, changing, moving and cancelling an order;
- ``baskets`` and ``checkout``: the basket, and the checkout that turns it into the order;
- ``fulfilment``, ``missing`` and ``corrections``: distribution day's changes of orders;
- ``events``: the order's history and the member's e-mails about it.
"""

from __future__ import annotations

from .baskets import (
    ReorderResult,
    basket_attach,
    basket_for,
    basket_from_order,
    basket_reorder,
    basket_set_quantity,
)
from .checkout import checkout_submit
from .corrections import order_line_add, order_line_remove, sale_item_set_price
from .events import ORDER_EMAIL_RENDERER
from .fulfilment import (
    TRANSITIONS,
    arrival_offered,
    arrival_refusal,
    order_arrive,
    order_line_substitute,
    order_line_weigh,
    order_set_status,
    orders_total_refresh,
    pickup_mark_no_shows,
)
from .missing import order_line_mark_missing, order_line_unmark_missing, sale_product_set_missing
from .placing import order_cancel, order_change, order_line_build, order_move, order_place
from .refusals import CONSTRAINT_ERRORS, constraint_refusal
from .rules import QUANTITY_TEXT, member_check, parse_quantity, quantity_check

__all__ = [
    "CONSTRAINT_ERRORS",
    "ORDER_EMAIL_RENDERER",
    "QUANTITY_TEXT",
    "TRANSITIONS",
    "ReorderResult",
    "arrival_offered",
    "arrival_refusal",
    "basket_attach",
    "basket_for",
    "basket_from_order",
    "basket_reorder",
    "basket_set_quantity",
    "checkout_submit",
    "constraint_refusal",
    "member_check",
    "order_arrive",
    "order_cancel",
    "order_change",
    "order_line_add",
    "order_line_build",
    "order_line_remove",
    "order_line_mark_missing",
    "order_line_substitute",
    "order_line_unmark_missing",
    "order_line_weigh",
    "order_move",
    "order_place",
    "order_set_status",
    "orders_total_refresh",
    "parse_quantity",
    "pickup_mark_no_shows",
    "quantity_check",
    "sale_item_set_price",
    "sale_product_set_missing",
]
