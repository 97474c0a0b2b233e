"""The DFC API's URL patterns in the permission matrix: the published catalog is public
(what the organisation's public page shows), so every visitor reads it; the orders need a
bearer token (a session cookie is nobody there: 401 for every persona)."""

from cabas.catalog.tests.factories import ProductFactory
from cabas.core.tests.matrix import Row, slug_a, statuses
from cabas.orders.tests.factories import members_order_kwargs

EVERYONE = statuses(200, 200, 200, 200, 200, 200)
NOT_FOUND = statuses(404, 404, 404, 404, 404, 404)
BEARER_ONLY = statuses(401, 401, 401, 401, 401, 401)


def _product(world):
    product = ProductFactory(organisation=world.org_a, producer=world.producer)
    return {**slug_a(world), "pk": product.pk}


ROWS = {
    "dfc:enterprise": Row(EVERYONE, kwargs=slug_a),
    "dfc:catalog_items": Row(EVERYONE, kwargs=slug_a),
    "dfc:sale_sessions": Row(EVERYONE, kwargs=slug_a),
    "dfc:supplied_product": Row(EVERYONE, kwargs=_product),
    "dfc:catalog_item": Row(EVERYONE, kwargs=_product),
    "dfc:offer": Row(EVERYONE, kwargs=_product),
    "dfc:orders": Row(BEARER_ONLY, kwargs=slug_a),
    "dfc:order": Row(BEARER_ONLY, kwargs=members_order_kwargs),
    "dfc:not_found": Row(NOT_FOUND, kwargs=lambda world: {"rest": "nothing/here"}),
}
