"""The DFC API's URL patterns in the permission matrix: the published catalog, its producers
and the platform WebID are public (what the public pages show), so every visitor reads them."""

from cabas.catalog.tests.factories import ProductFactory
from cabas.core.tests.matrix import Row, slug_a, statuses

EVERYONE = statuses(200, 200, 200, 200, 200, 200)
NOT_FOUND = statuses(404, 404, 404, 404, 404, 404)


def _product(world):
    product = ProductFactory(organisation=world.org_a, producer=world.producer)
    return {**slug_a(world), "pk": product.pk}


def _producer(world):
    return {**slug_a(world), "pk": world.producer.pk}


ROWS = {
    "dfc:enterprise": Row(EVERYONE, kwargs=slug_a),
    "dfc:catalog_items": Row(EVERYONE, kwargs=slug_a),
    "dfc:sale_sessions": Row(EVERYONE, kwargs=slug_a),
    "dfc:supplied_product": Row(EVERYONE, kwargs=_product),
    "dfc:catalog_item": Row(EVERYONE, kwargs=_product),
    "dfc:offer": Row(EVERYONE, kwargs=_product),
    "dfc:producer": Row(EVERYONE, kwargs=_producer),
    "dfc:producer_catalog_items": Row(EVERYONE, kwargs=_producer),
    "dfc:webid": Row(EVERYONE),
    "dfc:not_found": Row(NOT_FOUND, kwargs=lambda world: {"rest": "nothing/here"}),
}
