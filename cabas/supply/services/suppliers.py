"""Suppliers and what each sells (supplier items)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from cabas.catalog.models import Producer, Product
from cabas.catalog.services import whole_pieces

from .. import errors
from ..models import ISO_WEEKDAYS, Supplier, SupplierItem
from .common import full_clean
from .pricing import price_proposal_record

SUPPLIER_FIELDS = (
    "kind",
    "name",
    "contact_name",
    "order_email",
    "phone",
    "address",
    "delivery_days",
    "minimum_order_amount",
    "franco_amount",
    "lead_time_days",
    "notes",
    "is_active",
)


def _check_supplier(supplier: Supplier) -> None:
    supplier.name = supplier.name.strip()
    supplier.delivery_days = sorted({int(day) for day in supplier.delivery_days or []})
    if any(day not in ISO_WEEKDAYS for day in supplier.delivery_days):
        raise errors.WeekdayUnknown(field="delivery_days")
    full_clean(supplier, exclude=["organisation", "producer"])
    others = Supplier.objects.filter(organisation_id=supplier.organisation_id).exclude(
        pk=supplier.pk
    )
    if others.filter(name__iexact=supplier.name).exists():
        raise errors.SupplierNameTaken(field="name")
    if supplier.producer_id and others.filter(producer_id=supplier.producer_id).exists():
        raise errors.ProducerAlreadySupplier(field="producer")


@transaction.atomic
def supplier_create(*, organisation, producer: Producer | None = None, **fields) -> Supplier:
    """A new supplier of the organisation. From one of its producers (a farm), the contact
    details the form leaves empty are the producer's."""
    unknown = set(fields) - set(SUPPLIER_FIELDS)
    if unknown:
        raise TypeError(f"unknown supplier fields: {sorted(unknown)}")
    if producer is not None:
        fields.setdefault("kind", Supplier.Kind.PRODUCER)
        fields["name"] = fields.get("name") or producer.name
        fields["contact_name"] = fields.get("contact_name") or producer.contact_name
        fields["order_email"] = fields.get("order_email") or producer.email
        fields["phone"] = fields.get("phone") or producer.phone
        fields["address"] = fields.get("address") or producer.address
    supplier = Supplier(organisation=organisation, producer=producer, **fields)
    _check_supplier(supplier)
    supplier.save()
    return supplier


@transaction.atomic
def supplier_update(*, supplier: Supplier, **fields) -> Supplier:
    """Change a supplier's details (its items and orders are not touched)."""
    unknown = set(fields) - set(SUPPLIER_FIELDS)
    if unknown:
        raise TypeError(f"unknown supplier fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(supplier, name, value)
    _check_supplier(supplier)
    supplier.save(update_fields=[*fields, "updated_at"])
    return supplier


def _check_item(item: SupplierItem) -> None:
    if item.product.organisation_id != item.organisation_id:
        raise errors.NotShopProduct(field="product")
    if item.product.stock_mode != Product.StockMode.SHOP:
        raise errors.NotShopProduct(field="product")
    if item.purchase_price is None or Decimal(item.purchase_price) <= 0:
        # A price of 0 would propose selling the product for nothing.
        raise errors.PurchasePriceNotPositive(field="purchase_price")
    for field in ("package_size", "minimum_quantity"):
        whole_pieces(item.product, Decimal(getattr(item, field)), field=field)
    full_clean(item, exclude=["organisation", "supplier", "product"])
    twins = SupplierItem.objects.filter(supplier_id=item.supplier_id, product_id=item.product_id)
    if twins.exclude(pk=item.pk).exists():
        raise errors.SupplierItemExists(field="product")


@transaction.atomic
def supplier_item_save(
    *,
    supplier: Supplier,
    product: Product,
    purchase_price: Decimal,
    reference: str = "",
    package_size: Decimal = Decimal("1"),
    minimum_quantity: Decimal = Decimal("0"),
    is_main: bool | None = None,
    made_by=None,
) -> SupplierItem:
    """What ``supplier`` sells ``product`` at: created or updated. The first supplier of a
    product becomes its main one; making another main takes the mark from the old one.
    A new purchase price of the main supplier records a proposed selling price
    (``price_proposal_record``), which the supply team accepts or dismisses."""
    item = SupplierItem.objects.filter(supplier=supplier, product=product).first()
    old_price = item.purchase_price if item else None
    others = SupplierItem.objects.filter(product=product).exclude(supplier=supplier)
    if item is None:
        item = SupplierItem(organisation_id=supplier.organisation_id, supplier=supplier)
        item.product = product
        if is_main is None:
            is_main = not others.filter(is_main=True).exists()
    item.reference = reference.strip()
    item.purchase_price = Decimal(purchase_price)
    item.package_size = Decimal(package_size)
    item.minimum_quantity = Decimal(minimum_quantity)
    _check_item(item)
    if is_main is not None:
        if is_main:
            others.filter(is_main=True).update(is_main=False)
        item.is_main = is_main
    item.save()
    if item.is_main and old_price != item.purchase_price:
        price_proposal_record(item=item)
    return item


@transaction.atomic
def supplier_item_delete(*, item: SupplierItem) -> None:
    """The supplier no longer sells the product; another supplier of it becomes the main
    one if this was."""
    product_id, was_main = item.product_id, item.is_main
    item.delete()
    if was_main:
        heir = SupplierItem.objects.filter(product_id=product_id).order_by("pk").first()
        if heir is not None:
            SupplierItem.objects.filter(pk=heir.pk).update(is_main=True)
