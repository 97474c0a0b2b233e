"""The supply team's reads of the shop stock ledger (``StockMovement``): the products' stock
against their minimum, the movements of a period, losses per category, the stock's value at
a date. Quantities are summed by the database; values are quantity × a unit cost, computed
here in Decimal (exact cents). A unit of stock is valued by one rule, ``unit_costs``: the
catalog knows only selling prices (excl. VAT), and the supply app, above it, registers the
main suppliers' purchase prices when it is installed (``cost_rule_register`` in
``SupplyConfig.ready``): the stock value, the losses and the inventories' differences then
all read the same costs.

Dates are the organisation's days: call these inside ``organisation_context`` (every page
under ``/o/<slug>/`` is), a day running from local midnight to the next.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from cabas.core.money import round_money

from . import categories
from .models import Product, StockMovement

Reason = StockMovement.Reason
LOSS_REASONS = (Reason.LOSS, Reason.BREAKAGE, Reason.EXPIRED)
ZERO = Decimal("0")


def day_start(day: date) -> datetime:
    """Local midnight starting ``day`` in the current (the organisation's) time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def price_excluding_vat(product: Product) -> Decimal:
    """The unit price excl. VAT the values use (unrounded; the value is rounded once)."""
    return Decimal(product.price) / (1 + Decimal(product.vat_rate) / 100)


class CostBasis:
    """What a unit cost is: the main supplier's purchase price or the selling price."""

    PURCHASE = "purchase"
    SELLING = "selling"


@dataclass(frozen=True)
class UnitCost:
    price: Decimal  # excl. VAT, per unit of the product, unrounded
    basis: str  # a CostBasis

    def value(self, quantity: Decimal) -> Decimal:
        return round_money(quantity * self.price)


UnitCosts = Callable[[Iterable[Product]], dict[int, UnitCost]]


def selling_price_costs(products: Iterable[Product]) -> dict[int, UnitCost]:
    """Each product's selling price excl. VAT as its unit cost (no query)."""
    return {p.pk: UnitCost(price_excluding_vat(p), CostBasis.SELLING) for p in products}


_cost_rule: list[UnitCosts] = [selling_price_costs]


def cost_rule_register(rule: UnitCosts) -> None:
    """Make ``rule`` the one way a unit of stock is valued (the supply app's purchase
    prices; called once, when the apps are ready)."""
    _cost_rule[0] = rule


def unit_costs(products: Iterable[Product]) -> dict[int, UnitCost]:
    """Each product's unit cost by id, by the registered rule."""
    return _cost_rule[0](products)


def _in_category(category: str, prefix: str = "") -> Q:
    """Products of ``category`` or, for a family, of any of its subcategories."""
    if not category:
        return Q()
    return Q(**{f"{prefix}category__in": categories.codes_in_family(category)})


# --- Products and their minimum -------------------------------------------------------------


def shop_stock_products(*, organisation, category: str = "") -> QuerySet[Product]:
    """The organisation's shop-stock products, those below their minimum first (``is_low``),
    each with the date of its last movement (``last_movement_at``); one query."""
    last = StockMovement.objects.filter(product=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Product.objects.filter(organisation=organisation, stock_mode=Product.StockMode.SHOP)
        .filter(_in_category(category))
        .select_related("producer")
        .annotate(
            last_movement_at=Subquery(last.values("created_at")[:1]),
            is_low=Case(
                When(
                    stock_minimum__isnull=False,
                    stock_quantity__lt=F("stock_minimum"),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("-is_low", "-is_active", "name", "pk")
    )


# --- Movements of a period ------------------------------------------------------------------


def movements_in_period(
    *,
    organisation,
    start: date,
    end: date,
    product_id: int | None = None,
    category: str = "",
    reason: str = "",
) -> QuerySet[StockMovement]:
    """The movements from ``start`` to ``end`` (both days included), newest first, with
    their product and author."""
    movements = StockMovement.objects.filter(
        organisation=organisation,
        created_at__gte=day_start(start),
        created_at__lt=day_start(end + timedelta(days=1)),
    )
    if product_id is not None:
        movements = movements.filter(product_id=product_id)
    if reason:
        movements = movements.filter(reason=reason)
    return (
        movements.filter(_in_category(category, "product__"))
        .select_related("product", "made_by")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class ReasonTotal:
    reason: str
    label: str
    count: int
    quantity: Decimal


def movement_totals(movements: QuerySet[StockMovement]) -> list[ReasonTotal]:
    """The movements' count and summed change per reason, in the reasons' order; one query."""
    sums = {
        row["reason"]: row
        for row in movements.order_by()
        .values("reason")
        .annotate(count=Count("pk"), quantity=Sum("delta"))
    }
    return [
        ReasonTotal(reason, str(label), sums[reason]["count"], sums[reason]["quantity"])
        for reason, label in Reason.choices
        if reason in sums
    ]


# --- Losses per category --------------------------------------------------------------------


@dataclass
class CategoryLosses:
    category: str
    label: str
    # What went out of the stock (positive numbers): losses, breakage, expired; gifts apart.
    quantities: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    values: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))

    @property
    def lost_quantity(self) -> Decimal:
        return sum((self.quantities[r] for r in LOSS_REASONS), ZERO)

    @property
    def lost_value(self) -> Decimal:
        return sum((self.values[r] for r in LOSS_REASONS), ZERO)


def losses_by_category(
    *, organisation, start: date, end: date, unit_costs: UnitCosts | None = None
) -> list[CategoryLosses]:
    """Loss, breakage, expired and gift movements of the period per category (the product's
    own category), with their value at each product's unit cost (``unit_costs``): the
    database sums the quantities per product and reason (one query), the values are
    computed per product."""
    rows = (
        movements_in_period(organisation=organisation, start=start, end=end)
        .filter(reason__in=(*LOSS_REASONS, Reason.GIFT))
        .order_by()
        .values("product_id", "reason")
        .annotate(quantity=Sum("delta"))
    )
    rows = list(rows)
    products = Product.objects.in_bulk({row["product_id"] for row in rows})
    costs = (unit_costs or _cost_rule[0])(products.values())
    by_category: dict[str, CategoryLosses] = {}
    for row in rows:
        product = products[row["product_id"]]
        losses = by_category.setdefault(
            product.category,
            CategoryLosses(product.category, categories.label_of(product.category)),
        )
        out = -row["quantity"]  # movements out of the stock are negative
        losses.quantities[row["reason"]] += out
        losses.values[row["reason"]] += costs[product.pk].value(out)
    return sorted(by_category.values(), key=lambda losses: str(losses.label))


# --- Stock value at a date ------------------------------------------------------------------


@dataclass(frozen=True)
class ProductValue:
    product: Product
    quantity: Decimal
    value: Decimal
    unit_cost: UnitCost


def stock_value_at(
    *,
    organisation,
    day: date,
    category: str = "",
    unit_costs: UnitCosts | None = None,
) -> list[ProductValue]:
    """Each shop-stock product's stock at the end of ``day`` (the sum of its movements up to
    then, one query for all products) and its value at its unit cost (``unit_costs``);
    products with no stock then are left out."""
    products = shop_stock_products(organisation=organisation, category=category).annotate(
        stock_then=Sum(
            "stock_movements__delta",
            filter=Q(stock_movements__created_at__lt=day_start(day + timedelta(days=1))),
        )
    )
    stocked = [product for product in products.order_by("name", "pk") if product.stock_then]
    costs = (unit_costs or _cost_rule[0])(stocked)
    return [
        ProductValue(
            product,
            product.stock_then,
            costs[product.pk].value(product.stock_then),
            costs[product.pk],
        )
        for product in stocked
    ]
