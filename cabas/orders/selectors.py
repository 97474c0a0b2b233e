"""Reads of the shop, baskets and orders, with their joins decided here: every list costs a
constant number of queries whatever its length."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache

from django.db import connection
from django.db.models import CharField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.catalog import categories
from cabas.catalog.models import Product
from cabas.catalog.selectors import left_label_of, product_search_q, stock_label_of
from cabas.core import rows
from cabas.orgs.models import Organisation
from cabas.orgs.selectors import organisation_by_slug
from cabas.sales.models import Pickup, Sale, SaleItem, SalesSettings, Slot
from cabas.work.models import WorkSettings

from .basket_reads import BasketRow, BasketView, basket_lines, basket_view  # noqa: F401
from .checkout_places import (  # noqa: F401
    CheckoutChoices,
    CheckoutPlace,
    CheckoutPoint,
    checkout_choices,
    place_is_bookable,
    shop_slot_rows,
    slot_is_bookable,
    usual_pickup_point_id,
)
from .models import Order, OrderLine
from .pricing import item_sold_out


def open_sales(*, organisation: Organisation, now: datetime | None = None) -> QuerySet[Sale]:
    """Sales taking orders now, the soonest cutoff first."""
    now = now or timezone.now()
    return (
        Sale.objects.filter(organisation=organisation)
        .taking_orders(now)
        .order_by("closes_at", "pk")
    )


def shop_sale(*, slug: str, sale_id: int, status: str | None = None) -> Sale | None:
    """The sale ``sale_id`` of the active organisation ``slug`` (in ``status`` when given),
    with its organisation and the organisation's shift rules and sales settings, which the
    membership check and the minimum amount read on every shop read and order: one statement,
    written once (``cabas.core.rows``: the ORM's building of this join cost more CPU than the
    database spent on it, on every API request)."""
    params: list = [sale_id, slug]
    statement = _shop_sale_statement()
    if status is not None:
        statement += " AND s.status = %s"
        params.append(status)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    if row is None:
        return None
    sale, organisation, work_settings, sales_settings = rows.instances(row, _SHOP_SALE_MODELS)
    Sale.organisation.field.set_cached_value(sale, organisation)
    Organisation.work_settings.related.set_cached_value(organisation, work_settings)
    Organisation.sales_settings.related.set_cached_value(organisation, sales_settings)
    return sale


_SHOP_SALE_MODELS = (Sale, Organisation, WorkSettings, SalesSettings)


@cache
def _shop_sale_statement() -> str:
    quote = connection.ops.quote_name
    sales, organisations, work, settings = (
        quote(model._meta.db_table) for model in _SHOP_SALE_MODELS
    )
    selected = ", ".join(
        rows.columns(model, alias) for model, alias in zip(_SHOP_SALE_MODELS, "sowm", strict=True)
    )
    return (
        f"SELECT {selected} FROM {sales} s"  # noqa: S608
        f" JOIN {organisations} o ON o.id = s.organisation_id"
        f" LEFT JOIN {work} w ON w.organisation_id = o.id"
        f" LEFT JOIN {settings} m ON m.organisation_id = o.id"
        " WHERE s.id = %s AND o.slug = %s AND o.is_active"
    )


def shop_organisation(*, slug: str) -> Organisation | None:
    """The active organisation ``slug`` with its shift rules and sales settings, as
    ``shop_sale`` gives them with a sale: one statement (``orgs.selectors.organisation_by_slug``;
    the API's changes and cancellations of orders read it first)."""
    read = organisation_by_slug(slug=slug, settings=_SHOP_SALE_MODELS[2:])
    return None if read is None else read.organisation


def shop_items(
    *,
    sale: Sale,
    search: str = "",
    category: str = "",
    producer_id: int | None = None,
    organic: bool = False,
) -> QuerySet[SaleItem]:
    """What members can order in the sale, with product and producer, by category then
    producer then name."""
    items = (
        SaleItem.objects.offered()
        .filter(sale=sale)
        .select_related("product", "product__producer")
        .order_by("product__category", "product__producer__name", "product__name", "pk")
    )
    if search:
        items = items.filter(product_search_q(search, prefix="product__"))
    if category and categories.is_valid(category):
        items = items.filter(product__category__in=categories.codes_in_family(category))
    if producer_id:
        items = items.filter(product__producer_id=producer_id)
    if organic:
        items = items.filter(Q(product__is_organic=True) | Q(product__producer__is_organic=True))
    return items


CATALOG_VALUES = (
    "pk", "quantity_available", "quantity_ordered", "product_id", "product__name",
    "product__producer__name", "product__producer__is_organic", "product__category",
    "product__unit_kind", "product__unit_label", "product__content_quantity",
    "product__content_unit", "product__content_count", "product__price", "product__price_per_kg",
    "product__estimated_weight_kg", "product__variable_weight", "product__vat_rate",
    "product__stock_mode", "product__stock_quantity", "product__min_quantity",
    "product__quantity_step", "product__is_organic",
)  # fmt: skip


def shop_item_rows(*, sale: Sale) -> list[dict]:
    """The shop's items as plain values (one query, no model objects): for the API's
    catalog, read by every shopper before ordering, where building 3 objects per product
    would be most of the cost."""
    return list(shop_items(sale=sale).values(*CATALOG_VALUES))


def item_stock_label(item: SaleItem) -> str:
    """ "3 left" / "sold out" for an item limited in this sale, else the shop stock's label."""
    product = item.product
    return stock_label_of_values(
        quantity_available=item.quantity_available, quantity_ordered=item.quantity_ordered,
        stock_mode=product.stock_mode, stock_quantity=product.stock_quantity,
        unit_kind=product.unit_kind,
    )  # fmt: skip


def stock_label_of_values(
    *,
    quantity_available: Decimal | None,
    quantity_ordered: Decimal,
    stock_mode: str,
    stock_quantity: Decimal | None,
    unit_kind: str,
) -> str:
    """``item_stock_label`` from plain values (the shop page's live columns)."""
    if quantity_available is None:
        return stock_label_of(stock_mode, stock_quantity, unit_kind)
    remaining = quantity_available - quantity_ordered
    if remaining <= 0:
        return _("sold out")
    return left_label_of(unit_kind, remaining)


# What the shop page shows of each item, as plain values: a change to any of them changes the
# page's cached product list (orders.shop_page). The counters (LIVE_VALUES) are read on each
# request and never cached.
SHOWN_VALUES = (
    "pk", "updated_at", "product_id", "product__updated_at", "product__name",
    "product__category", "product__price", "product__price_per_kg",
    "product__estimated_weight_kg", "product__variable_weight", "product__unit_kind",
    "product__unit_label", "product__content_quantity", "product__content_unit",
    "product__content_count", "product__min_quantity", "product__quantity_step",
    "product__is_organic", "product__image", "product__thumbnail", "product__producer_id",
    "product__producer__updated_at", "product__producer__name", "product__producer__is_organic",
)  # fmt: skip
LIVE_VALUES = (
    "quantity_available", "quantity_ordered", "product__stock_mode", "product__stock_quantity",
)  # fmt: skip


# Read as text: they only tell a change (in the cache's key), and turning 450 timestamps
# into datetimes was 7 % of the shop page's CPU.
_STAMPS = {"updated_at", "product__updated_at", "product__producer__updated_at"}


def shop_item_values(**filters) -> list[tuple]:
    """``shop_items`` as tuples of SHOWN_VALUES then LIVE_VALUES: one query, no objects (the
    ``updated_at`` values as text)."""
    columns = [
        Cast(name, output_field=CharField()) if name in _STAMPS else name
        for name in SHOWN_VALUES
    ]  # fmt: skip
    return list(shop_items(**filters).values_list(*columns, *LIVE_VALUES))


@dataclass
class ShopSection:
    """A family of the category tree in the shop, with its rows (the category navigation
    links to each section)."""

    code: str
    label: str
    rows: list[dict] = field(default_factory=list)


FAMILY_ORDER = {family.code: index for index, family in enumerate(categories.TREE)}


def shop_sections(items: list[SaleItem], basket: BasketView) -> list[ShopSection]:
    """The shop's items by family, in the tree's order (vegetables first), each with what the
    basket holds, its availability and whether it is sold out; no query."""
    sections: dict[str, ShopSection] = {}
    for item in items:
        family = categories.family_of(item.product.category) or categories.family_of("other")
        section = sections.get(family.code)
        if section is None:
            section = sections[family.code] = ShopSection(family.code, str(family.label))
        section.rows.append({"item": item, "in_basket": basket.quantity_of(item.pk),
                             "stock": item_stock_label(item),
                             "sold_out": item_sold_out(item)})  # fmt: skip
    return sorted(sections.values(), key=lambda section: FAMILY_ORDER[section.code])


def shop_item(*, sale: Sale, product_id: int) -> SaleItem | None:
    return shop_items(sale=sale).filter(product_id=product_id).first()


def checkout_pickups(*, sale: Sale) -> list[Pickup]:
    """The sale's pickups with their point and their slots in time order (places left are
    ``slot.remaining``)."""
    return list(
        Pickup.objects.filter(sale=sale)
        .select_related("pickup_point")
        .prefetch_related(Prefetch("slots", queryset=Slot.objects.order_by("starts_at", "pk")))
        .order_by("starts_at", "pickup_point__name", "pk")
    )


def orders_losing_product(*, sale: Sale, product: Product) -> QuerySet[Order]:
    """The orders of the sale that saying ``product`` missing changes: active, not collected
    yet, with a line of it not missing already (what ``sale_product_set_missing`` changes and
    what its confirmation counts)."""
    return Order.objects.filter(
        organisation_id=sale.organisation_id,
        sale=sale,
        lines__product=product,
        lines__is_missing=False,
    ).exclude(status__in=[Order.Status.CANCELLED, Order.Status.COLLECTED])


def orders_losing_product_count(*, sale: Sale, product: Product) -> int:
    """How many orders saying ``product`` missing would change (the confirmation's count)."""
    return orders_losing_product(sale=sale, product=product).values("pk").distinct().count()


def _orders() -> QuerySet[Order]:
    return Order.objects.select_related(
        "organisation", "sale", "user", "pickup__pickup_point", "slot"
    ).prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("product_name", "pk")))


