"""What the supply team's weekly e-mail says (reads only): the products below their
minimum, and per main supplier the products whose stock covers less than the target
(``SupplySettings.target_cover_days`` of sales at the ``sales_rate``), an order to prepare.
Call inside ``organisation_context`` (days are the organisation's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from cabas.catalog import stock_reports
from cabas.catalog.models import Product

from . import sales_rate
from .models import SupplySettings
from .reports import with_main_supplier


@dataclass
class SupplierToOrder:
    supplier_id: int
    name: str
    products: list[Product] = field(default_factory=list)


@dataclass
class WeeklyDigest:
    below_minimum: list[Product]
    to_order: list[SupplierToOrder]

    @property
    def is_empty(self) -> bool:
        return not self.below_minimum and not self.to_order


def settings_or_default(organisation) -> SupplySettings:
    """The organisation's supply settings, or unsaved defaults when it has none."""
    settings = SupplySettings.objects.filter(organisation=organisation).first()
    return settings or SupplySettings(organisation=organisation)


def under_target_cover(stock: Decimal, per_day: Decimal, target_days: int) -> bool:
    """The stock lasts less than the target at that rate (a product that does not sell
    never is)."""
    return per_day > 0 and stock < per_day * target_days


def weekly_digest(*, organisation, today: date, settings: SupplySettings) -> WeeklyDigest:
    """The active shop-stock products below their minimum, and those under the target
    cover grouped by main supplier (sales measured over ``sales_period_days`` ending the
    day before ``today``, a whole day); two queries."""
    products = list(
        with_main_supplier(
            stock_reports.shop_stock_products(organisation=organisation).filter(is_active=True)
        )
    )
    start, end = sales_rate.period_ending(today - timedelta(days=1), settings.sales_period_days)
    rates = sales_rate.sales_per_day(
        organisation=organisation, start=start, end=end, products=products
    )
    suppliers: dict[int, SupplierToOrder] = {}
    for product in sorted(products, key=lambda p: (p.name, p.pk)):
        stock = product.stock_quantity or Decimal("0")
        per_day = rates.get(product.pk, sales_rate.ZERO)
        if product.main_supplier_id and under_target_cover(
            stock, per_day, settings.target_cover_days
        ):
            suppliers.setdefault(
                product.main_supplier_id,
                SupplierToOrder(product.main_supplier_id, product.main_supplier_name),
            ).products.append(product)
    return WeeklyDigest(
        below_minimum=[product for product in products if product.is_low],
        to_order=sorted(suppliers.values(), key=lambda s: (s.name, s.supplier_id)),
    )
