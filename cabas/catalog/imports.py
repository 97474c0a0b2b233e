"""Product imports: upload, read and check every line (in the worker), then apply all or nothing.

``product_import_start`` stores the file and asks the worker to check it; the check and the
apply share ``_plan``, which turns each parsed line into a product to create or update with
the same rules as the product form (``services.product_rules_check``) and a constant number
of queries, whatever the number of lines. Progress is saved every ``PROGRESS_EVERY`` lines so
the page can show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.core import tables
from cabas.core.errors import DomainError
from cabas.core.tasks import enqueue_on_commit

from . import errors, importers, selectors, services, tasks
from .models import Producer, Product, ProductImport, StockAdjustment

PROGRESS_EVERY = 500
PREVIEW_LINES = 20
ERRORS_KEPT = 500
BATCH_SIZE = 500

# The columns a file may change on an existing product (the image and the organisation stay).
IMPORTED_FIELDS = [
    name for name in services.PRODUCT_FIELDS if name not in ("image", "reference")
] + ["producer"]


def max_upload_bytes() -> int:
    return getattr(settings, "CATALOG_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


@dataclass
class _Plan:
    file_format: str = ""
    creates: list[Product] = field(default_factory=list)
    updates: list[Product] = field(default_factory=list)
    stock_changes: list[tuple[Product, Decimal]] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)


def _error(line: int, column: str, reason: str) -> dict:
    return {"line": line, "column": column, "reason": str(reason)}


@transaction.atomic
def product_import_start(
    *, organisation, uploaded_by, file_name: str, content: bytes, producer: Producer | None,
    only_own_producer: bool,
) -> ProductImport:  # fmt: skip
    """Keep the uploaded file and have the worker read and check it. Only what costs
    nothing to see is refused here, and then nothing is kept: a file too big, not a table,
    or over the limits once unpacked (``tables.check_table`` reads no cell). Unknown
    columns or a missing producer come back from the worker as the import's errors."""
    if len(content) > max_upload_bytes():
        raise errors.ImportFileTooBig(max_mb=max_upload_bytes() // (1024 * 1024))
    try:
        tables.check_table(file_name, content, tables.TableLimits.from_settings())
    except tables.FileUnreadable as exc:
        raise errors.ImportFileUnreadable(str(exc)) from exc
    if producer is None and only_own_producer:
        raise errors.ImportProducerMissing(field="producer")
    product_import = ProductImport.objects.create(
        organisation=organisation,
        uploaded_by=uploaded_by,
        producer=producer,
        only_own_producer=only_own_producer,
        file_name=file_name[:255],
        content=content,
    )
    enqueue_on_commit(tasks.product_import_check, import_id=product_import.pk)
    return product_import


def product_import_check(*, product_import: ProductImport) -> ProductImport:
    """Check every line; the import becomes ready (with a preview) or invalid (with errors)."""
    plan = _plan(product_import)
    product_import.errors = plan.errors[:ERRORS_KEPT]
    product_import.preview = plan.preview
    product_import.to_create = len(plan.creates)
    product_import.to_update = len(plan.updates)
    product_import.status = (
        ProductImport.Status.INVALID if plan.errors else ProductImport.Status.READY
    )
    product_import.processed_lines = product_import.total_lines
    product_import.finished_at = timezone.now() if plan.errors else None
    product_import.save()
    return product_import


def product_import_confirm(*, product_import: ProductImport) -> ProductImport:
    """The person confirms a checked file: the worker applies it."""
    updated = ProductImport.objects.filter(
        pk=product_import.pk, status=ProductImport.Status.READY
    ).update(status=ProductImport.Status.IMPORTING, processed_lines=0)
    if not updated:
        raise errors.ImportNotReady()
    enqueue_on_commit(tasks.product_import_apply, import_id=product_import.pk)
    product_import.refresh_from_db()
    return product_import


def product_import_apply(*, product_import: ProductImport) -> ProductImport:
    """Check again (the catalog may have changed since the preview), then write every line
    in one transaction — or none, if a single line is now wrong."""
    plan = _plan(product_import)
    if not plan.errors:
        try:
            with transaction.atomic():
                _write(product_import, plan)
        except IntegrityError:
            plan.errors.append(
                _error(0, "", _("Another change of the catalog happened meanwhile; try again."))
            )
    product_import.errors = plan.errors[:ERRORS_KEPT]
    product_import.to_create = len(plan.creates)
    product_import.to_update = len(plan.updates)
    product_import.status = (
        ProductImport.Status.INVALID if plan.errors else ProductImport.Status.DONE
    )
    product_import.processed_lines = product_import.total_lines
    product_import.finished_at = timezone.now()
    product_import.save()
    return product_import


def _write(product_import: ProductImport, plan: _Plan) -> None:
    now = timezone.now()
    for product in plan.creates + plan.updates:
        product.updated_at = now
        product.search_text = services.product_search_text(product)
    Product.objects.bulk_create(plan.creates, batch_size=BATCH_SIZE)
    Product.objects.bulk_update(
        plan.updates, [*IMPORTED_FIELDS, "search_text", "updated_at"], batch_size=BATCH_SIZE
    )
    StockAdjustment.objects.bulk_create(
        [
            StockAdjustment(
                organisation_id=product_import.organisation_id,
                product=product,
                delta=delta,
                quantity_after=product.stock_quantity,
                reason=_("Import of %(file)s") % {"file": product_import.file_name},
                made_by_id=product_import.uploaded_by_id,
            )
            for product, delta in plan.stock_changes
        ],
        batch_size=BATCH_SIZE,
    )


def _progress(product_import: ProductImport, processed: int) -> None:
    ProductImport.objects.filter(pk=product_import.pk).update(processed_lines=processed)


def _read(product_import: ProductImport, plan: _Plan):
    """The file's parsed lines, or None with the reason in ``plan.errors``; records the line
    count and the format on the import."""
    try:
        header, rows = importers.read_table(
            product_import.file_name,
            bytes(product_import.content),
            tables.TableLimits.from_settings(),
        )
        parsed = importers.parse_rows(header, rows)
    except importers.FileUnreadable as exc:
        plan.errors.append(_error(0, "", str(exc)))
        return None
    plan.file_format = parsed.format
    if product_import.total_lines != len(rows) or product_import.file_format != parsed.format:
        product_import.total_lines, product_import.file_format = len(rows), parsed.format
        ProductImport.objects.filter(pk=product_import.pk).update(
            total_lines=len(rows), file_format=parsed.format
        )
    if product_import.producer is None and parsed.format == "cagette":
        plan.errors.append(_error(0, "", errors.ImportProducerMissing.default_message))
        return None
    return parsed


@dataclass
class _Known:
    """What the organisation already has, for matching the file's lines."""

    vat_rates: object
    producers: dict
    by_reference: dict = field(default_factory=dict)
    # Matched by producer and name; a name used twice is not matched at all (None).
    unreferenced: dict = field(default_factory=dict)

    @classmethod
    def of(cls, organisation) -> _Known:
        known = cls(
            vat_rates=selectors.vat_rates(organisation=organisation),
            producers={
                producer.name.strip().lower(): producer
                for producer in selectors.producers_of(organisation=organisation)
            },
        )
        for product in Product.objects.filter(organisation=organisation):
            if product.reference:
                known.by_reference[product.reference] = product
            else:
                key = (product.producer_id, product.name.strip().lower())
                known.unreferenced[key] = None if key in known.unreferenced else product
        return known

    def match(self, line, producer: Producer) -> Product | None:
        if line.reference:
            return self.by_reference.get(line.reference)
        key = (producer.pk, line.fields.get("name", "").strip().lower())
        return self.unreferenced.pop(key, None)


def _plan(product_import: ProductImport) -> _Plan:
    """What applying the file would do, line by line, without writing a product."""
    plan = _Plan()
    parsed = _read(product_import, plan)
    if parsed is None:
        return plan
    plan.errors = [_error(e.line, e.column, e.reason) for e in parsed.errors]
    known = _Known.of(product_import.organisation)
    for count, line in enumerate(parsed.lines, start=1):
        if count % PROGRESS_EVERY == 0:
            _progress(product_import, count)
        _plan_line(product_import, parsed.format, line, known, plan)
    plan.errors.sort(key=lambda error: error["line"])
    return plan


def _plan_line(product_import: ProductImport, file_format: str, line, known: _Known, plan):
    producer_column = "ref" if file_format == "cagette" else "producer"
    producer = _line_producer(product_import, line, known.producers, plan, producer_column)
    if producer is None:
        return
    product = known.match(line, producer)
    if product is not None and product_import.only_own_producer:
        if product.producer_id != product_import.producer_id:
            reason = _("This reference belongs to another producer's product.")
            plan.errors.append(_error(line.line, _column(file_format, "reference"), reason))
            return
    is_new = product is None
    if is_new:
        product = Product(organisation=product_import.organisation)
    shop_stock_before = (
        product.stock_quantity
        if not is_new and product.stock_mode == Product.StockMode.SHOP
        else None
    )
    product.producer = producer
    for name, value in line.fields.items():
        setattr(product, name, value)
    try:
        services.product_rules_check(product, vat_rates=known.vat_rates)
    except DomainError as exc:
        plan.errors.append(_error(line.line, _column(file_format, exc.field), str(exc)))
        return
    (plan.creates if is_new else plan.updates).append(product)
    if product.stock_mode == Product.StockMode.SHOP:
        delta = product.stock_quantity - (shop_stock_before or Decimal("0"))
        if delta:
            plan.stock_changes.append((product, delta))
    if len(plan.preview) < PREVIEW_LINES:
        plan.preview.append(_preview_row(line, product, producer, is_new))


def _preview_row(line, product: Product, producer: Producer, is_new: bool) -> dict:
    return {
        "line": line.line,
        "action": "create" if is_new else "update",
        "reference": product.reference,
        "name": product.name,
        "producer": producer.name,
        "price": f"{product.price}",
        "vat_rate": f"{product.vat_rate}",
        "stock_mode": product.get_stock_mode_display(),
    }


def _line_producer(product_import, line, producers, plan, column) -> Producer | None:
    if not line.producer_name:
        if product_import.producer is None:
            plan.errors.append(
                _error(line.line, column, _("Name the producer, or choose one for the file."))
            )
        return product_import.producer
    producer = producers.get(line.producer_name.strip().lower())
    if producer is None:
        plan.errors.append(
            _error(
                line.line,
                "producer",
                _("“%(name)s” is not a producer of the organisation.")
                % {"name": line.producer_name},
            )
        )
        return None
    if product_import.only_own_producer and producer.pk != product_import.producer_id:
        plan.errors.append(
            _error(line.line, "producer", _("You can only import your own products."))
        )
        return None
    return producer


# A rule broken on a product field, named by the file's column for that field.
_COLUMNS = {
    "cabas": {"vat_rate": "vat_rate", "stock_quantity": "quantity",
              "default_quantity_per_sale": "quantity"},
    "cagette": {"name": "productName", "vat_rate": "vat", "stock_quantity": "stock",
                "description": "desc", "unit_label": "unit", "quantity_step": "floatQt",
                "min_quantity": "floatQt", "reference": "ref"},
    "ofn": {"vat_rate": "tax_category", "stock_quantity": "on_hand", "reference": "sku",
            "unit_label": "units", "quantity_step": "units", "min_quantity": "units"},
}  # fmt: skip


def _column(file_format: str, product_field: str | None) -> str:
    if not product_field:
        return ""
    return _COLUMNS[file_format].get(product_field, product_field)
