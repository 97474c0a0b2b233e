"""Permission rows of a sale's summaries (producers: their own; coordinators: all)."""

from cabas.core.tests.matrix import LOGIN, Row, statuses
from cabas.orders.tests.factories import open_shop

PRODUCER_AREA = statuses(LOGIN, 403, 200, 403, 200, 404)


def _sale(world):
    shop = open_shop(organisation=world.org_a)
    return {"slug": world.org_a.slug, "sale_id": shop.sale.pk}


ROWS = {
    "distribution:sale_summary": Row(PRODUCER_AREA, kwargs=_sale),
    "distribution:sale_summary_export": Row(
        PRODUCER_AREA, kwargs=lambda world: {**_sale(world), "file_format": "csv"}
    ),
}
