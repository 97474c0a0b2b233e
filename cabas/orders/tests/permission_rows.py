from decimal import Decimal

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.orders import services
from cabas.orders.tests.factories import open_shop

EVERYONE = statuses(200, 200, 200, 200, 200, 200)
LOGGED_IN = statuses(LOGIN, 200, 200, 200, 200, 200)
LOGGED_IN_POST = statuses(LOGIN, 302, 302, 302, 302, 302)
OWNER_ONLY = statuses(LOGIN, 200, 404, 404, 404, 404)
OWNER_ONLY_POST = statuses(LOGIN, 302, 404, 404, 404, 404)


def _sale(world):
    shop = open_shop(organisation=world.org_a)
    return {"slug": world.org_a.slug, "sale_id": shop.sale.pk}


def _product(world):
    shop = open_shop(organisation=world.org_a)
    return {"slug": world.org_a.slug, "sale_id": shop.sale.pk,
            "product_id": shop.products["bread"].pk}  # fmt: skip


def _members_order(world):
    """An order of the member persona (nobody else may see it)."""
    shop = open_shop(organisation=world.org_a)
    order = services.order_place(
        user=world.users["member"], sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
        lines=[(shop.products["bread"].pk, Decimal(1))],
    )  # fmt: skip
    return {"slug": world.org_a.slug, "code": order.code}


ROWS = {
    "orders:shop": Row(EVERYONE, kwargs=slug_a),
    "orders:sale_shop": Row(EVERYONE, kwargs=_sale),
    "orders:product": Row(EVERYONE, kwargs=_product),
    "orders:basket": Row(EVERYONE, kwargs=_sale),
    "orders:basket_set": Row(
        statuses(302, 302, 302, 302, 302, 302),
        kwargs=_sale,
        method="post",
        data=lambda w: {"product": "1", "quantity": "1"},
    ),
    "orders:checkout": Row(LOGGED_IN_POST, kwargs=_sale),  # empty basket: back to the shop
    "orders:reorder": Row(LOGGED_IN_POST, kwargs=_sale, method="post"),
    "orders:my_orders": Row(LOGGED_IN, kwargs=slug_a),
    "orders:order": Row(OWNER_ONLY, kwargs=_members_order),
    "orders:order_edit": Row(OWNER_ONLY_POST, kwargs=_members_order, method="post"),
    "orders:order_cancel": Row(OWNER_ONLY_POST, kwargs=_members_order, method="post"),
}


def _pickup(world):
    shop = open_shop(organisation=world.org_a)
    return {"slug": world.org_a.slug, "pickup_id": shop.pickup.pk}


ROWS["orders:pickup_orders"] = Row(statuses(LOGIN, 403, 403, 403, 200, 404), kwargs=_pickup)


ROWS["orders:order_arrived"] = Row(
    statuses(200, 200, 200, 200, 200, 200), kwargs=_members_order
)  # the order's code is the key: the e-mail's link works without logging in
