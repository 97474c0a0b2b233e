"""The supply team's ordering pages (``supply.views_orders``) in the permission matrix: the
coordinator and the supply team have them."""

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.supply.tests.factories import (
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    ShopProductFactory,
    SupplierFactory,
    SupplierItemFactory,
)

SUPPLY = statuses(LOGIN, 403, 403, 403, 200, 404, supply=200)
SUPPLY_POST = statuses(LOGIN, 403, 403, 403, 302, 404, supply=302)


def _order(world):
    order = PurchaseOrderFactory(supplier=SupplierFactory(organisation=world.org_a))
    PurchaseOrderLineFactory(
        purchase_order=order,
        product=ShopProductFactory(organisation=world.org_a, producer=world.producer),
    )
    return {"slug": world.org_a.slug, "pk": order.pk}


def _supplier(world):
    supplier = SupplierFactory(organisation=world.org_a)
    SupplierItemFactory(
        supplier=supplier,
        product=ShopProductFactory(organisation=world.org_a, producer=world.producer),
    )
    return supplier


ROWS = {
    "supply:suggestions": Row(SUPPLY, kwargs=slug_a),
    "supply:purchase_orders": Row(SUPPLY, kwargs=slug_a),
    "supply:purchase_order": Row(SUPPLY, kwargs=_order),
    "supply:purchase_order_print": Row(SUPPLY, kwargs=_order),
    "supply:purchase_order_file": Row(
        SUPPLY, kwargs=lambda w: {**_order(w), "file_format": "xlsx"}
    ),
}
