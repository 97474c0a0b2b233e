"""The supplier price list pages (``supply.views_imports``) in the permission matrix: the
coordinator and the supply team have them."""

from decimal import Decimal

from cabas.core.tests.matrix import LOGIN, Row, statuses
from cabas.supply.models import SupplierPriceImport
from cabas.supply.tests.factories import SupplierFactory, SupplierItemFactory

SUPPLY = statuses(LOGIN, 403, 403, 403, 200, 404, supply=200)
SUPPLY_POST = statuses(LOGIN, 403, 403, 403, 302, 404, supply=302)


def _supplier(world) -> dict:
    supplier = SupplierFactory(organisation=world.org_a)
    return {"slug": world.org_a.slug, "pk": supplier.pk}


def _checked_import(world) -> dict:
    item = SupplierItemFactory(supplier=SupplierFactory(organisation=world.org_a), reference="A-1")
    checked = SupplierPriceImport.objects.create(
        organisation=world.org_a,
        supplier=item.supplier,
        file_name="tarifs.csv",
        content=b"ref;prix\r\nA-1;2,50\r\n",
        status=SupplierPriceImport.Status.READY,
        to_update=1,
        total_lines=1,
        preview=[{"line": 2, "action": "update", "reference": "A-1", "name": "",
                  "product": item.product.name, "old_price": f"{item.purchase_price}",
                  "new_price": f"{Decimal('2.5000')}", "old_package": "1.000",
                  "new_package": "1.000"}],
    )  # fmt: skip
    return {"slug": world.org_a.slug, "pk": checked.pk}


ROWS = {
    "supply:price_import": Row(SUPPLY, kwargs=_supplier),
    "supply:price_import_template": Row(
        SUPPLY, kwargs=lambda w: {**_supplier(w), "file_format": "csv"}
    ),
    "supply:price_import_detail": Row(SUPPLY, kwargs=_checked_import),
    "supply:price_import_confirm": Row(SUPPLY_POST, kwargs=_checked_import, method="post"),
}
