"""Inventory sessions (``models_inventory`` says the rules): services that start, count,
validate and cancel them, and the selectors of their pages and report."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import categories, errors, stock_reports
from . import lock_objects as locks
from .models import InventoryCount, InventorySession, Product, StockMovement
from .services import stock_movements_record, whole_pieces

CENT = Decimal("0.01")


# --- Services ---------------------------------------------------------------------------------


def inventory_start(
    *, organisation, name: str, category: str = "", show_expected: bool = False, started_by
) -> InventorySession:
    """Open a session counting the organisation's shop stock, all of it or one category."""
    if category and not categories.is_valid(category):
        raise errors.InventoryCategoryInvalid(field="category")
    return InventorySession.objects.create(
        organisation=organisation,
        name=name.strip()[:120] or _("Inventory"),
        category=category,
        show_expected=show_expected,
        started_by=started_by,
    )


@transaction.atomic
def inventory_count_record(
    *, session: InventorySession, product_id: int, quantity: Decimal, counted_by, now=None
) -> InventoryCount:
    """Record (or correct) the counted quantity of one product of the session's scope: the
    last count wins. The session's row is locked first, so a count and the validation
    take turns and no count lands in a validated session."""
    locked = locks.inventory_session_lock(
        session_id=session.pk, organisation_id=session.organisation_id
    )
    if not locked.is_open:
        raise errors.InventoryClosed()
    product = scope_products(locked).filter(pk=product_id).first()
    if product is None:
        raise errors.InventoryProductOutOfScope(field="quantity")
    quantity = Decimal(quantity)
    if quantity < 0:
        raise errors.StockNegative(field="quantity", available=quantity)
    whole_pieces(product, quantity, field="quantity")
    count, _created = InventoryCount.objects.update_or_create(
        session=locked,
        product=product,
        defaults={
            "organisation_id": locked.organisation_id,
            "quantity": quantity,
            "counted_by": counted_by,
            "counted_at": now or timezone.now(),
        },
    )
    return count


def unit_values(products) -> dict[int, Decimal]:
    """The value of one unit of stock of each product, by id: its unit cost
    (``stock_reports.unit_costs``: the main supplier's purchase price, else the selling
    price), excl. VAT, to four places."""
    return {
        pk: cost.price.quantize(Decimal("0.0001"))
        for pk, cost in stock_reports.unit_costs(products).items()
    }


@transaction.atomic
def inventory_validate(*, session: InventorySession, validated_by, now=None) -> InventorySession:
    """The shop stock of each counted product becomes its counted quantity less what drive
    orders took since it was counted (and plus what they gave back): an order placed
    between the count and the validation keeps its units. One transaction: the session's
    row, then the products' rows in primary-key order, are locked; each difference is an
    "inventory" movement naming the session. Products not counted, or no longer kept in
    shop stock, are untouched."""
    locked = locks.inventory_session_lock(
        session_id=session.pk, organisation_id=session.organisation_id
    )
    if not locked.is_open:
        raise errors.InventoryClosed()
    counts = list(locked.counts.all())
    if not counts:
        raise errors.InventoryNotCounted()
    products = locks.products_stock_lock(product_ids=[count.product_id for count in counts])
    since_count = _orders_since_counted(counts)
    values = unit_values(products.values())
    changes, changed = {}, []
    for count in counts:
        product = products[count.product_id]
        if product.stock_mode != Product.StockMode.SHOP:
            continue
        count.stock_at_validation = product.stock_quantity or Decimal("0")
        count.unit_value = values[product.pk]
        target = max(count.quantity + since_count.get(count.pk, Decimal("0")), Decimal("0"))
        if target != count.stock_at_validation:
            changes[product.pk] = target - count.stock_at_validation
            product.stock_quantity = target
            changed.append(product)
    Product.objects.bulk_update(changed, ["stock_quantity"])
    if changes:
        stock_movements_record(
            changes,
            reason=StockMovement.Reason.INVENTORY,
            organisation_id=locked.organisation_id,
            note=_("Inventory “%(name)s”") % {"name": locked.name},
            made_by=validated_by,
        )
    InventoryCount.objects.bulk_update(counts, ["stock_at_validation", "unit_value"])
    locked.state = InventorySession.State.VALIDATED
    locked.validated_by = validated_by
    locked.validated_at = now or timezone.now()
    locked.save(update_fields=["state", "validated_by", "validated_at", "updated_at"])
    return locked


ORDER_REASONS = (
    StockMovement.Reason.ORDER_PLACED,
    StockMovement.Reason.ORDER_CHANGED,
    StockMovement.Reason.ORDER_CANCELLED,
    StockMovement.Reason.ORDER_CORRECTED,
)


