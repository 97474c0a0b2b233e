"""The supply team's stock pages (``catalog.views_stock``) in the permission matrix: the
coordinator and the supply team have them."""

from cabas.catalog.tests.factories import ProductFactory
from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses

SUPPLY = statuses(LOGIN, 403, 403, 403, 200, 404, supply=200)
SUPPLY_POST = statuses(LOGIN, 403, 403, 403, 302, 404, supply=302)


def _shop_product(world):
    product = ProductFactory(
        organisation=world.org_a, producer=world.producer, stock_mode="shop", stock_quantity=5
    )
    return {"slug": world.org_a.slug, "pk": product.pk}


ROWS = {
    "catalog:stock_list": Row(SUPPLY, kwargs=slug_a),
    "catalog:stock_product": Row(SUPPLY, kwargs=_shop_product),
    "catalog:stock_minimum": Row(
        SUPPLY_POST, kwargs=_shop_product, method="post", data=lambda w: {"stock_minimum": "2"}
    ),
    "catalog:stock_movements": Row(SUPPLY, kwargs=slug_a),
    "catalog:stock_file": Row(
        SUPPLY, kwargs=lambda w: {**slug_a(w), "report": "movements", "file_format": "xlsx"}
    ),
}