def order_detail(*, order_id: int) -> Order:
    return _orders().get(pk=order_id)


def member_order(*, organisation: Organisation, user, code) -> Order | None:
    """One of the person's orders in the organisation, by its code (None otherwise), with
    what ``_orders`` reads with it: its sale, pickup and point, slot and lines. The order's
    row is one plain statement (the page a confirmation lands on; the ORM's building of the
    six-table join cost more CPU than the database spent on it); the organisation and the
    person are those given."""
    try:
        code = uuid.UUID(str(code))
    except ValueError:
        return None
    with connection.cursor() as cursor:
        code = Order._meta.get_field("code").get_db_prep_value(code, connection)
        cursor.execute(_member_order_statement(), [organisation.pk, user.pk, code])
        row = cursor.fetchone()
    if row is None:
        return None
    order, sale, pickup, point, slot = rows.instances(row, _MEMBER_ORDER_MODELS)
    sale.organisation = organisation
    pickup.pickup_point = point
    order.organisation, order.user, order.sale, order.pickup, order.slot = (
        organisation, user, sale, pickup, slot,
    )  # fmt: skip
    lines = order.lines.order_by("product_name", "pk")
    list(lines)  # read now, kept as the prefetch of _orders keeps it
    order._prefetched_objects_cache = {"lines": lines}
    return order


