"""What a unit of shop stock costs the coop: the one rule behind the stock value, the losses
and every report that values stock. The main supplier's purchase price excl. VAT
(``SupplierItem.is_main``) when the product has one, else its selling price excl. VAT
(a product nobody supplies yet); each cost says which (``CostBasis``)."""

from __future__ import annotations

from collections.abc import Iterable

from cabas.catalog.models import Product
from cabas.catalog.stock_reports import CostBasis, UnitCost, selling_price_costs

from .models import SupplierItem


def purchase_costs(products: Iterable[Product]) -> dict[int, UnitCost]:
    """Each product's unit cost by id (one query for all): its main supplier's purchase
    price, or its selling price excl. VAT without a main supplier."""
    products = list(products)
    costs = selling_price_costs(products)
    prices = SupplierItem.objects.filter(
        product__in=[product.pk for product in products], is_main=True
    ).values_list("product_id", "purchase_price")
    for product_id, price in prices:
        costs[product_id] = UnitCost(price, CostBasis.PURCHASE)
    return costs
