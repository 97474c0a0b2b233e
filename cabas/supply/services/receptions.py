"""Receptions: a delivery checked in on a phone, line by line, then validated once into the
shop stock, the purchase order and the supplier's prices; its differences e-mailed to the
supplier once."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.catalog import services as catalog_services
from cabas.catalog.models import Product, StockMovement
from cabas.core import tables
from cabas.notifications.services import Attachment, outbox_message_record

from .. import errors
from .. import lock_objects as locks
from ..models import (
    PurchaseOrder,
    PurchaseOrderLine,
    Reception,
    ReceptionLine,
    Supplier,
    SupplierItem,
)
from ..receptions import differences, differences_table, receivable_products
from .suppliers import supplier_item_save

ZERO = Decimal("0")


def _draft_of(purchase_order: PurchaseOrder) -> Reception | None:
    return Reception.objects.filter(
        purchase_order=purchase_order, status=Reception.Status.DRAFT
    ).first()


@transaction.atomic
def reception_start(
    *,
    started_by,
    purchase_order: PurchaseOrder | None = None,
    supplier: Supplier | None = None,
    delivery_note: str = "",
) -> Reception:
    """Check in a delivery: of a sent (or partly received) purchase order, one line per
    order line with what is still expected at the ordered price (joining the order's
    reception being checked, if any: two phones count the same one); or of a supplier
    without an order, with no line yet."""
    if (purchase_order is None) == (supplier is None):
        raise TypeError("a reception is of a purchase order or of a supplier")
    if purchase_order is None:
        return Reception.objects.create(
            organisation_id=supplier.organisation_id,
            supplier=supplier,
            delivery_note=delivery_note.strip()[:64],
            started_by=started_by,
        )
    # The order's row first: two phones starting together make one reception.
    order = locks.purchase_order_lock(
        purchase_order_id=purchase_order.pk, organisation_id=purchase_order.organisation_id
    )
    existing = _draft_of(order)
    if existing is not None:
        return existing
    if order.is_draft:
        raise errors.PurchaseOrderNotSent()
    if not order.is_open:
        raise errors.PurchaseOrderClosed()
    reception = Reception.objects.create(
        organisation_id=order.organisation_id,
        supplier_id=order.supplier_id,
        purchase_order=order,
        delivery_note=delivery_note.strip()[:64],
        started_by=started_by,
    )
    ReceptionLine.objects.bulk_create(
        ReceptionLine(
            organisation_id=order.organisation_id,
            reception=reception,
            product_id=line.product_id,
            order_line=line,
            ordered_quantity=max(line.quantity - line.received_quantity, ZERO),
            ordered_unit_price=line.unit_price,
            unit_price=line.unit_price,
            vat_rate=line.vat_rate,
        )
        # What is still to come: lines already received in full are not counted again.
        for line in order.lines.filter(quantity__gt=F("received_quantity")).order_by(
            "product_name", "pk"
        )
    )
    return reception


def _check_quantity(product: Product, quantity: Decimal | None, field: str) -> Decimal | None:
    if quantity is None:
        return None
    quantity = Decimal(quantity)
    if quantity < 0:
        raise errors.QuantityNegative(field=field)
    if product.unit_kind == Product.UnitKind.PIECE and quantity != quantity.to_integral_value():
        raise errors.QuantityNotWhole(field=field)
    return quantity


def _check_price(price: Decimal | None) -> Decimal | None:
    if price is not None and Decimal(price) < 0:
        raise errors.PriceNegative(field="unit_price")
    return None if price is None else Decimal(price)


def _locked_draft(reception: Reception) -> Reception:
    """The reception's row, locked, refusing a validated one (counts and the validation
    take turns)."""
    if reception.purchase_order_id:
        # The lock order: purchase orders before receptions (as the validation takes them).
        locks.purchase_order_lock(
            purchase_order_id=reception.purchase_order_id,
            organisation_id=reception.organisation_id,
        )
    locked = locks.reception_lock(
        reception_id=reception.pk, organisation_id=reception.organisation_id
    )
    if not locked.is_draft:
        raise errors.ReceptionValidated()
    return locked


@transaction.atomic
def reception_line_count(
    *,
    line: ReceptionLine,
    received_quantity: Decimal,
    damaged_quantity: Decimal = ZERO,
    unit_price: Decimal | None = None,
    note: str = "",
    counted_by,
) -> ReceptionLine:
    """What arrived of one line: in good condition (into the stock at validation), damaged
    (kept out), at the delivery note's price (None: unchanged); the last count wins."""
    _locked_draft(line.reception)
    product = line.product
    received = _check_quantity(product, received_quantity, "received_quantity")
    if received is None:
        raise errors.DomainError(_("Enter the quantity received."), field="received_quantity")
    damaged = _check_quantity(product, damaged_quantity or ZERO, "damaged_quantity")
    price = _check_price(unit_price)
    line.received_quantity = received
    line.damaged_quantity = damaged
    if price is not None:
        line.unit_price = price
    line.note = note.strip()[:200]
    line.counted_by = counted_by
    line.save(
        update_fields=[
            "received_quantity", "damaged_quantity", "unit_price", "note", "counted_by",
            "updated_at",
        ]
    )  # fmt: skip
    return line


