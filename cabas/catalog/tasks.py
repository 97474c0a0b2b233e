"""Work the catalog hands to the background worker: checking and applying product files."""

from django_tasks import task

from . import imports
from .models import ProductImport


def _run(import_id: int, expected: str, step) -> str:
    product_import = ProductImport.objects.select_related("organisation", "producer").get(
        pk=import_id
    )
    if product_import.status != expected:
        return product_import.status  # already done (a retried task does nothing twice)
    return step(product_import=product_import).status


@task()
def product_import_check(*, import_id: int) -> str:
    return _run(import_id, ProductImport.Status.CHECKING, imports.product_import_check)


@task()
def product_import_apply(*, import_id: int) -> str:
    return _run(import_id, ProductImport.Status.IMPORTING, imports.product_import_apply)
