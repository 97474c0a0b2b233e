"""The DFC API's URL patterns in the permission matrix: the published catalog is public
(what the organisation's public page shows), so every visitor reads it."""

from cabas.catalog.tests.factories import ProductFactory
from cabas.core.tests.matrix import Row, slug_a, statuses

EVERYONE = statuses(200, 200, 200, 200, 200, 200)
NOT_FOUND = statuses(404, 404, 404, 404, 404, 404)


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
    "dfc:not_found": Row(NOT_FOUND, kwargs=lambda world: {"rest": "nothing/here"}),
}

# Importing a DFC catalog (a page of the producer area: coordinators and producers).
ROWS["dfc:catalog_import"] = Row(statuses(302, 403, 200, 403, 200, 404), kwargs=slug_a)
