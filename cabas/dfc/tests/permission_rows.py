"""The DFC API's URL patterns in the permission matrix: the published catalog, its producers
and the platform WebID are public (what the public pages show), so every visitor reads them;
the DFC connections page is for the organisation's members; the orders need a bearer token (a
session cookie is nobody there: 401 for every persona)."""

from cabas.catalog.tests.factories import ProductFactory
from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.orders.tests.factories import members_order_kwargs

EVERYONE = statuses(200, 200, 200, 200, 200, 200)
NOT_FOUND = statuses(404, 404, 404, 404, 404, 404)
BEARER_ONLY = statuses(401, 401, 401, 401, 401, 401)
# The DFC connections page: every member of A (their own tokens), not B's coordinator.
MEMBERS = statuses(LOGIN, 200, 200, 200, 200, 404)
# Revoking the member's token: the member and the coordinators (any token); the others do not
# find it.
REVOKE_MEMBERS_TOKEN = statuses(LOGIN, 302, 404, 404, 302, 404, supply=404)


def _product(world):
    product = ProductFactory(organisation=world.org_a, producer=world.producer)
    return {**slug_a(world), "pk": product.pk}


def _producer(world):
    return {**slug_a(world), "pk": world.producer.pk}


def _members_token(world):
    from cabas.dfc.services import dfc_token_create

    new = dfc_token_create(
        organisation=world.org_a,
        user=world.users["member"],
        name="Open Food Network",
        scopes=["products:read"],
    )
    return {**slug_a(world), "pk": new.token.pk}


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
    "dfc:tokens": Row(MEMBERS, kwargs=slug_a),
    "dfc:token_revoke": Row(REVOKE_MEMBERS_TOKEN, kwargs=_members_token, method="post"),
    "dfc:orders": Row(BEARER_ONLY, kwargs=slug_a),
    "dfc:order": Row(BEARER_ONLY, kwargs=members_order_kwargs),
    "dfc:not_found": Row(NOT_FOUND, kwargs=lambda world: {"rest": "nothing/here"}),
}

# Importing a DFC catalog (a page of the producer area: coordinators and producers).
ROWS["dfc:catalog_import"] = Row(statuses(302, 403, 200, 403, 200, 404), kwargs=slug_a)
