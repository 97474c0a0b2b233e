"""Permission rows of the printable sheets (volunteers and coordinators only)."""

from cabas.core.tests.matrix import LOGIN, Row, statuses
from cabas.orders.tests.factories import open_shop

RUN_DISTRIBUTION = statuses(LOGIN, 403, 403, 200, 200, 404)


def _pickup(world):
    shop = open_shop(organisation=world.org_a)
    return {"slug": world.org_a.slug, "pickup_id": shop.pickup.pk}


ROWS = {
    f"distribution:{name}": Row(RUN_DISTRIBUTION, kwargs=_pickup)
    for name in ("preparation", "preparation_xlsx", "labels", "attendance", "attendance_xlsx")
}
