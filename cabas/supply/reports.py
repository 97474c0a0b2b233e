"""The supply team's reads of the shop stock that need the suppliers: the stock's value at
purchase price (``catalog.stock_reports`` sums the quantities, ``costs`` prices them) and
the days of cover (``sales_rate``). Call inside ``organisation_context``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from cabas.catalog import stock_reports
from cabas.catalog.models import Product

from . import sales_rate
from .costs import purchase_costs
from .models import SupplierItem


def stock_value_at(*, organisation, day: date, category: str = ""):
    """``catalog.stock_reports.stock_value_at`` at purchase price (``costs``)."""
    return stock_reports.stock_value_at(
        organisation=organisation, day=day, category=category, unit_costs=purchase_costs
    )


def losses_by_category(*, organisation, start: date, end: date):
    """``catalog.stock_reports.losses_by_category`` at purchase price (``costs``)."""
    return stock_reports.losses_by_category(
        organisation=organisation, start=start, end=end, unit_costs=purchase_costs
    )


def with_main_supplier(products):
    """Products annotated with their main supplier's id and name (``main_supplier_id``,
    ``main_supplier_name``; None without one), in the same query."""
    main = SupplierItem.objects.filter(product=OuterRef("pk"), is_main=True)
    return products.annotate(
        main_supplier_id=Subquery(main.values("supplier_id")[:1]),
        main_supplier_name=Subquery(main.values("supplier__name")[:1]),
    )


@dataclass(frozen=True)
class Cover:
    product: Product
    per_day: Decimal  # units sold per day over the period
    days: Decimal | None  # days the stock lasts; None when the product does not sell

    @property
    def stock(self) -> Decimal:
        return self.product.stock_quantity or Decimal("0")


def cover(*, organisation, start: date, end: date, category: str = "") -> list[Cover]:
    """Each shop-stock product's stock, sales per day over ``start``…``end`` and days of
    cover, those below their minimum first, then the shortest cover; two queries."""
    products = list(
        with_main_supplier(
            stock_reports.shop_stock_products(organisation=organisation, category=category)
        )
    )
    rates = sales_rate.sales_per_day(
        organisation=organisation, start=start, end=end, products=products
    )
    rows = []
    for product in products:
        per_day = rates.get(product.pk, sales_rate.ZERO)
        stock = product.stock_quantity or Decimal("0")
        rows.append(Cover(product, per_day, sales_rate.days_of_cover(stock, per_day)))
    never = Decimal("Infinity")
    rows.sort(key=lambda row: (not row.product.is_low, row.days if row.days is not None else never))
    return rows