@transaction.atomic
def reception_all_as_ordered(*, reception: Reception, counted_by=None) -> int:
    """ "Everything as ordered" in one tap: each line not counted yet is received as
    ordered. Returns how many lines it counted."""
    locked = _locked_draft(reception)
    return ReceptionLine.objects.filter(reception=locked, received_quantity__isnull=True).update(
        received_quantity=F("ordered_quantity"),
        counted_by=counted_by,
        updated_at=timezone.now(),
    )


@transaction.atomic
def reception_line_add(
    *,
    reception: Reception,
    product: Product,
    received_quantity: Decimal | None = None,
    damaged_quantity: Decimal = ZERO,
    unit_price: Decimal | None = None,
    note: str = "",
    counted_by=None,
) -> ReceptionLine:
    """A product delivered but not on the order (ordered 0): one of the organisation's
    shop-stock products, at the delivery note's price or else the supplier's."""
    locked = _locked_draft(reception)
    if (
        product.organisation_id != locked.organisation_id
        or product.stock_mode != Product.StockMode.SHOP
    ):
        raise errors.NotShopProduct(field="product")
    if locked.lines.filter(product=product).exists():
        raise errors.ReceptionLineExists(field="product")
    if not receivable_products(reception=locked).filter(pk=product.pk).exists():
        raise errors.NotSoldBySupplier(field="product")
    received = _check_quantity(product, received_quantity, "received_quantity")
    damaged = _check_quantity(product, damaged_quantity or ZERO, "damaged_quantity")
    price = _check_price(unit_price)
    known = (
        SupplierItem.objects.filter(supplier_id=locked.supplier_id, product=product)
        .values_list("purchase_price", flat=True)
        .first()
    )
    if price is None and known is None:
        raise errors.ReceptionPriceMissing(field="unit_price")
    return ReceptionLine.objects.create(
        organisation_id=locked.organisation_id,
        reception=locked,
        product=product,
        ordered_quantity=ZERO,
        received_quantity=received,
        damaged_quantity=damaged,
        ordered_unit_price=known,
        unit_price=known if price is None else price,
        vat_rate=product.vat_rate,
        note=note.strip()[:200],
        counted_by=counted_by if received is not None else None,
    )


def stock_note(reception: Reception) -> str:
    """The ledger's note of a reception: "Réception BC-0007" (or the supplier's name)."""
    if reception.purchase_order_id:
        return _("Reception %(reference)s") % {"reference": reception.purchase_order.reference}
    return _("Reception %(reference)s") % {"reference": reception.supplier.name}


