"""Supplier price lists: upload, check every line on the worker into a preview, then apply
all or nothing.

A line is matched to what the supplier sells (``SupplierItem``) by the supplier's reference
(spaces and case aside). A reference the supplier's items do not have is listed as "not in
your catalogue", not refused: wholesalers send their whole list. The check writes nothing
but the import; applying plans again from the file (the items may have changed since the
preview) and saves every changed item through ``supplier_item_save`` in one transaction,
so a new purchase price of a main supplier proposes a selling price, as on the supplier's
page. The conditional UPDATE of the import's status claims the apply: applied twice, the
second does nothing.

A worker killed during the check leaves the import "being checked", and the task taken again
after its lease checks from the start (the check is repeatable); a request broken during the
apply rolls back and leaves the import ready, to apply again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.catalog import errors as catalog_errors
from cabas.catalog import imports as catalog_imports
from cabas.catalog.models import Product
from cabas.core import tables
from cabas.core.errors import DomainError
from cabas.core.tasks import enqueue_on_commit

from .. import errors, tasks
from ..models import Supplier, SupplierItem, SupplierPriceImport
from ..price_lists import PriceLine, PriceListUnreadable, read_price_list
from .suppliers import supplier_item_save

Status = SupplierPriceImport.Status
# The first errors kept to be shown, as the product import; their count is kept apart.
LINES_KEPT = catalog_imports.LINES_KEPT
# The changed and unknown lines kept for the preview (changes first).
PREVIEW_KEPT = 2000
RECORDED_FIELDS = [
    "total_lines", "to_update", "unchanged", "unknown", "errors", "error_count", "preview",
    "status", "finished_at", "updated_at",
]  # fmt: skip


def max_upload_bytes() -> int:
    """The product import's limit (``CATALOG_IMPORT_MAX_BYTES``)."""
    return catalog_imports.max_upload_bytes()


@dataclass
class _Change:
    item: SupplierItem
    line: PriceLine
    package_size: Decimal


@dataclass
class _Plan:
    total_lines: int = 0
    changes: list[_Change] = field(default_factory=list)
    unchanged: int = 0
    unknown: list[PriceLine] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def refuse(self, line: int, column: str, reason) -> None:
        self.errors.append({"line": line, "column": column, "reason": str(reason)})

    def preview(self) -> list[dict]:
        rows = [_change_row(change) for change in self.changes]
        rows += [_unknown_row(line) for line in self.unknown]
        return rows[:PREVIEW_KEPT]

    def record(self, price_import: SupplierPriceImport) -> None:
        """The plan's counts, first errors and preview on the import (saved by the caller)."""
        self.errors.sort(key=lambda error: error["line"])
        price_import.total_lines = self.total_lines
        price_import.to_update = len(self.changes)
        price_import.unchanged = self.unchanged
        price_import.unknown = len(self.unknown)
        price_import.errors = self.errors[:LINES_KEPT]
        price_import.error_count = len(self.errors)
        price_import.preview = [] if self.errors else self.preview()


def _change_row(change: _Change) -> dict:
    item, line = change.item, change.line
    return {
        "line": line.line,
        "action": "update",
        "reference": line.reference,
        "name": line.name,
        "product": item.product.name,
        "old_price": f"{item.purchase_price}",
        "new_price": f"{line.price}",
        "old_package": f"{item.package_size}",
        "new_package": f"{change.package_size}",
    }


def _unknown_row(line: PriceLine) -> dict:
    return {
        "line": line.line,
        "action": "unknown",
        "reference": line.reference,
        "name": line.name,
        "new_price": f"{line.price}",
        "new_package": "" if line.package_size is None else f"{line.package_size}",
    }


def _reference_key(reference: str) -> str:
    return reference.strip().casefold()


