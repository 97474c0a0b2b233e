"""What a sale offers: its items (one per product), left out by a coordinator, unavailable
for a producer, limited in quantity."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cabas.catalog.models import Producer, ProducerLink, Product
from cabas.core.money import format_quantity

from .. import errors, lock_objects
from ..models import Sale, SaleItem
from .clock import local_date


def _sale_reference_day(sale: Sale) -> date:
    """The day a producer must still be supplying to be in the sale: the first pickup's day,
    or the cutoff's day while the sale has no pickup."""
    first = sale.pickups.order_by("starts_at").values_list("starts_at", flat=True).first()
    return local_date(sale.organisation, first or sale.closes_at)


def sale_items_sync(*, sale: Sale) -> int:
    """Add to the sale every active product of every producer supplying the organisation on
    the sale's day that is not in it yet (nothing is removed). Returns how many were added."""
    day = _sale_reference_day(sale)
    supplying = (
        ProducerLink.objects.supplying_on(day)
        .filter(organisation_id=sale.organisation_id)
        .values("producer_id")
    )
    already = SaleItem.objects.filter(sale=sale).values("product_id")
    products = Product.objects.filter(
        organisation_id=sale.organisation_id, is_active=True, producer_id__in=supplying
    ).exclude(pk__in=already)
    return _items_add(sale, products)


def _items_add(sale: Sale, products) -> int:
    """Sale items for ``products`` (a product of a producer left out of the sale comes in
    left out; a quantity limited per sale takes the product's default)."""
    excluded = set(sale.excluded_producers.values_list("pk", flat=True))
    items = [
        SaleItem(
            organisation_id=sale.organisation_id,
            sale=sale,
            product=product,
            is_excluded=product.producer_id in excluded,
            quantity_available=(
                product.default_quantity_per_sale
                if product.stock_mode == Product.StockMode.PER_SALE
                else None
            ),
        )
        for product in products.only("pk", "producer_id", "stock_mode", "default_quantity_per_sale")
    ]
    SaleItem.objects.bulk_create(items, ignore_conflicts=True)
    return len(items)


# The sales that may still take new products: not closed yet.
OFFER_OPEN_STATUSES = (Sale.Status.DRAFT, Sale.Status.SCHEDULED, Sale.Status.OPEN)


@transaction.atomic
def sale_items_add(*, sale: Sale, product_ids: list[int], now: datetime | None = None) -> int:
    """Offer in a sale not closed yet the given products it does not offer yet (e.g. the
    products of an import), with the rules of ``sale_items_sync``: active products of
    producers supplying the organisation on the sale's day. The sale is locked and checked
    first, so a sale closing meanwhile gets nothing. Returns how many were added."""
    now = now or timezone.now()
    sale = lock_objects.sale_lock(sale_id=sale.pk)
    if sale.status not in OFFER_OPEN_STATUSES or sale.closes_at <= now:
        shown = sale.status if sale.status not in OFFER_OPEN_STATUSES else Sale.Status.CLOSED
        raise errors.SaleStatusInvalid(status=Sale.Status(shown).label)
    supplying = (
        ProducerLink.objects.supplying_on(_sale_reference_day(sale))
        .filter(organisation_id=sale.organisation_id)
        .values("producer_id")
    )
    products = (
        Product.objects.filter(
            organisation_id=sale.organisation_id,
            pk__in=list(product_ids),
            is_active=True,
            producer_id__in=supplying,
        )
        .exclude(pk__in=SaleItem.objects.filter(sale=sale).values("product_id"))
        .order_by("pk")
    )
    return _items_add(sale, products)


@transaction.atomic
def sale_producer_set_excluded(*, sale: Sale, producer: Producer, excluded: bool) -> int:
    """Leave out (or bring back) all the products of a producer in one sale."""
    if excluded:
        sale.excluded_producers.add(producer)
    else:
        sale.excluded_producers.remove(producer)
    return SaleItem.objects.filter(sale=sale, product__producer=producer).update(
        is_excluded=excluded, updated_at=timezone.now()
    )


@transaction.atomic
def sale_item_set_excluded(*, item: SaleItem, excluded: bool) -> SaleItem:
    """A coordinator leaves a product out of a sale (or brings it back)."""
    item.is_excluded = excluded
    item.save(update_fields=["is_excluded", "updated_at"])
    return item


@transaction.atomic
def sale_item_set_unavailable(*, item: SaleItem, unavailable: bool) -> SaleItem:
    """A producer marks its product unavailable for this sale (or available again)."""
    item.is_unavailable = unavailable
    item.save(update_fields=["is_unavailable", "updated_at"])
    return item


@transaction.atomic
def sale_item_set_quantity(*, item: SaleItem, quantity: Decimal | None) -> SaleItem:
    """Limit what can be ordered of a product in a sale (None: not limited); never below what
    is already ordered."""
    if quantity is not None and quantity < 0:
        raise errors.QuantityInvalid(field="quantity_available")
    locked = lock_objects.sale_items_lock(sale_id=item.sale_id, item_ids=[item.pk])[0]
    if quantity is not None and quantity < locked.quantity_ordered:
        raise errors.QuantityBelowOrdered(
            field="quantity_available", ordered=format_quantity(locked.quantity_ordered)
        )
    SaleItem.objects.filter(pk=item.pk).update(
        quantity_available=quantity, updated_at=timezone.now()
    )
    item.refresh_from_db()
    return item
