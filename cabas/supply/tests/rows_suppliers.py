"""The supplier pages (``supply.views_suppliers``) in the permission matrix: the coordinator
and the supply team have them (purchase prices and margins: never a member)."""

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.supply.tests.factories import SupplierFactory, SupplierItemFactory

SUPPLY = statuses(LOGIN, 403, 403, 403, 200, 404, supply=200)
SUPPLY_POST = statuses(LOGIN, 403, 403, 403, 302, 404, supply=302)


def _supplier(world):
    supplier = SupplierFactory(organisation=world.org_a)
    return {"slug": world.org_a.slug, "pk": supplier.pk}


def _item(world):
    item = SupplierItemFactory(supplier__organisation=world.org_a)
    return {"slug": world.org_a.slug, "pk": item.pk}


ROWS = {
    "supply:suppliers": Row(SUPPLY, kwargs=slug_a),
    "supply:supplier_new": Row(SUPPLY, kwargs=slug_a),
    "supply:supplier": Row(SUPPLY, kwargs=_supplier),
    "supply:supplier_edit": Row(SUPPLY, kwargs=_supplier),
    "supply:supplier_item_edit": Row(SUPPLY, kwargs=_item),
    "supply:supplier_item_delete": Row(SUPPLY_POST, kwargs=_item, method="post"),
}