@transaction.atomic
def supplier_price_import_create(
    *, supplier: Supplier, uploaded_by, file_name: str, content: bytes
) -> SupplierPriceImport:
    """Keep the uploaded price list and have the worker check it. A file too big, or not a
    table (``tables.check_table``, which reads no cell), is refused at once and nothing is
    kept; its columns and lines come back from the worker."""
    if len(content) > max_upload_bytes():
        raise catalog_errors.ImportFileTooBig(max_mb=max_upload_bytes() // (1024 * 1024))
    try:
        tables.check_table(file_name, content, tables.TableLimits.from_settings())
    except tables.FileUnreadable as exc:
        raise catalog_errors.ImportFileUnreadable(str(exc)) from exc
    is_xlsx = file_name.lower().endswith(".xlsx") or content[:2] == b"PK"
    price_import = SupplierPriceImport.objects.create(
        organisation_id=supplier.organisation_id,
        supplier=supplier,
        uploaded_by=uploaded_by,
        file_name=file_name[:255],
        content=content,
        file_format="xlsx" if is_xlsx else "csv",
    )
    enqueue_on_commit(tasks.supplier_price_import_check, import_id=price_import.pk)
    return price_import


def supplier_price_import_check(*, price_import: SupplierPriceImport) -> SupplierPriceImport:
    """Check every line: the import becomes ready (with its preview) or has errors."""
    plan = _plan(price_import)
    plan.record(price_import)
    price_import.status = Status.INVALID if plan.errors else Status.READY
    price_import.finished_at = timezone.now() if plan.errors else None
    price_import.save(update_fields=RECORDED_FIELDS)
    return price_import


class _Refused(Exception):
    def __init__(self, plan: _Plan):
        self.plan = plan


def supplier_price_import_apply(
    *, price_import: SupplierPriceImport, made_by=None
) -> SupplierPriceImport:
    """Update every item the file changes, in one transaction, or none if one line is now
    wrong (the import then shows why). An import already applied is left as it is; one
    being checked or with errors is refused (``ImportNotReady``); a write that collides
    with another change of the items rolls back and leaves it ready (``PriceListConflict``)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            claimed = SupplierPriceImport.objects.filter(
                pk=price_import.pk, status=Status.READY
            ).update(status=Status.DONE, finished_at=now)
            if not claimed:
                price_import.refresh_from_db(fields=["status", "finished_at"])
                if price_import.status == Status.DONE:
                    return price_import  # a second tap, or two people at once: done once
                raise catalog_errors.ImportNotReady()
            plan = _plan(price_import)
            if not plan.errors:
                _write(plan, made_by=made_by)
            if plan.errors:
                raise _Refused(plan)
            plan.record(price_import)
            price_import.status, price_import.finished_at = Status.DONE, now
            price_import.save(update_fields=RECORDED_FIELDS)
    except IntegrityError as exc:
        # The items changed under us (a constraint caught it): all rolled back, still ready.
        raise errors.PriceListConflict() from exc
    except _Refused as refused:
        plan = refused.plan
    else:
        return price_import
    # Nothing was written: the import says why, and can be sent again once corrected.
    plan.record(price_import)
    price_import.status, price_import.finished_at = Status.INVALID, now
    price_import.save(update_fields=RECORDED_FIELDS)
    return price_import


def _write(plan: _Plan, *, made_by) -> None:
    """Each change through the supplier item's own service (in its savepoint); a rule it
    refuses is an error of the line, and the caller rolls everything back."""
    for change in plan.changes:
        item = change.item
        try:
            supplier_item_save(
                supplier=item.supplier,
                product=item.product,
                purchase_price=change.line.price,
                reference=item.reference,
                package_size=change.package_size,
                minimum_quantity=item.minimum_quantity,
                made_by=made_by,
            )
        except DomainError as error:
            plan.refuse(change.line.line, "", str(error))


def _plan(price_import: SupplierPriceImport) -> _Plan:
    """What applying the file would do, line by line, without writing an item (a constant
    number of queries, whatever the number of lines)."""
    plan = _Plan()
    try:
        parsed = read_price_list(price_import.file_name, bytes(price_import.content))
    except PriceListUnreadable as exc:
        plan.refuse(0, "", str(exc))
        return plan
    plan.total_lines = parsed.total_lines
    plan.errors.extend(parsed.errors)
    items = SupplierItem.objects.filter(
        organisation_id=price_import.organisation_id, supplier_id=price_import.supplier_id
    ).select_related("product", "supplier")
    by_reference: dict[str, list[SupplierItem]] = {}
    for item in items:
        if item.reference.strip():
            by_reference.setdefault(_reference_key(item.reference), []).append(item)
    reference_column = parsed.columns.get("reference", "")
    seen: dict[str, int] = {}
    for line in parsed.lines:
        key = _reference_key(line.reference)
        if key in seen:
            reason = _("The same reference is already on line %(line)s.") % {"line": seen[key]}
            plan.refuse(line.line, reference_column, reason)
            continue
        seen[key] = line.line
        _plan_line(plan, line, by_reference.get(key, []), reference_column)
    return plan


def _plan_line(plan: _Plan, line: PriceLine, matches: list[SupplierItem], column: str) -> None:
    if not matches:
        plan.unknown.append(line)
        return
    if len(matches) > 1:
        names = ", ".join(sorted(item.product.name for item in matches))
        reason = _(
            "Several products of this supplier have this reference (%(products)s): give each "
            "its own reference on the supplier's page."
        ) % {"products": names}
        plan.refuse(line.line, column, reason)
        return
    item = matches[0]
    if item.product.stock_mode != Product.StockMode.SHOP:
        plan.refuse(line.line, column, errors.NotShopProduct.default_message)
        return
    package_size = item.package_size if line.package_size is None else line.package_size
    if line.price == item.purchase_price and package_size == item.package_size:
        plan.unchanged += 1
    else:
        plan.changes.append(_Change(item=item, line=line, package_size=package_size))
