"""Baskets: what a member or a visitor is about to order in a sale. Nothing is counted or
reserved here; the order's services check everything again, for real, when it is placed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db import connection, transaction
from django.utils import timezone

from cabas.catalog.units import product_unit
from cabas.core import rows
from cabas.core.errors import Quantity
from cabas.core.money import ZERO
from cabas.sales.models import Sale, SaleItem

from . import errors
from .models import Basket, BasketLine, Order
from .pricing import item_remaining
from .rules import quantity_check


def basket_for(*, sale: Sale, user=None, session_key: str = "", create: bool = False):
    """The person's basket for the sale (the member's on any device, or the visitor's)."""
    owner = {"user": user} if user is not None else {"user": None, "session_key": session_key}
    if user is None and not session_key:
        return None
    basket = _basket_read(sale_id=sale.pk, user_id=user.pk if user is not None else None,
                          session_key=session_key)  # fmt: skip
    if basket is None and create:
        basket, _created = Basket.objects.get_or_create(
            sale=sale, **owner, defaults={"organisation_id": sale.organisation_id}
        )
    return basket


def _basket_read(*, sale_id: int, user_id: int | None, session_key: str) -> Basket | None:
    """The basket as ``Basket.objects.filter(...).first()`` finds it, in a plain statement:
    read on every shop page, basket change and checkout, where the ORM's building of the
    query cost more CPU than the database spent on it."""
    if user_id is not None:
        owner, params = "b.user_id = %s", [sale_id, user_id]
    else:
        owner, params = "b.user_id IS NULL AND b.session_key = %s", [sale_id, session_key]
    with connection.cursor() as cursor:
        cursor.execute(_basket_statement(owner), params)
        row = cursor.fetchone()
    return None if row is None else rows.instances(row, (Basket,))[0]


@cache
def _basket_statement(owner: str) -> str:
    table = connection.ops.quote_name(Basket._meta.db_table)
    return (
        f"SELECT {rows.columns(Basket, 'b')} FROM {table} b"  # noqa: S608
        f" WHERE b.sale_id = %s AND {owner} ORDER BY b.updated_at DESC, b.id LIMIT 1"
    )


@transaction.atomic
def basket_set_quantity(
    *, sale: Sale, product_id: int, quantity: Decimal, user=None, session_key: str = ""
) -> Basket:
    """Put ``quantity`` of a product in the basket (0 removes it). The product's rules apply
    now; availability is checked again, for real, when the order is placed."""
    if not sale.takes_orders(timezone.now()):
        raise errors.SaleClosed()
    item = (
        SaleItem.objects.filter(sale=sale, product_id=product_id).select_related("product").first()
    )
    if item is None:
        raise errors.ProductNotInSale(field="product")
    basket = basket_for(sale=sale, user=user, session_key=session_key, create=True)
    if quantity == 0:
        BasketLine.objects.filter(basket=basket, sale_item=item).delete()
    else:
        kept = basket.order_id and basket.order.lines.filter(sale_item=item).exists()
        offered = not (item.is_excluded or item.is_unavailable) and item.product.is_active
        if not offered and not kept:
            raise errors.ProductUnavailable(field="product", product=item.product.name)
        quantity_check(item.product, quantity)
        # What the order being changed already holds is its own: only the difference counts.
        already = ZERO
        if basket.order_id:
            already = (
                basket.order.lines.filter(sale_item=item).values_list("quantity", flat=True).first()
                or ZERO
            )
        left = item_remaining(item)
        if left is not None and quantity - already > left:
            raise errors.OutOfStock(
                field="quantity",
                product=item.product.name,
                left=Quantity(max(left, ZERO), product_unit(item.product)),
            )
        # One statement (insert, or the quantity of the line already there), not a savepoint,
        # a read and a write: the line's unique constraint decides.
        BasketLine.objects.bulk_create(
            [BasketLine(basket=basket, sale_item=item, quantity=quantity)],
            update_conflicts=True,
            unique_fields=["basket", "sale_item"],
            update_fields=["quantity", "updated_at"],
        )
    Basket.objects.filter(pk=basket.pk).update(updated_at=timezone.now())
    return basket


@transaction.atomic
def basket_attach(*, session_key: str, user) -> int:
    """At login, the visitor's baskets become the member's: lines are added to a basket the
    member already has for the same sale (the member's quantity wins). Returns how many."""
    attached = 0
    for basket in Basket.objects.filter(user=None, session_key=session_key):
        mine = Basket.objects.filter(sale_id=basket.sale_id, user=user).first()
        if mine is None:
            basket.user, basket.session_key = user, ""
            basket.save(update_fields=["user", "session_key", "updated_at"])
        else:
            have = set(mine.lines.values_list("sale_item_id", flat=True))
            basket.lines.exclude(sale_item_id__in=have).update(basket=mine)
            basket.delete()
        attached += 1
    return attached


@transaction.atomic
def basket_from_order(*, order: Order) -> Basket:
    """Start changing an order: its lines go into the member's basket for the sale."""
    sale = order.sale
    if not sale.takes_orders(timezone.now()):
        raise errors.SaleClosed()
    if not order.is_active:
        raise errors.OrderNotFound()
    basket = basket_for(sale=sale, user=order.user, create=True)
    basket.lines.all().delete()
    BasketLine.objects.bulk_create(
        [
            BasketLine(basket=basket, sale_item_id=line.sale_item_id, quantity=line.quantity)
            for line in order.lines.all()
        ]
    )
    basket.order = order
    basket.save(update_fields=["order", "updated_at"])
    return basket


@dataclass
class ReorderResult:
    basket: Basket
    added: list[str]
    skipped: list[str]


@transaction.atomic
def basket_reorder(*, user, sale: Sale, previous: Order) -> ReorderResult:
    """Fill the basket of ``sale`` with the lines of a previous order, skipping what is not
    offered now or not available in that quantity."""
    if previous.user_id != user.pk or previous.organisation_id != sale.organisation_id:
        raise errors.OrderNotFound()
    items = {
        item.product_id: item
        for item in SaleItem.objects.offered()
        .filter(sale=sale, product_id__in=previous.lines.values("product_id"))
        .select_related("product")
    }
    basket = basket_for(sale=sale, user=user, create=True)
    added, skipped = [], []
    for line in previous.lines.all():
        item = items.get(line.product_id)
        remaining = item_remaining(item) if item else None
        if item is None or (remaining is not None and remaining < line.quantity):
            skipped.append(line.product_name)
            continue
        BasketLine.objects.update_or_create(
            basket=basket, sale_item=item, defaults={"quantity": line.quantity}
        )
        added.append(line.product_name)
    return ReorderResult(basket, added, skipped)
