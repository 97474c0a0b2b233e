"""Work the supply side hands to the background worker: checking supplier price lists."""

from django_tasks import task

from .models import SupplierPriceImport


@task()
def supplier_price_import_check(*, import_id: int) -> str:
    """Check the price list once: a task taken again after the import was checked does
    nothing (a worker killed mid-check left it "being checked": it is checked again)."""
    from .services import price_lists  # the services enqueue this task

    price_import = SupplierPriceImport.objects.select_related("supplier").get(pk=import_id)
    if price_import.status != SupplierPriceImport.Status.CHECKING:
        return price_import.status
    return price_lists.supplier_price_import_check(price_import=price_import).status