_MEMBER_ORDER_MODELS = (
    Order,
    Sale,
    Pickup,
    Pickup._meta.get_field("pickup_point").related_model,
    Slot,
)


@cache
def _member_order_statement() -> str:
    # The tables by their own names, as the ORM writes them (its readers and the tests that
    # count the reads of the order tell this one by them).
    orders, sales, pickups, points, slots = tables = [
        connection.ops.quote_name(model._meta.db_table) for model in _MEMBER_ORDER_MODELS
    ]
    selected = ", ".join(
        rows.columns(model, table)
        for model, table in zip(_MEMBER_ORDER_MODELS, tables, strict=True)
    )
    return (
        f"SELECT {selected} FROM {orders}"  # noqa: S608
        f" JOIN {sales} ON {sales}.id = {orders}.sale_id"
        f" JOIN {pickups} ON {pickups}.id = {orders}.pickup_id"
        f" JOIN {points} ON {points}.id = {pickups}.pickup_point_id"
        f" LEFT JOIN {slots} ON {slots}.id = {orders}.slot_id"
        f" WHERE {orders}.organisation_id = %s AND {orders}.user_id = %s AND {orders}.code = %s"
    )


def member_orders(*, organisation: Organisation, user) -> QuerySet[Order]:
    """The person's orders in the organisation, the latest sale first."""
    return (
        _orders().filter(organisation=organisation, user=user).order_by("-sale__closes_at", "-pk")
    )


