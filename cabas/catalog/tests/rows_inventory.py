"""Inventory pages: volunteers count, coordinators start, validate and read the report
(MANAGE_SUPPLY: the coordinators and the supply team)."""

from decimal import Decimal

from cabas.catalog.models import InventorySession
from cabas.catalog.tests.factories import ProductFactory
from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses

COUNTERS = statuses(LOGIN, 403, 403, 200, 200, 404, supply=200)
COUNTERS_POST = statuses(LOGIN, 403, 403, 302, 302, 404, supply=302)
COORDINATORS = statuses(LOGIN, 403, 403, 403, 200, 404, supply=200)
COORDINATORS_POST = statuses(LOGIN, 403, 403, 403, 302, 404, supply=302)


def _session(world):
    session = InventorySession.objects.create(organisation=world.org_a, name="Rayon vrac")
    return {"slug": world.org_a.slug, "pk": session.pk}


def _session_and_product(world):
    product = ProductFactory(
        organisation=world.org_a, producer=world.producer, stock_mode="shop",
        stock_quantity=Decimal("5"),
    )  # fmt: skip
    return {**_session(world), "product_pk": product.pk}


ROWS = {
    "catalog:inventories": Row(COUNTERS, kwargs=slug_a),
    "catalog:inventory_start": Row(COORDINATORS, kwargs=slug_a),
    "catalog:inventory_count": Row(COUNTERS, kwargs=_session),
    "catalog:inventory_count_save": Row(
        COUNTERS_POST, kwargs=_session_and_product, method="post", data=lambda w: {"quantity": "4"}
    ),
    "catalog:inventory_review": Row(COORDINATORS, kwargs=_session),
    "catalog:inventory_validate": Row(COORDINATORS_POST, kwargs=_session, method="post"),
    "catalog:inventory_cancel": Row(COORDINATORS_POST, kwargs=_session, method="post"),
    "catalog:inventory_export": Row(
        COORDINATORS, kwargs=lambda w: {**_session(w), "file_format": "csv"}
    ),
}
