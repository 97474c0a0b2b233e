"""The reads of checking an order before its transaction (``checks``), in plain SQL: every
order, from the API and the web alike, makes them, and building these joined statements
through the ORM cost more CPU than the database spent answering them (docs/performance.md).
Each statement is written once; its rows become the instances ``select_related`` gave
(``cabas.core.rows``)."""

from __future__ import annotations

from functools import cache

from django.db import connection

from cabas.catalog.models import Product
from cabas.core import rows
from cabas.sales.models import Pickup, PickupPoint, SaleItem, Slot

from .models import Order

_ITEM_MODELS = (SaleItem, Product)
_PLACE_MODELS = (Pickup, PickupPoint, Slot)


def sale_items_of(*, sale_id: int, product_ids) -> dict[int, SaleItem]:
    """The sale's items of these products, each with its product, by product id."""
    product_ids = [pk for pk in product_ids if _is_key(pk)]  # others name no row
    if not product_ids:
        return {}
    marks = ", ".join(["%s"] * len(product_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"{_statements()['items']} AND i.product_id IN ({marks})", [sale_id, *product_ids]
        )
        found = cursor.fetchall()
    items = {}
    for row in found:
        item, product = rows.instances(row, _ITEM_MODELS)
        SaleItem.product.field.set_cached_value(item, product)
        items[item.product_id] = item
    return items


def pickup_and_slot(*, sale_id: int, pickup_id, slot_id):
    """(the sale's pickup ``pickup_id`` with its point, or None; that pickup's slot
    ``slot_id`` with its pickup, or None)."""
    pickup_id, slot_id = _key(pickup_id), _key(slot_id)
    if pickup_id is None:
        return None, None
    with connection.cursor() as cursor:
        cursor.execute(_statements()["place"], [slot_id, pickup_id, sale_id])
        row = cursor.fetchone()
    if row is None:
        return None, None
    pickup, point, slot = rows.instances(row, _PLACE_MODELS)
    Pickup.pickup_point.field.set_cached_value(pickup, point)
    if slot is not None:
        Slot.pickup.field.set_cached_value(slot, pickup)
    return pickup, slot


def order_id_of_key(*, user_id: int, idempotency_key: str) -> int | None:
    """The id of the order the person placed with this key ((user, key) is unique)."""
    with connection.cursor() as cursor:
        cursor.execute(_statements()["key"], [user_id, idempotency_key])
        row = cursor.fetchone()
    return row and row[0]


def _key(value) -> int | None:
    """``value`` as a primary key, or None where it cannot be one (a number the database
    would refuse to compare: SQLite overflows above 64 bits)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if _is_key(number) else None


def _is_key(number: int) -> bool:
    return 0 < number < 2**63


@cache
def _statements() -> dict[str, str]:
    table = {model: connection.ops.quote_name(model._meta.db_table) for model in
             (*_ITEM_MODELS, *_PLACE_MODELS, Order)}  # fmt: skip
    items = f"{rows.columns(SaleItem, 'i')}, {rows.columns(Product, 'p')}"
    place = ", ".join(
        rows.columns(model, alias) for model, alias in zip(_PLACE_MODELS, "pwt", strict=True)
    )
    return {
        "items": (
            f"SELECT {items} FROM {table[SaleItem]} i"  # noqa: S608
            f" JOIN {table[Product]} p ON p.id = i.product_id WHERE i.sale_id = %s"
        ),
        "place": (
            f"SELECT {place} FROM {table[Pickup]} p"  # noqa: S608
            f" JOIN {table[PickupPoint]} w ON w.id = p.pickup_point_id"
            f" LEFT JOIN {table[Slot]} t ON t.id = %s AND t.pickup_id = p.id"
            " WHERE p.id = %s AND p.sale_id = %s"
        ),
        "key": (
            f"SELECT id FROM {table[Order]}"  # noqa: S608
            " WHERE user_id = %s AND idempotency_key = %s"
        ),
    }
