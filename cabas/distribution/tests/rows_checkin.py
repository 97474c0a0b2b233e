from decimal import Decimal

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.orders import services
from cabas.orders.tests.factories import open_shop

VOLUNTEERS = statuses(LOGIN, 403, 403, 200, 200, 404)
VOLUNTEERS_POST = statuses(LOGIN, 403, 403, 302, 302, 404)


def _pickup(world):
    shop = open_shop(organisation=world.org_a)
    return {"slug": world.org_a.slug, "pickup_id": shop.pickup.pk}


def _sale(world):
    shop = open_shop(organisation=world.org_a)
    return {"slug": world.org_a.slug, "sale_id": shop.sale.pk}


def _order(world):
    shop = open_shop(organisation=world.org_a)
    order = services.order_place(
        user=world.users["member"], sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
        lines=[(shop.products["bread"].pk, Decimal(1))],
    )  # fmt: skip
    return {"slug": world.org_a.slug, "code": order.code}


ROWS = {
    "distribution:checkin_home": Row(VOLUNTEERS, kwargs=slug_a),
    "distribution:checkin_pickup": Row(VOLUNTEERS, kwargs=_pickup),
    "distribution:pickup_no_shows": Row(VOLUNTEERS_POST, kwargs=_pickup, method="post"),
    "distribution:pickup_close": Row(VOLUNTEERS_POST, kwargs=_pickup, method="post"),
    "distribution:picking": Row(VOLUNTEERS, kwargs=_pickup),
    "distribution:checkin_order": Row(VOLUNTEERS, kwargs=_order),
    "distribution:sale_missing": Row(VOLUNTEERS, kwargs=_sale),
    "distribution:sale_prices": Row(statuses(LOGIN, 403, 403, 403, 200, 404), kwargs=_sale),
}
