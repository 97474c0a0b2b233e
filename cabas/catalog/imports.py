"""Product imports: upload, read and check every line (in the worker), then apply all or nothing.

``product_import_start`` stores the file and asks the worker to check it; the check and the
apply share ``_plan``, which turns each parsed line into a product to create, to update or
left unchanged, with the same rules as the product form (``services.product_rules_problems``,
every problem of a line reported at once) and a constant number of queries, whatever the
number of lines. A line is matched to a product by its producer and its reference (a
reference is each producer's own), never moved to another producer; only the products the
file changes are written. Progress is saved every ``PROGRESS_EVERY`` lines so the page can
show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cabas.core import tables
from cabas.core.money import format_quantity
from cabas.core.tasks import enqueue_on_commit

from . import errors, importers, selectors, services, tasks
from .models import Producer, Product, ProductImport, StockMovement

PROGRESS_EVERY = 500
PREVIEW_LINES = 20
# The errors and notes kept to be shown (the first ones, by line); their count is kept apart.
LINES_KEPT = 100
BATCH_SIZE = 500

# The columns a file may change on an existing product (the image, the organisation and the
# producer, which the product is matched by, stay).
IMPORTED_FIELDS = [name for name in services.PRODUCT_FIELDS if name not in ("image", "reference")]
# What an import writes on a product it changes: a product matched by its identifier on
# another platform may have a new reference there.
WRITTEN_FIELDS = [*IMPORTED_FIELDS, "reference", "external_id"]


def max_upload_bytes() -> int:
    return getattr(settings, "CATALOG_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


@dataclass
class _Plan:
    file_format: str = ""
    creates: list[Product] = field(default_factory=list)
    updates: list[Product] = field(default_factory=list)  # changed by the file
    unchanged: list[Product] = field(default_factory=list)
    stock_changes: list[tuple[Product, Decimal]] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    vat_defaulted: int = 0
    default_vat_rate: Decimal | None = None
    preview: list[dict] = field(default_factory=list)
    refused: dict = field(default_factory=dict)  # line → the columns already refused

    def refuse(self, line: int, column: str, reason: str) -> None:
        self.errors.append(_error(line, column, reason))
        self.refused.setdefault(line, set()).add(column)

    def summary(self) -> list[str]:
        if not self.vat_defaulted:
            return []
        return [
            ngettext(
                "%(count)s product without a VAT category: %(rate)s %% applied.",
                "%(count)s products without a VAT category: %(rate)s %% applied.",
                self.vat_defaulted,
            )
            % {
                "count": format_quantity(self.vat_defaulted),
                "rate": format_quantity(self.default_vat_rate),
            }
        ]

    def record(self, product_import: ProductImport) -> None:
        """The plan's counts, first errors and notes on the import (saved by the caller)."""
        self.errors.sort(key=lambda error: error["line"])
        self.notes.sort(key=lambda note: note["line"])
        product_import.errors = self.errors[:LINES_KEPT]
        product_import.error_count = len(self.errors)
        product_import.notes = self.notes[:LINES_KEPT]
        product_import.note_count = len(self.notes)
        product_import.summary = self.summary()
        product_import.to_create = len(self.creates)
        product_import.to_update = len(self.updates)
        product_import.unchanged = len(self.unchanged)
        product_import.processed_lines = product_import.total_lines


def _error(line: int, column: str, reason: str) -> dict:
    return {"line": line, "column": column, "reason": str(reason)}


@transaction.atomic
def product_import_start(
    *, organisation, uploaded_by, file_name: str, content: bytes, producer: Producer | None,
    only_own_producer: bool, file_format: str = "", check: bool = True,
) -> ProductImport:  # fmt: skip
    """Keep the uploaded file and have the worker read and check it. Only what costs
    nothing to see is refused here, and then nothing is kept: a file too big, not a table,
    or over the limits once unpacked (``tables.check_table`` reads no cell). Unknown
    columns or a missing producer come back from the worker as the import's errors.

    ``file_format``: a document format (``importers.DOCUMENT_FORMATS``), read by its own
    parser instead of as a table. ``check=False``: the caller has the content fetched first
    (``product_import_check_content``)."""
    if len(content) > max_upload_bytes():
        raise errors.ImportFileTooBig(max_mb=max_upload_bytes() // (1024 * 1024))
    if file_format not in importers.DOCUMENT_FORMATS:
        file_format = ""
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
        file_format=file_format,
    )
    if check:
        enqueue_on_commit(tasks.product_import_check, import_id=product_import.pk)
    return product_import


