from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.orders.tests.factories import members_order_kwargs, open_shop, pickup_kwargs, sale_kwargs

EVERYONE = statuses(200, 200, 200, 200, 200, 200)
LOGGED_IN = statuses(LOGIN, 200, 200, 200, 200, 200)
LOGGED_IN_POST = statuses(LOGIN, 302, 302, 302, 302, 302)
OWNER_ONLY = statuses(LOGIN, 200, 404, 404, 404, 404, supply=404)
OWNER_ONLY_POST = statuses(LOGIN, 302, 404, 404, 404, 404, supply=404)


def _product(world):
    shop = open_shop(organisation=world.org_a)
    return {"slug": world.org_a.slug, "sale_id": shop.sale.pk,
            "product_id": shop.products["bread"].pk}  # fmt: skip


ROWS = {
    "orders:shop": Row(EVERYONE, kwargs=slug_a),
    "orders:sale_shop": Row(EVERYONE, kwargs=sale_kwargs),
    "orders:product": Row(EVERYONE, kwargs=_product),
    "orders:basket": Row(EVERYONE, kwargs=sale_kwargs),
    "orders:basket_set": Row(
        statuses(302, 302, 302, 302, 302, 302),
        kwargs=sale_kwargs,
        method="post",
        data=lambda w: {"product": "1", "quantity": "1"},
    ),
    "orders:checkout": Row(LOGGED_IN_POST, kwargs=sale_kwargs),  # empty basket: back to the shop
    "orders:reorder": Row(LOGGED_IN_POST, kwargs=sale_kwargs, method="post"),
    "orders:my_orders": Row(LOGGED_IN, kwargs=slug_a),
    "orders:order": Row(OWNER_ONLY, kwargs=members_order_kwargs),
    "orders:order_edit": Row(OWNER_ONLY_POST, kwargs=members_order_kwargs, method="post"),
    "orders:order_cancel": Row(OWNER_ONLY_POST, kwargs=members_order_kwargs, method="post"),
}


ROWS["orders:pickup_orders"] = Row(statuses(LOGIN, 403, 403, 403, 200, 404), kwargs=pickup_kwargs)


ROWS["orders:order_arrived"] = Row(
    statuses(200, 200, 200, 200, 200, 200), kwargs=members_order_kwargs
)  # the order's code is the key: the e-mail's link works without logging in
