"""Purchase orders: created (from a suggestion, or empty), their draft lines edited, sent once
(the e-mail goes through the outbox, its PDF or XLSX built by the worker when it sends), or
cancelled. Only a draft changes; every change takes the order's row lock first."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cabas.catalog.models import Product
from cabas.notifications.services import outbox_message_record

from .. import errors
from ..lock_objects import purchase_order_lock
from ..models import PurchaseOrder, PurchaseOrderLine, Supplier, SupplierItem

Status = PurchaseOrder.Status
NUMBER_ATTEMPTS = 10  # each concurrent create that wins costs the others one try
EMAIL_RENDERER = "cabas.supply.order_documents.purchase_order_email_message"
QUANTITY_MAX = Decimal("9999999")


def email_key(purchase_order: PurchaseOrder) -> str:
    """The outbox key of an order's e-mail: one e-mail per order, ever."""
    return f"purchase-order:{purchase_order.pk}:sent"


def _quantity(quantity, product: Product, item: SupplierItem) -> Decimal:
    try:
        quantity = Decimal(quantity)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise errors.QuantityNegative(field="quantity") from exc
    if not quantity.is_finite() or quantity < 0:
        raise errors.QuantityNegative(field="quantity")
    if quantity > QUANTITY_MAX or quantity != quantity.quantize(Decimal("0.001")):
        raise errors.DomainError(
            _("Enter a quantity with at most three decimals."), field="quantity"
        )
    package = Decimal(item.package_size)
    if quantity % package:
        up = (quantity // package + 1) * package
        raise errors.QuantityNotPackageMultiple(
            field="quantity", product=product.name, package=package.normalize(), up=up.normalize()
        )
    return quantity


def _items_of(supplier: Supplier, product_ids) -> dict[int, SupplierItem]:
    items = SupplierItem.objects.filter(
        supplier=supplier, product_id__in=list(product_ids)
    ).select_related("product")
    return {item.product_id: item for item in items}


def _line_copy(line: PurchaseOrderLine, item: SupplierItem) -> None:
    """What the line copies from the product and the supplier item (the document it was)."""
    product = item.product
    line.product = product
    line.product_name = product.name[:200]
    line.reference = item.reference
    line.unit_text = str(product.unit_text)[:60]
    line.package_size = item.package_size
    line.unit_price = item.purchase_price
    line.vat_rate = product.vat_rate


def _next_number(organisation_id: int) -> int:
    top = PurchaseOrder.objects.filter(organisation_id=organisation_id).aggregate(n=Max("number"))
    return (top["n"] or 0) + 1


def _create_numbered(**fields) -> PurchaseOrder:
    """The order with the organisation's next number; a concurrent create that took it first
    makes the unique constraint refuse ours, and we take the next one."""
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                return PurchaseOrder.objects.create(
                    number=_next_number(fields["organisation"].pk), **fields
                )
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def purchase_order_create(
    *,
    supplier: Supplier,
    created_by=None,
    quantities: dict[int, Decimal] | None = None,
    expected_on: date | None = None,
    note: str = "",
) -> PurchaseOrder:
    """A draft order to ``supplier`` with the organisation's next number, with a line per
    product of ``quantities`` (product id → quantity; zeros left out). Every product must be
    one the supplier sells, every quantity a multiple of its package size."""
    quantities = dict(quantities or {})
    items = _items_of(supplier, quantities)
    lines = []
    for product_id, quantity in quantities.items():
        item = items.get(product_id)
        if item is None:
            raise errors.NotSoldBySupplier(field="product")
        quantity = _quantity(quantity, item.product, item)
        if quantity:
            line = PurchaseOrderLine(organisation_id=supplier.organisation_id, quantity=quantity)
            _line_copy(line, item)
            lines.append(line)
    purchase_order = _create_numbered(
        organisation=supplier.organisation,
        supplier=supplier,
        created_by=created_by,
        expected_on=expected_on,
        note=note.strip(),
    )
    for line in lines:
        line.purchase_order = purchase_order
    PurchaseOrderLine.objects.bulk_create(lines)
    return purchase_order


def _draft(purchase_order: PurchaseOrder) -> PurchaseOrder:
    locked = purchase_order_lock(
        purchase_order_id=purchase_order.pk, organisation_id=purchase_order.organisation_id
    )
    if not locked.is_draft:
        raise errors.PurchaseOrderNotDraft()
    return locked


@transaction.atomic
def purchase_order_update(
    *, purchase_order: PurchaseOrder, expected_on: date | None, note: str
) -> PurchaseOrder:
    """Change a draft's expected delivery date and note to the supplier."""
    locked = _draft(purchase_order)
    locked.expected_on = expected_on
    locked.note = note.strip()
    locked.save(update_fields=["expected_on", "note", "updated_at"])
    return locked


@transaction.atomic
def purchase_order_line_set(
    *, purchase_order: PurchaseOrder, product: Product, quantity: Decimal
) -> PurchaseOrderLine | None:
    """The draft's line of ``product`` with ``quantity`` (added, changed, or removed at 0),
    at the supplier's current price and the product's VAT rate."""
    locked = _draft(purchase_order)
    item = _items_of(locked.supplier, [product.pk]).get(product.pk)
    if item is None or product.organisation_id != locked.organisation_id:
        raise errors.NotSoldBySupplier(field="product")
    quantity = _quantity(quantity, item.product, item)
    line = PurchaseOrderLine.objects.filter(purchase_order=locked, product=product).first()
    if not quantity:
        if line is not None:
            line.delete()
        return None
    if line is None:
        line = PurchaseOrderLine(organisation_id=locked.organisation_id, purchase_order=locked)
    _line_copy(line, item)
    line.quantity = quantity
    line.save()
    return line


@transaction.atomic
def purchase_order_lines_set(
    *, purchase_order: PurchaseOrder, quantities: dict[int, Decimal]
) -> None:
    """Several lines' quantities (product id → quantity) at once: all or none."""
    products = Product.objects.filter(
        organisation_id=purchase_order.organisation_id, pk__in=list(quantities)
    ).in_bulk()
    for product_id, quantity in quantities.items():
        if product_id not in products:
            raise errors.NotSoldBySupplier(field="product")
        purchase_order_line_set(
            purchase_order=purchase_order, product=products[product_id], quantity=quantity
        )


@transaction.atomic
def purchase_order_line_remove(*, purchase_order: PurchaseOrder, line_id: int) -> None:
    """Take a line out of a draft (a line already gone is no error)."""
    locked = _draft(purchase_order)
    PurchaseOrderLine.objects.filter(purchase_order=locked, pk=line_id).delete()


@transaction.atomic
def purchase_order_send(
    *,
    purchase_order: PurchaseOrder,
    sent_by,
    file_format: str = PurchaseOrder.FileFormat.PDF,
    by_email: bool = True,
    now: datetime | None = None,
) -> PurchaseOrder:
    """Send a draft: it is frozen as sent, and (``by_email``) its e-mail to the supplier's
    order address is recorded in the outbox in this transaction under a key of its own, so
    it leaves once whatever happens (the worker builds the PDF or XLSX when it sends).
    Without ``by_email`` the order was phoned or printed: only marked as sent."""
    if file_format not in PurchaseOrder.FileFormat.values:
        raise errors.DomainError(_("Choose PDF or Excel (XLSX)."), field="file_format")
    locked = _draft(purchase_order)
    if not locked.lines.filter(quantity__gt=0).exists():
        raise errors.PurchaseOrderEmpty()
    supplier = locked.supplier
    if by_email and not supplier.order_email:
        raise errors.SupplierHasNoEmail()
    locked.status = Status.SENT
    locked.sent_at = now or timezone.now()
    locked.sent_by = sent_by
    locked.file_format = file_format
    locked.sent_to = supplier.order_email if by_email else ""
    locked.save(
        update_fields=["status", "sent_at", "sent_by", "file_format", "sent_to", "updated_at"]
    )
    if by_email:
        outbox_message_record(
            key=email_key(locked),
            to=supplier.order_email,
            organisation_id=locked.organisation_id,
            renderer=EMAIL_RENDERER,
            params={"purchase_order_id": locked.pk},
        )
    return locked


@transaction.atomic
def purchase_order_cancel(*, purchase_order: PurchaseOrder) -> PurchaseOrder:
    """Cancel a draft, or a sent order nothing of which was received yet."""
    locked = purchase_order_lock(
        purchase_order_id=purchase_order.pk, organisation_id=purchase_order.organisation_id
    )
    if locked.status not in (Status.DRAFT, Status.SENT):
        raise errors.PurchaseOrderNotCancellable()
    if locked.lines.filter(received_quantity__gt=0).exists():
        raise errors.PurchaseOrderNotCancellable()
    locked.status = Status.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    return locked
