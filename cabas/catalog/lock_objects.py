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
