from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.orders.tests.factories import members_order_kwargs

MEMBERS = statuses(LOGIN, 200, 200, 200, 200, 404)
COORDINATORS = statuses(LOGIN, 403, 403, 403, 200, 404)


def _member(world):
    return {"slug": world.org_a.slug, "user_id": world.users["member"].pk}


ROWS = {
    "money:my_account": Row(MEMBERS, kwargs=slug_a),
    "money:member_account": Row(COORDINATORS, kwargs=_member),
    "money:settings": Row(COORDINATORS, kwargs=slug_a),
    "money:share_register": Row(COORDINATORS, kwargs=slug_a),
    "money:order_payment": Row(
        statuses(LOGIN, 403, 403, 302, 302, 404),
        kwargs=members_order_kwargs,
        method="post",
        data=lambda w: {"method": "cash", "amount": "1.00"},
    ),
}
