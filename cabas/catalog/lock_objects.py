"""Row locks of the catalog (global order: ``cabas.core.lock_order``).

A product's shop stock comes after the sale items: orders count the sale's quantities, then
the shop stock, by product primary key (``services.shop_stock_take``, conditional UPDATEs).
An inventory locks the product row the same way. Each helper evaluates its query at once.
"""

from __future__ import annotations

from .models import Product


def product_stock_lock(*, product_id: int) -> Product:
    """One product's row, for setting its shop stock to a counted quantity."""
    return Product.objects.select_for_update().get(pk=product_id)


def inventory_session_lock(*, session_id: int, organisation_id: int):
    """An inventory session's row (rank "inventory sessions", before the products): a count
    and the validation take it in turn, so no count lands in a validated session."""
    from .models import InventorySession

    return InventorySession.objects.select_for_update().get(
        pk=session_id, organisation_id=organisation_id
    )


def products_stock_lock(*, product_ids) -> dict[int, Product]:
    """Products' rows in primary-key order, for setting their shop stock at once (an
    inventory's validation)."""
    rows = Product.objects.filter(pk__in=list(product_ids)).order_by("pk").select_for_update()
    return {product.pk: product for product in rows}
