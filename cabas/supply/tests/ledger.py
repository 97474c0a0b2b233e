"""A stock ledger dated by hand for the supply reports' tests."""

import zoneinfo
from datetime import datetime
from decimal import Decimal

from cabas.catalog.models import Product, StockMovement

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
Reason = StockMovement.Reason


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=PARIS)


def move(product, delta, reason, when) -> StockMovement:
    """One ledger row (the stored stock follows, as the catalog services keep it)."""
    delta = Decimal(delta)
    product.refresh_from_db(fields=["stock_quantity"])
    after = product.stock_quantity + delta
    Product.objects.filter(pk=product.pk).update(stock_quantity=after)
    movement = StockMovement.objects.create(
        organisation=product.organisation,
        product=product,
        delta=delta,
        quantity_after=after,
        reason=reason,
    )
    StockMovement.objects.filter(pk=movement.pk).update(created_at=when)
    product.stock_quantity = after
    return movement
