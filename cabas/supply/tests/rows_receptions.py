"""The reception pages (``supply.views_receptions``) in the permission matrix: the
coordinator and the supply team have them."""

from decimal import Decimal

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.supply.models import Reception, ReceptionLine
from cabas.supply.tests.factories import (
    ShopProductFactory,
    SupplierFactory,
)

SUPPLY = statuses(LOGIN, 403, 403, 403, 200, 404, supply=200)
SUPPLY_POST = statuses(LOGIN, 403, 403, 403, 302, 404, supply=302)


def _reception(world):
    supplier = SupplierFactory(organisation=world.org_a)
    reception = Reception.objects.create(organisation=world.org_a, supplier=supplier)
    product = ShopProductFactory(organisation=world.org_a, producer=world.producer)
    line = ReceptionLine.objects.create(
        organisation=world.org_a, reception=reception, product=product,
        ordered_quantity=Decimal("2"), unit_price=Decimal("1.5"), vat_rate=Decimal("5.5"),
    )  # fmt: skip
    return {"slug": world.org_a.slug, "pk": reception.pk, "line_pk": line.pk}


def _reception_only(world):
    kwargs = _reception(world)
    del kwargs["line_pk"]
    return kwargs


def _line_data(world):
    return {"received_quantity": "2", "damaged_quantity": "0", "unit_price": "", "note": ""}


ROWS = {
    "supply:receptions": Row(SUPPLY, kwargs=slug_a),
    "supply:reception_start": Row(SUPPLY, kwargs=slug_a),
    "supply:reception": Row(SUPPLY, kwargs=_reception_only),
    "supply:reception_line": Row(SUPPLY_POST, kwargs=_reception, method="post", data=_line_data),
    "supply:reception_all_as_ordered": Row(SUPPLY_POST, kwargs=_reception_only, method="post"),
    "supply:reception_line_add": Row(
        statuses(LOGIN, 403, 403, 403, 422, 404, supply=422),
        kwargs=_reception_only,
        method="post",
    ),
    "supply:reception_validate": Row(SUPPLY, kwargs=_reception_only),
    "supply:reception_differences": Row(SUPPLY, kwargs=_reception_only),
    "supply:reception_differences_file": Row(
        SUPPLY, kwargs=lambda w: {**_reception_only(w), "file_format": "csv"}
    ),
}
