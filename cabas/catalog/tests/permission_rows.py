from pathlib import Path

from cabas.catalog.tests.factories import ProductFactory, ProductImportFactory
from cabas.core.tests.matrix import LOGIN, Row, gather_rows, slug_a, statuses

PRODUCER_AREA = statuses(LOGIN, 403, 200, 403, 200, 404)
PRODUCER_POST = statuses(LOGIN, 403, 302, 403, 302, 404)
COORDINATOR_ONLY = statuses(LOGIN, 403, 403, 403, 200, 404)


def _own_product(world):
    """A product of the producer-role user's own producer."""
    product = ProductFactory(organisation=world.org_a, producer=world.producer)
    return {"slug": world.org_a.slug, "pk": product.pk}


def _own_shop_product(world):
    product = ProductFactory(
        organisation=world.org_a, producer=world.producer, stock_mode="shop", stock_quantity=5
    )
    return {"slug": world.org_a.slug, "pk": product.pk}


def _producer_import(world):
    """A checked file uploaded by the producer-role user."""
    product_import = ProductImportFactory(
        organisation=world.org_a, uploaded_by=world.users["producer"], producer=world.producer
    )
    return {"slug": world.org_a.slug, "pk": product_import.pk}


def _producer(world):
    return {"slug": world.org_a.slug, "pk": world.producer.pk}


def _link(world):
    return {"slug": world.org_a.slug, "pk": world.producer.links.get(organisation=world.org_a).pk}


ROWS = {
    "catalog:products": Row(PRODUCER_AREA, kwargs=slug_a),
    "catalog:product_create": Row(PRODUCER_AREA, kwargs=slug_a),
    "catalog:product_edit": Row(PRODUCER_AREA, kwargs=_own_product),
    "catalog:product_duplicate": Row(PRODUCER_POST, kwargs=_own_product, method="post"),
    "catalog:product_quick": Row(
        PRODUCER_POST, kwargs=_own_product, method="post", data=lambda w: {"price": "3.00"}
    ),
    "catalog:stock_adjust": Row(PRODUCER_AREA, kwargs=_own_shop_product),
    "catalog:import": Row(PRODUCER_AREA, kwargs=slug_a),
    "catalog:import_detail": Row(PRODUCER_AREA, kwargs=_producer_import),
    "catalog:import_confirm": Row(PRODUCER_POST, kwargs=_producer_import, method="post"),
    "catalog:import_template": Row(
        PRODUCER_AREA, kwargs=lambda w: {**slug_a(w), "file_format": "csv"}
    ),
    "catalog:export": Row(PRODUCER_AREA, kwargs=lambda w: {**slug_a(w), "file_format": "xlsx"}),
    "catalog:producers": Row(COORDINATOR_ONLY, kwargs=slug_a),
    "catalog:producer_create": Row(COORDINATOR_ONLY, kwargs=slug_a),
    "catalog:producer_edit": Row(PRODUCER_AREA, kwargs=_producer),
    "catalog:producer_link": Row(
        statuses(LOGIN, 403, 403, 403, 302, 404),
        kwargs=_link,
        method="post",
        data=lambda w: {"status": "active"},
    ),
}

# Each part's own ``rows_*.py`` list, gathered (a name listed twice is an error).
for _name, _row in gather_rows(__package__, Path(__file__).parent).items():
    assert _name not in ROWS, f"listed twice: {_name}"
    ROWS[_name] = _row