def _orders_since_counted(counts: list[InventoryCount]) -> dict[int, Decimal]:
    """Per count, what drive orders moved of its product after it was counted (negative:
    taken). One query; the product rows are locked, so no order moves them meanwhile."""
    first = min(count.counted_at for count in counts)
    moved = StockMovement.objects.filter(
        product_id__in=[count.product_id for count in counts],
        reason__in=ORDER_REASONS,
        created_at__gt=first,
    ).values_list("product_id", "created_at", "delta")
    by_product: dict[int, list[tuple]] = {}
    for product_id, created_at, delta in moved:
        by_product.setdefault(product_id, []).append((created_at, delta))
    return {
        count.pk: sum(
            (delta for at, delta in by_product.get(count.product_id, []) if at > count.counted_at),
            Decimal("0"),
        )
        for count in counts
    }


@transaction.atomic
def inventory_cancel(*, session: InventorySession) -> InventorySession:
    """Give up an open session: its counts stay for the record, the stock is untouched."""
    locked = locks.inventory_session_lock(
        session_id=session.pk, organisation_id=session.organisation_id
    )
    if not locked.is_open:
        raise errors.InventoryClosed()
    locked.state = InventorySession.State.CANCELLED
    locked.save(update_fields=["state", "updated_at"])
    return locked


# --- Selectors --------------------------------------------------------------------------------


def inventory_sessions(*, organisation) -> QuerySet[InventorySession]:
    return InventorySession.objects.filter(organisation=organisation).select_related(
        "started_by", "validated_by"
    )


def scope_products(session: InventorySession) -> QuerySet[Product]:
    """The products a session counts: the organisation's shop-stock products (of its
    category), active or still holding stock."""
    products = Product.objects.filter(
        organisation_id=session.organisation_id, stock_mode=Product.StockMode.SHOP
    ).filter(Q(is_active=True) | Q(stock_quantity__gt=0))
    if session.category:
        products = products.filter(category__in=categories.codes_in_family(session.category))
    return products


@dataclass
class CountingGroup:
    label: str
    products: list  # Products, each with ``.count`` (its InventoryCount or None)


def counting_groups(
    *, session: InventorySession, search: str = ""
) -> tuple[list[CountingGroup], int, int]:
    """The counting page: the scope's products grouped by category (by name inside), each
    with its count, and the progress (counted, total) over the whole scope. Three queries."""
    from .selectors import product_search_q

    counts = {
        count.product_id: count for count in session.counts.select_related("counted_by").order_by()
    }
    scope = scope_products(session)
    total = scope.count()
    products = scope.select_related("producer").order_by("category", "name", "pk")
    if search:
        products = products.filter(product_search_q(search) | Q(reference__icontains=search))
    groups: dict[str, CountingGroup] = {}
    for product in products:
        product.count = counts.get(product.pk)
        label = categories.label_of(product.category)
        groups.setdefault(product.category, CountingGroup(label, [])).products.append(product)
    return list(groups.values()), len(counts), total


@dataclass
class Difference:
    product: Product
    counted: Decimal
    stock: Decimal
    unit_value: Decimal
    counted_by: object

    @property
    def quantity(self) -> Decimal:
        return self.counted - self.stock

    @property
    def value(self) -> Decimal:
        return (self.quantity * self.unit_value).quantize(CENT, rounding=ROUND_HALF_UP)


def differences(*, session: InventorySession) -> tuple[list[Difference], Decimal]:
    """Counted − stock for each counted product, in quantity and value, with the total
    value: the stock and value kept at validation for a validated session, today's for an
    open one."""
    rows = []
    counts = session.counts.select_related("product__producer", "counted_by").order_by(
        "product__category", "product__name", "pk"
    )
    counts = list(counts)
    validated = session.state == InventorySession.State.VALIDATED
    values = {} if validated else unit_values(count.product for count in counts)
    for count in counts:
        product = count.product
        if validated:
            if count.stock_at_validation is None:
                continue  # no longer in shop stock when validated: untouched
            stock, value = count.stock_at_validation, count.unit_value
        else:
            stock, value = product.stock_quantity or Decimal("0"), values[product.pk]
        rows.append(Difference(product, count.quantity, stock, value, count.counted_by))
    return rows, sum((row.value for row in rows), Decimal("0.00"))


def report_table(*, session: InventorySession) -> tuple[list[str], list[list]]:
    """The differences as a CSV/XLSX table (``core.tables``)."""
    rows, total = differences(session=session)
    header = [
        _("Product"), _("Producer"), _("Category"), _("Counted"), _("Stock"),
        _("Difference"), _("Unit value excl. VAT"), _("Value of the difference"),
    ]  # fmt: skip
    lines = [
        [
            row.product.name,
            row.product.producer.name,
            categories.label_of(row.product.category),
            row.counted,
            row.stock,
            row.quantity,
            row.unit_value,
            row.value,
        ]  # fmt: skip
        for row in rows
    ]
    lines.append([_("Total"), "", "", "", "", "", "", total])
    return header, lines