@transaction.atomic
def reception_validate(*, reception: Reception, made_by, now=None) -> Reception:
    """Put the delivery into the shop stock (received quantities; damaged ones stay out),
    once, with every line counted: the order's lines take what arrived and the order
    becomes partly received or received; a delivery note's price other than the ordered
    one becomes the supplier's purchase price. Locks: the purchase order, the reception,
    then the products (the catalog's conditional UPDATEs); a refusal changes nothing."""
    order = None
    if reception.purchase_order_id:
        order = locks.purchase_order_lock(
            purchase_order_id=reception.purchase_order_id,
            organisation_id=reception.organisation_id,
        )
    locked = locks.reception_lock(
        reception_id=reception.pk, organisation_id=reception.organisation_id
    )
    if not locked.is_draft:
        raise errors.ReceptionValidated()
    if order is not None and not order.is_open:
        raise errors.PurchaseOrderClosed()
    lines = list(locked.lines.select_related("product").order_by("pk"))
    if not lines:
        raise errors.ReceptionEmpty()
    if any(line.received_quantity is None for line in lines):
        raise errors.ReceptionNotCounted()
    if any(line.product.stock_mode != Product.StockMode.SHOP for line in lines):
        raise errors.NotShopProduct()
    locked.purchase_order = order
    catalog_services.shop_stock_take(
        changes={line.product_id: -line.received_quantity for line in lines},
        reason=StockMovement.Reason.RECEPTION,
        organisation_id=locked.organisation_id,
        made_by_id=made_by.pk if made_by is not None else None,
        note=stock_note(locked),
    )
    if order is not None:
        _order_received(order, lines)
    _prices_update(locked, lines, made_by)
    locked.status = Reception.Status.VALIDATED
    locked.validated_by = made_by
    locked.validated_at = now or timezone.now()
    locked.save(update_fields=["status", "validated_by", "validated_at", "updated_at"])
    return locked


def _order_received(order: PurchaseOrder, lines: list[ReceptionLine]) -> None:
    for line in lines:
        if line.order_line_id and line.received_quantity:
            PurchaseOrderLine.objects.filter(pk=line.order_line_id).update(
                received_quantity=F("received_quantity") + line.received_quantity
            )
    outstanding = order.lines.filter(received_quantity__lt=F("quantity")).exists()
    order.status = (
        PurchaseOrder.Status.PARTLY_RECEIVED if outstanding else PurchaseOrder.Status.RECEIVED
    )
    order.save(update_fields=["status", "updated_at"])


def _prices_update(reception: Reception, lines: list[ReceptionLine], made_by) -> None:
    """The supplier's purchase prices that the delivery note changed (a product new to the
    supplier becomes one of its items)."""
    items = {
        item.product_id: item
        for item in SupplierItem.objects.filter(
            supplier_id=reception.supplier_id, product_id__in=[line.product_id for line in lines]
        )
    }
    for line in lines:
        item = items.get(line.product_id)
        if line.ordered_unit_price is not None and line.unit_price == line.ordered_unit_price:
            continue
        if item is not None and item.purchase_price == line.unit_price:
            continue
        supplier_item_save(
            supplier=reception.supplier,
            product=line.product,
            purchase_price=line.unit_price,
            reference=item.reference if item else "",
            package_size=item.package_size if item else Decimal("1"),
            minimum_quantity=item.minimum_quantity if item else ZERO,
            made_by=made_by,
        )


@transaction.atomic
def reception_differences_send(*, reception: Reception, sent_by, now=None):
    """E-mail the differences of a validated delivery to the supplier's order address,
    once (the task worker sends it), with the table as a CSV file."""
    locked = locks.reception_lock(
        reception_id=reception.pk, organisation_id=reception.organisation_id
    )
    if locked.is_draft:
        raise errors.ReceptionNotValidated()
    if locked.differences_sent_at is not None:
        raise errors.DifferencesAlreadySent()
    supplier = locked.supplier
    if not supplier.order_email:
        raise errors.SupplierHasNoEmail()
    report = differences(reception=locked)
    if not report.rows:
        raise errors.ReceptionNoDifferences()
    header, rows = differences_table(report)
    context = {"reception": locked, "report": report, "organisation": locked.organisation}
    message = outbox_message_record(
        key=f"reception:{locked.pk}:differences",
        to=supplier.order_email,
        organisation_id=locked.organisation_id,
        subject=render_to_string("supply/receptions/email/subject.txt", context).strip(),
        body=render_to_string("supply/receptions/email/differences.txt", context),
        reply_to=[sent_by.email] if getattr(sent_by, "email", "") else None,
        attachments=[
            Attachment(
                f"differences-{locked.pk}.csv",
                tables.table_bytes(header, rows, "csv"),
                "text/csv",
            )
        ],
    )
    locked.differences_sent_at = now or timezone.now()
    locked.save(update_fields=["differences_sent_at", "updated_at"])
    return message