def product_import_check_content(*, product_import: ProductImport, content: bytes):
    """The content of an import started without it (fetched by the worker), then its check."""
    if len(content) > max_upload_bytes():
        return product_import_refuse(
            product_import=product_import,
            reason=errors.ImportFileTooBig(max_mb=max_upload_bytes() // (1024 * 1024)),
        )
    product_import.content = content
    ProductImport.objects.filter(pk=product_import.pk).update(content=content)
    return product_import_check(product_import=product_import)


def product_import_refuse(*, product_import: ProductImport, reason) -> ProductImport:
    """An import whose file could not be had (a catalog address that did not answer): it is
    invalid, with the reason as its one error."""
    _Plan(errors=[_error(0, "", reason)]).record(product_import)
    product_import.status = ProductImport.Status.INVALID
    product_import.finished_at = timezone.now()
    product_import.save()
    return product_import


def product_import_check(*, product_import: ProductImport) -> ProductImport:
    """Check every line; the import becomes ready (with a preview) or invalid (with errors)."""
    plan = _plan(product_import)
    plan.record(product_import)
    product_import.preview = plan.preview
    product_import.status = (
        ProductImport.Status.INVALID if plan.errors else ProductImport.Status.READY
    )
    product_import.finished_at = timezone.now() if plan.errors else None
    product_import.save()
    return product_import


def product_import_confirm(*, product_import: ProductImport) -> ProductImport:
    """The person confirms a checked file: the worker applies it."""
    _to_importing(product_import)
    enqueue_on_commit(tasks.product_import_apply, import_id=product_import.pk)
    product_import.refresh_from_db()
    return product_import


def product_import_apply_unattended(*, product_import: ProductImport) -> ProductImport:
    """A checked import no one is there to confirm (a catalog read again on a schedule, whose
    owner asked for it): applied now, in this process, with the same rules."""
    _to_importing(product_import)
    return product_import_apply(product_import=product_import)


def _to_importing(product_import: ProductImport) -> None:
    updated = ProductImport.objects.filter(
        pk=product_import.pk, status=ProductImport.Status.READY
    ).update(status=ProductImport.Status.IMPORTING, processed_lines=0)
    if not updated:
        raise errors.ImportNotReady()
    product_import.status = ProductImport.Status.IMPORTING


def product_import_apply(*, product_import: ProductImport) -> ProductImport:
    """Check again (the catalog may have changed since the preview), then write in one
    transaction the lines that change something — or nothing, if a single line is now
    wrong. An unchanged line writes nothing."""
    plan = _plan(product_import)
    if not plan.errors:
        try:
            with transaction.atomic():
                _write(product_import, plan)
        except IntegrityError:
            plan.errors.append(
                _error(0, "", _("Another change of the catalog happened meanwhile; try again."))
            )
    plan.record(product_import)
    if not plan.errors:
        product_import.product_ids = [
            product.pk for product in plan.creates + plan.updates + plan.unchanged if product.pk
        ]
    product_import.status = (
        ProductImport.Status.INVALID if plan.errors else ProductImport.Status.DONE
    )
    product_import.finished_at = timezone.now()
    product_import.save()
    return product_import


def _write(product_import: ProductImport, plan: _Plan) -> None:
    now = timezone.now()
    for product in plan.creates + plan.updates:
        product.updated_at = now
        product.search_text = services.product_search_text(product)
    Product.objects.bulk_create(plan.creates, batch_size=BATCH_SIZE)
    Product.objects.bulk_update(  # the changed products only
        plan.updates, [*WRITTEN_FIELDS, "search_text", "updated_at"], batch_size=BATCH_SIZE
    )
    StockMovement.objects.bulk_create(
        [
            StockMovement(
                organisation_id=product_import.organisation_id,
                product=product,
                delta=delta,
                quantity_after=product.stock_quantity,
                reason=StockMovement.Reason.IMPORT,
                note=(_("Import of %(file)s") % {"file": product_import.file_name})[:200],
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
    document = importers.DOCUMENT_FORMATS.get(product_import.file_format)
    try:
        if document is not None:
            parsed = document.parse(bytes(product_import.content))
            count = len(parsed.lines)
        else:
            header, rows = tables.read_numbered_table(
                product_import.file_name,
                bytes(product_import.content),
                tables.TableLimits.from_settings(),
            )
            parsed, count = importers.parse_rows(header, rows), len(rows)
    except importers.FileUnreadable as exc:
        plan.errors.append(_error(0, "", str(exc)))
        return None
    plan.file_format = parsed.format
    if product_import.total_lines != count or product_import.file_format != parsed.format:
        product_import.total_lines, product_import.file_format = count, parsed.format
        ProductImport.objects.filter(pk=product_import.pk).update(
            total_lines=count, file_format=parsed.format
        )
    if product_import.producer is None and parsed.format == "cagette":
        plan.errors.append(_error(0, "", errors.ImportProducerMissing.default_message))
        return None
    return parsed


@dataclass
class _Known:
    """What the organisation already has, for matching the file's lines: a product is
    matched by its producer and its identifier on another platform, else its reference (a
    reference is the producer's own)."""

    vat_rates: list
    producers: dict
    by_reference: dict = field(default_factory=dict)  # (producer id, reference) → product
    by_external_id: dict = field(default_factory=dict)  # (producer id, external id) → product
    # Who uses a reference: reference → the names of the producers having a product with it.
    reference_owners: dict = field(default_factory=dict)
    # Matched by producer and name; a name used twice is not matched at all (None).
    unreferenced: dict = field(default_factory=dict)
    # The lines already seen, by (producer id, reference): one product per reference.
    seen: dict = field(default_factory=dict)

    @classmethod
    def of(cls, organisation) -> _Known:
        producers = list(selectors.producers_of(organisation=organisation))
        known = cls(
            vat_rates=selectors.vat_rates(organisation=organisation),
            producers={producer.name.strip().lower(): producer for producer in producers},
        )
        names = {producer.pk: producer.name for producer in producers}
        for product in Product.objects.filter(organisation=organisation):
            if product.external_id:
                known.by_external_id[(product.producer_id, product.external_id)] = product
            if product.reference:
                known.by_reference[(product.producer_id, product.reference)] = product
                known.reference_owners.setdefault(product.reference, []).append(
                    names.get(product.producer_id, "")
                )
            else:
                key = (product.producer_id, product.name.strip().lower())
                known.unreferenced[key] = None if key in known.unreferenced else product
        return known

    def match(self, line, producer: Producer) -> Product | None:
        """The line's product: by its external id, else by its reference — unless the
        product found so has another external id (``ExternalIdTaken``)."""
        if line.external_id:
            product = self.by_external_id.get((producer.pk, line.external_id))
            if product is not None:
                return product
        if line.reference:
            product = self.by_reference.get((producer.pk, line.reference))
            if product is not None and product.external_id not in ("", line.external_id):
                raise ExternalIdTaken()
            return product
        key = (producer.pk, line.fields.get("name", "").strip().lower())
        product = self.unreferenced.get(key)
        if product is not None and product.external_id not in ("", line.external_id):
            return None  # a product of another catalog item elsewhere: not this line's
        return self.unreferenced.pop(key, None)


def _plan(product_import: ProductImport) -> _Plan:
    """What applying the file would do, line by line, without writing a product."""
    plan = _Plan()
    parsed = _read(product_import, plan)
    if parsed is None:
        return plan
    for error in parsed.errors:
        plan.refuse(error.line, error.column, error.reason)
    known = _Known.of(product_import.organisation)
    plan.default_vat_rate = selectors.default_vat_rate(known.vat_rates)
    for count, line in enumerate(parsed.lines, start=1):
        if count % PROGRESS_EVERY == 0:
            _progress(product_import, count)
        _plan_line(product_import, parsed, line, known, plan)
    return plan


def _plan_line(product_import: ProductImport, parsed, line, known: _Known, plan: _Plan):
    """One line: its producer, its product (matched or new), the rules; every problem of the
    line is reported, not only the first."""
    producer = _line_producer(product_import, line, known.producers, plan, parsed)
    product = None
    if producer is not None:
        if not _reference_first_seen(line, producer, known, plan, parsed):
            return
        try:
            product = known.match(line, producer)
        except ExternalIdTaken:
            reason = _("Another product of this producer, from elsewhere, has this reference.")
            plan.refuse(line.line, parsed.reference_column, reason)
            return
        if product is None:
            _note_reference_elsewhere(line, producer, known, plan, parsed)
    is_new = product is None
    if is_new:
        product = Product(organisation=product_import.organisation, producer=producer)
    before = None if is_new else _values(product)
    shop_stock_before = (
        product.stock_quantity if not is_new and product.stock_mode == "shop" else None
    )
    _set_fields(product, line, is_new, plan)
    # A document's line that could not be read is not a product yet: its rules would only
    # repeat the reading's errors (a table's line reports every problem at once).
    if not line.ok and parsed.format in importers.DOCUMENT_FORMATS:
        return
    # Compared first: a line equal to its stored product has its fields checked already.
    as_stored = not is_new and line.ok and _values(product) == before
    refused = _rules_refused(product, line, known, plan, parsed.format, as_stored=as_stored)
    after = None if is_new else _values(product)
    if as_stored and after != before:  # a rule changed a value: its fields are checked too
        refused = _rules_refused(product, line, known, plan, parsed.format) or refused
    if producer is None or not line.ok or refused:
        return
    action = "create" if is_new else ("update" if after != before else "same")
    {"create": plan.creates, "update": plan.updates, "same": plan.unchanged}[action].append(product)
    if product.stock_mode == Product.StockMode.SHOP:
        delta = product.stock_quantity - (shop_stock_before or Decimal("0"))
        if delta:
            plan.stock_changes.append((product, delta))
    if len(plan.preview) < PREVIEW_LINES:
        plan.preview.append(_preview_row(line, product, producer, action))


class ExternalIdTaken(Exception):
    """A line's reference is a product's that came from another catalog item elsewhere."""


def _values(product: Product) -> tuple:
    return tuple(getattr(product, name) for name in WRITTEN_FIELDS)


def _set_fields(product: Product, line, is_new: bool, plan: _Plan) -> None:
    """The line's values on the product. Without a VAT rate, a new product gets the
    organisation's default rate (said in a note); an existing one keeps its own."""
    for name, value in line.fields.items():
        setattr(product, name, value)
    if line.vat_missing and is_new:
        product.vat_rate = plan.default_vat_rate
        plan.vat_defaulted += 1
        reason = _("No VAT category: %(rate)s %% applied.") % {
            "rate": format_quantity(plan.default_vat_rate)
        }
        plan.notes.append(_error(line.line, "tax_category", reason))


def _rules_refused(
    product: Product, line, known: _Known, plan: _Plan, file_format, *, as_stored=False
) -> bool:
    """The product rules broken, each on its column, but a column already refused (by the
    reading: its value could not be read). ``as_stored``: the values are the stored
    product's, whose fields were checked when it was saved; only the rules are checked."""
    problems = services.product_rules_problems(
        product, vat_rates=known.vat_rates, fields_checked=as_stored
    )
    for problem in problems:
        column = _column(file_format, problem.field)
        if column not in plan.refused.get(line.line, ()):
            reason = str(problem)
            if line.source:
                reason = _("%(where)s: %(reason)s") % {"where": line.source, "reason": reason}
            plan.refuse(line.line, column, reason)
    return bool(problems)


def _reference_first_seen(line, producer, known: _Known, plan: _Plan, parsed) -> bool:
    """Two lines of one producer with one reference are refused (the second says where the
    first is)."""
    if not line.reference:
        return True
    key = (producer.pk, line.reference)
    if key in known.seen:
        reason = _("The same reference is already on line %(line)s.") % {"line": known.seen[key]}
        plan.refuse(line.line, parsed.reference_column, reason)
        return False
    known.seen[key] = line.line
    return True


def _note_reference_elsewhere(line, producer, known: _Known, plan: _Plan, parsed) -> None:
    """A line that does not name its producer, whose reference another producer uses: a new
    product is made for the file's producer (the other's stays as it is); the note says so,
    in case the file was sent for the wrong producer."""
    owners = known.reference_owners.get(line.reference) if line.reference else None
    if line.producer_name or not owners:
        return
    reason = _(
        "The reference %(reference)s is also used by %(others)s: a new product of "
        "%(producer)s is created, the other stays as it is."
    ) % {"reference": line.reference, "others": ", ".join(sorted(owners)), "producer": producer}
    plan.notes.append(_error(line.line, parsed.reference_column, reason))


def _preview_row(line, product: Product, producer: Producer, action: str) -> dict:
    return {
        "line": line.line,
        "action": action,
        "reference": product.reference,
        "name": product.name,
        "producer": producer.name,
        "price": f"{product.price}",
        "vat_rate": f"{product.vat_rate}",
        "stock_mode": product.get_stock_mode_display(),
    }


def _line_producer(product_import, line, producers, plan, parsed) -> Producer | None:
    if not line.producer_name:
        if product_import.producer is None:
            reason = _("Name the producer, or choose one for the file.")
            plan.refuse(line.line, parsed.producer_column, reason)
        return product_import.producer
    producer = producers.get(line.producer_name.strip().lower())
    if producer is None:
        reason = _("“%(name)s” is not a producer of the organisation.") % {
            "name": line.producer_name
        }
        plan.refuse(line.line, "producer", reason)
        return None
    if product_import.only_own_producer and producer.pk != product_import.producer_id:
        plan.refuse(line.line, "producer", _("You can only import your own products."))
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
    document = importers.DOCUMENT_FORMATS.get(file_format)
    columns = document.columns if document else _COLUMNS[file_format]
    return columns.get(product_field, product_field)