def current_orders(*, organisation: Organisation, user, now: datetime) -> list[Order]:
    """The person's orders still to collect (placed, being picked or ready, pickup not over
    yet), the soonest pickup first, with the sale, the pickup's point and the slot."""
    return list(
        Order.objects.filter(
            organisation=organisation,
            user=user,
            status__in=[Order.Status.PLACED, Order.Status.PICKING, Order.Status.READY],
            pickup__ends_at__gt=now,
        )
        .select_related("sale", "pickup__pickup_point", "slot")
        .order_by("pickup__starts_at", "slot__starts_at", "pk")
    )


def order_of_form(*, user, token: str) -> Order | None:
    """The order a checkout form (its one-time token) already placed, if any."""
    if not token:
        return None
    return Order.objects.filter(user=user, idempotency_key=f"web-{token[:70]}").first()


def active_order(*, sale: Sale, user) -> Order | None:
    if not user.is_authenticated:
        return None
    return Order.objects.active().filter(sale=sale, user=user).first()


def shop_orders(*, sale: Sale, user) -> tuple[Order | None, Order | None]:
    """What the shop page tells a member about their orders: their active order of this sale
    (``active_order``), else their latest of another sale (``last_order``); one plain
    statement, the shop's orders being read on every visit."""
    if not user.is_authenticated:
        return None, None
    with connection.cursor() as cursor:
        params = [sale.organisation_id, user.pk, *Order.active_sql("o")[1], sale.pk]
        cursor.execute(_shop_orders_statement(), params)
        row = cursor.fetchone()
    if row is None:
        return None, None
    order = rows.instances(row, (Order,))[0]
    return (order, None) if order.sale_id == sale.pk else (None, order)


@cache
def _shop_orders_statement() -> str:
    orders, sales = (connection.ops.quote_name(model._meta.db_table) for model in (Order, Sale))
    active = Order.active_sql("o")[0]
    return (
        f"SELECT {rows.columns(Order, 'o')} FROM {orders} o"  # noqa: S608
        f" JOIN {sales} s ON s.id = o.sale_id"
        f" WHERE o.organisation_id = %s AND o.user_id = %s AND {active}"
        " ORDER BY CASE WHEN o.sale_id = %s THEN 0 ELSE 1 END, s.closes_at DESC, o.id DESC"
        " LIMIT 1"
    )


def last_order(*, organisation: Organisation, user, before_sale: Sale) -> Order | None:
    """The member's latest order of another sale (for "order the same again")."""
    return Order.objects.latest_elsewhere(
        organisation_id=organisation.pk, user=user, sale=before_sale
    ).first()


def pickup_orders(*, pickup: Pickup) -> QuerySet[Order]:
    """A pickup's active orders, by slot then name, with the member and the slot."""
    return (
        Order.objects.active()
        .filter(pickup=pickup)
        .select_related("user", "slot")
        .order_by("slot__starts_at", "user__last_name", "user__first_name", "number")
    )


def move_place_of(order: Order) -> str:
    """An order's current place as a value of ``move_choices`` ("pickup-slot")."""
    return f"{order.pickup_id}-{order.slot_id or 0}"


def move_choices(*, sale: Sale) -> list[tuple[str, str]]:
    """Every place of the sale an order can be moved to, as ("pickup-slot", label)."""
    choices = []
    for pickup in checkout_pickups(sale=sale):
        day = timezone.localtime(pickup.starts_at)
        base = f"{pickup.pickup_point.name} — {day:%d/%m}"
        if pickup.has_slots:
            for slot in pickup.slots.all():
                start = timezone.localtime(slot.starts_at)
                label = f"{base} {start:%H:%M} ({slot.booked}/{slot.capacity})"
                choices.append((f"{pickup.pk}-{slot.pk}", label))
        else:
            choices.append((f"{pickup.pk}-0", f"{base} {day:%H:%M}"))
    return choices
