"""Every write of orders and baskets.

Placing, changing and cancelling an order is one transaction each, in this order:
check the input without any lock (the membership, products of the sale, quantity rules and
what the items' read still has, pickup and slot, the minimum amount), then take the sale's
share lock and check the cutoff with the server's clock; write the order (one active order
per member and sale is the database's unique constraint) and its lines; then change the
counters that hold the limits — pickup, slot, sale items by primary key, the order number —
with conditional UPDATEs, last, so the rows everyone shares stay locked only for the end of
the transaction. That is the global lock order (``cabas.core.lock_order``): sale (share) →
the order → pickup → slot → sale items by pk → shop stock by pk → the order counter.
Any refusal rolls the whole transaction back: nothing is half-written.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.catalog import errors as catalog_errors
from cabas.catalog import services as catalog_services
from cabas.catalog.models import Product
from cabas.core.db import FOREIGN_KEY, POSITIVE, violated_constraint
from cabas.core.errors import DomainError
from cabas.core.money import ZERO, format_quantity, round_money
from cabas.notifications.services import outbox_message_record
from cabas.orgs.models import Organisation
from cabas.sales import errors as sales_errors
from cabas.sales import lock_objects as sales_locks
from cabas.sales import selectors as sales_selectors
from cabas.sales import services as sales_services
from cabas.sales.models import Pickup, Sale, SaleItem, Slot

from . import errors
from . import lock_objects as locks
from .models import Basket, BasketLine, Order, OrderEvent, OrderLine, SaleOrderCounter

User = get_user_model()
# Builds the member's e-mail about an order when the outbox sends it (in their language).
ORDER_EMAIL_RENDERER = "cabas.orders.notifications.order_email_message"

# --- Rules shared by the basket and the order -----------------------------------------------


def quantity_check(product: Product, quantity: Decimal) -> None:
    """Pieces are whole numbers; by weight or volume, multiples of the product's step; never
    below its minimum."""
    name = product.name
    if quantity <= 0:
        raise errors.QuantityInvalid(product=name, reason=_("enter a quantity above zero."))
    if product.unit_kind == Product.UnitKind.PIECE or product.variable_weight:
        if quantity != quantity.to_integral_value():
            raise errors.QuantityInvalid(
                product=name, reason=_("sold per piece, in whole numbers.")
            )
    if quantity < product.min_quantity:
        raise errors.QuantityInvalid(
            product=name,
            reason=_("at least %(min)s.") % {"min": format_quantity(product.min_quantity)},
        )
    if product.quantity_step and quantity % product.quantity_step != 0:
        raise errors.QuantityInvalid(
            product=name,
            reason=_("in steps of %(step)s.") % {"step": format_quantity(product.quantity_step)},
        )


def unit_price(product: Product) -> Decimal:
    """The price of one unit now: a variable-weight piece is estimated from its price per kg."""
    if product.variable_weight and product.price_per_kg and product.estimated_weight_kg:
        return round_money(product.price_per_kg * product.estimated_weight_kg)
    return product.price


def line_amount(price: Decimal, quantity: Decimal) -> Decimal:
    return round_money(price * quantity)


# A quantity as a person types it (or a client sends it as text): at most 7 digits before the
# decimal point (a dot or a comma) and 3 after; the API's schema states the same bounds.
QUANTITY_TEXT = re.compile(r"^[0-9]{1,7}([.,][0-9]{1,3})?$")


def parse_quantity(text) -> Decimal:
    """A quantity typed by a person or sent by a client ("1,5" is 1.5); anything else ("1e400",
    "-1", forty digits) is refused with the same message."""
    cleaned = str(text).strip()
    if not QUANTITY_TEXT.match(cleaned):
        raise errors.InvalidOrder(_("“%(text)s” is not a quantity.") % {"text": cleaned[:20]})
    return Decimal(cleaned.replace(",", "."))


def member_check(*, user, organisation: Organisation) -> None:
    """Members-only organisations take orders from active members only, whose membership
    fee, when there is one, is paid for the current year."""
    if not organisation.members_only:
        return
    from cabas.money import selectors as money_selectors

    status = money_selectors.member_status(organisation=organisation, user=user)
    if status is None:
        raise errors.NotAMember()
    if status != money_selectors.MEMBERSHIP_ACTIVE:
        raise errors.MembershipNotPaid()


# --- Checking an order before any lock -------------------------------------------------------


@dataclass
class _Checked:
    sale: Sale
    pickup: Pickup
    slot: Slot | None
    items: dict[int, SaleItem]  # by sale item id
    quantities: dict[int, Decimal]  # by sale item id
    total: Decimal


def _check_request(
    *,
    sale: Sale,
    pickup_id,
    slot_id,
    lines: Iterable[tuple[int, Decimal]],
    allowed_item_ids: Iterable[int] = (),
    check_minimum: bool = True,
    check_stock: bool = False,
) -> _Checked:
    """Products of this sale, offered, in quantities they take (with ``check_stock``, still
    left in what this read sees); a pickup of this sale and a slot of that pickup; the minimum
    amount. Read-only, no lock."""
    wanted: dict[int, Decimal] = {}
    for product_id, quantity in lines:
        if not isinstance(product_id, int):
            raise errors.ProductNotInSale(field="lines")
        wanted[product_id] = wanted.get(product_id, ZERO) + Decimal(quantity)
    if not wanted:
        raise errors.EmptyOrder(field="lines")
    items = {
        item.product_id: item
        for item in SaleItem.objects.filter(sale=sale, product_id__in=wanted)
        .select_related("product")
        .only(*_CHECKED_ITEM_FIELDS)
    }
    allowed = set(allowed_item_ids)
    quantities: dict[int, Decimal] = {}
    by_item: dict[int, SaleItem] = {}
    total = ZERO
    for product_id, quantity in wanted.items():
        item = items.get(product_id)
        if item is None:
            raise errors.ProductNotInSale(field="lines")
        offered = not (item.is_excluded or item.is_unavailable) and item.product.is_active
        if not offered and item.pk not in allowed:
            raise errors.ProductUnavailable(field="lines", product=item.product.name)
        quantity_check(item.product, quantity)
        quantities[item.pk] = quantity
        by_item[item.pk] = item
        total += line_amount(unit_price(item.product), quantity)
    if check_stock:
        _check_stock_read(by_item, quantities)
    pickup, slot = _place_of(sale, pickup_id, slot_id)
    if check_minimum:
        _check_minimum(sale, total)
    return _Checked(sale, pickup, slot, by_item, quantities, total)


# What checking and writing an order reads of a sale item and its product.
_CHECKED_ITEM_FIELDS = (
    "sale_id", "product_id", "is_excluded", "is_unavailable", "quantity_available",
    "quantity_ordered", "product__name", "product__producer_id", "product__unit_kind",
    "product__unit_label", "product__price", "product__vat_rate", "product__variable_weight",
    "product__price_per_kg", "product__estimated_weight_kg", "product__min_quantity",
    "product__quantity_step", "product__is_active", "product__stock_mode",
)  # fmt: skip


def _place_of(sale: Sale, pickup_id, slot_id) -> tuple[Pickup, Slot | None]:
    """A pickup of the sale (with its point) and, when it has slots, one of its slots: one
    query when both are right."""
    if pickup_id and slot_id:
        slot = (
            Slot.objects.filter(pk=slot_id, pickup_id=pickup_id, pickup__sale=sale)
            .select_related("pickup__pickup_point")
            .first()
        )
        if slot is not None and slot.pickup.has_slots:
            return slot.pickup, slot
    pickup = (
        Pickup.objects.filter(pk=pickup_id, sale=sale).select_related("pickup_point").first()
        if pickup_id
        else None
    )
    if pickup is None:
        raise errors.PickupInvalid(field="pickup")
    if not pickup.has_slots:
        return pickup, None
    if not slot_id:
        raise errors.SlotRequired(field="slot")
    raise errors.SlotInvalid(field="slot")


def _check_minimum(sale: Sale, total: Decimal) -> None:
    minimum = sales_selectors.sale_minimum_order_amount(sale=sale)
    if total < minimum:
        raise errors.BelowMinimum(
            field="lines", minimum=round_money(minimum), total=round_money(total)
        )


def _check_stock_read(items: dict[int, SaleItem], quantities: dict[int, Decimal]) -> None:
    """Refuse at once a quantity the sale items read above no longer have: when a product is
    sold out, most orders asking for it are refused here, without a transaction. What this
    read allows is counted for real, under the conditional UPDATEs, when the order is
    written."""
    for item_id, quantity in quantities.items():
        left = items[item_id].quantity_remaining
        if left is not None and quantity > left:
            raise errors.OutOfStock(
                field="lines",
                product=items[item_id].product.name,
                left=format_quantity(max(left, ZERO)),
                item_id=item_id,
            )


def _sale_takes_orders(sale_id: int, now: datetime | None) -> tuple[Sale, datetime]:
    """Share-lock the sale, then read the clock: the cutoff is checked against the time the
    write really happens."""
    sale = sales_locks.sale_share_lock(sale_id=sale_id)
    now = now or timezone.now()
    if not sale.takes_orders(now):
        raise errors.SaleClosed()
    return sale, now


def _check_lead_time(pickup: Pickup, slot: Slot | None, now: datetime) -> None:
    if slot is not None and not slot.is_open:
        raise errors.SlotFull(field="slot")
    if not pickup.bookable_at(now, slot.starts_at if slot else None):
        raise errors.SlotTooLate(field="slot")


def _book(pickup: Pickup, slot: Slot | None) -> None:
    try:
        sales_services.booking_take(pickup=pickup, slot=slot)
    except (sales_errors.SlotFull, sales_errors.PickupFull) as exc:
        raise errors.SlotFull(field="slot") from exc


def _count(changes: dict[int, Decimal], items: dict[int, SaleItem]) -> None:
    """Count the quantities in the sale (``{sale_item_id: ±q}``), then in the shop stock for
    products kept in it. ``items`` gives each sale item's product."""
    changes = {item_id: delta for item_id, delta in changes.items() if delta}
    try:
        sales_services.sale_items_count(changes=changes)
    except sales_errors.SoldOut as exc:
        left = exc.params["left"]
        raise errors.OutOfStock(
            field="lines",
            product=exc.params["product"],
            left=format_quantity(max(left, ZERO)) if left is not None else "0",
            item_id=exc.params["item_id"],
        ) from exc
    shop = {
        items[item_id].product_id: delta
        for item_id, delta in changes.items()
        if items[item_id].product.stock_mode == Product.StockMode.SHOP
    }
    try:
        catalog_services.shop_stock_take(changes=shop)
    except catalog_errors.StockNegative as exc:
        raise errors.OutOfStock(
            field="lines",
            product=exc.params["product"],
            left=format_quantity(max(exc.params["available"] or ZERO, ZERO)),
        ) from exc


def _number_order(order: Order) -> int:
    """Give the order the sale's next number. On PostgreSQL one statement takes the number
    and writes it on the order, so the counter row — which every order of the sale updates
    — stays locked for that statement and the COMMIT only."""
    if connection.vendor == "postgresql":
        counter = connection.ops.quote_name(SaleOrderCounter._meta.db_table)
        orders = connection.ops.quote_name(Order._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH taken AS (UPDATE {counter} SET last_number = last_number + 1"  # noqa: S608
                f" WHERE sale_id = %s RETURNING last_number)"
                f" UPDATE {orders} SET number = taken.last_number FROM taken"
                f" WHERE {orders}.id = %s RETURNING {orders}.number",
                [order.sale_id, order.pk],
            )
            row = cursor.fetchone()
        if row is not None:
            return row[0]
    number = _next_number(order.sale_id)  # the sale's first order, or SQLite
    Order.objects.filter(pk=order.pk).update(number=number)
    return number


def _next_number(sale_id: int) -> int:
    """The sale's next order number (the counter row is created once, then incremented)."""
    if not SaleOrderCounter.objects.filter(sale_id=sale_id).update(
        last_number=F("last_number") + 1
    ):
        SaleOrderCounter.objects.bulk_create(
            [SaleOrderCounter(sale_id=sale_id, last_number=0)], ignore_conflicts=True
        )
        SaleOrderCounter.objects.filter(sale_id=sale_id).update(last_number=F("last_number") + 1)
    return SaleOrderCounter.objects.values_list("last_number", flat=True).get(sale_id=sale_id)


def order_line_build(order: Order, item: SaleItem, quantity: Decimal) -> OrderLine:
    """A new line with the product's name, price and VAT rate of now (not saved)."""
    product = item.product
    price = unit_price(product)
    return OrderLine(
        organisation_id=order.organisation_id,
        order=order,
        sale_item=item,
        product=product,
        producer_id=product.producer_id,
        product_name=product.name,
        unit_label=product.unit_label,
        unit_kind=product.unit_kind,
        quantity=quantity,
        unit_price=price,
        vat_rate=product.vat_rate,
        variable_weight=product.variable_weight,
        price_per_kg=product.price_per_kg if product.variable_weight else None,
        estimated_weight_kg=product.estimated_weight_kg if product.variable_weight else None,
        amount=line_amount(price, quantity),
    )


def _notify(order: Order, event: str) -> None:
    """Record the member's e-mail about this change of the order in the outbox, in the
    transaction of the change: it is sent after the commit, and once, whatever dies when."""
    if Order.user.is_cached(order):
        email = order.user.email
    else:
        email = User.objects.filter(pk=order.user_id).values_list("email", flat=True).first()
    if not email:
        return
    # An order is placed once; it may be changed, moved (and cancelled) several times.
    key = f"order:{order.pk}:{event}"
    if event != "placed":
        key += f":{uuid.uuid4().hex}"
    outbox_message_record(
        key=key,
        to=email,
        organisation_id=order.organisation_id,
        renderer=ORDER_EMAIL_RENDERER,
        params={"order_id": order.pk, "event": event},
    )


# --- Orders ----------------------------------------------------------------------------------


def order_place(
    *,
    user,
    sale: Sale,
    pickup_id,
    slot_id,
    lines: Iterable[tuple[int, Decimal]],
    note: str = "",
    idempotency_key: str = "",
    now: datetime | None = None,
    notify: bool = True,
) -> Order:
    """Place ``user``'s order in ``sale``: lines of (product id, quantity), a pickup and its
    slot. All or nothing; a repeated ``idempotency_key`` returns the order it placed first
    (with ``order.replayed`` set). A new order carries its new lines as
    ``order.placed_lines`` (its pickup point and slot are loaded too).
    ``notify=False`` sends no e-mail (demo data, imports)."""
    idempotency_key = (idempotency_key or "")[:80]
    member_check(user=user, organisation=sale.organisation)
    if idempotency_key:
        previous = _order_of_key(user, idempotency_key)
        if previous is not None:
            previous.replayed = True
            return previous
    checked = _check_request(
        sale=sale, pickup_id=pickup_id, slot_id=slot_id, lines=lines, check_stock=True
    )
    try:
        with transaction.atomic():
            order = _order_place_locked(user, checked, note, idempotency_key, now, notify)
    except IntegrityError as exc:
        refusal = constraint_refusal(exc)
        # Another request of this person got there first: the same key (a double submit)
        # gets the order it placed; any other constraint says what it protects.
        if isinstance(refusal, errors.AlreadyOrdered | errors.OrderConflict) and idempotency_key:
            previous = _order_of_key(user, idempotency_key)
            if previous is not None:
                previous.replayed = True
                return previous
        raise refusal from exc
    order.replayed = False
    return order


# What each database constraint an order's write can break means for the member (by the
# constraint's name in the models' Meta.constraints). The services check all of these before
# writing; the constraints are the backstop under races, and each refusal says its own reason.
CONSTRAINT_ERRORS: dict[str, type[DomainError]] = {
    "order_one_active_per_member_and_sale": errors.AlreadyOrdered,
    "order_idempotency_key_unique": errors.OrderConflict,  # a double submit: replayed above
    "order_number_unique": errors.OrderConflict,
    "order_total_not_negative": errors.LinesInvalid,
    "orderline_unique_item": errors.OrderConflict,
    "orderline_quantity_positive": errors.LinesInvalid,
    "orderline_amount_not_negative": errors.LinesInvalid,
    "slot_booked_within_capacity": errors.PlaceFull,
    "slot_booked_not_negative": errors.OrderConflict,
    "pickup_booked_within_capacity": errors.PlaceFull,
    "pickup_booked_not_negative": errors.OrderConflict,
    "saleitem_ordered_within_available": errors.ItemSoldOut,
    "saleitem_ordered_not_negative": errors.OrderConflict,
    "product_stock_not_negative": errors.ItemSoldOut,
    FOREIGN_KEY: errors.SomethingRemoved,
    # Counters are positive columns too (their own unnamed checks).
    POSITIVE + "booked": errors.OrderConflict,
    POSITIVE + "number": errors.OrderConflict,
    POSITIVE + "last_number": errors.OrderConflict,
}
# The models an order's write touches (SQLite names a unique constraint by its columns).
_WRITTEN_MODELS = (Order, OrderLine, OrderEvent, SaleOrderCounter, Slot, Pickup, SaleItem, Product)


def constraint_refusal(exc: IntegrityError) -> DomainError:
    """The member's reason for a constraint an order's write broke. A constraint missing
    from CONSTRAINT_ERRORS is a bug: it is raised as it is."""
    name = violated_constraint(exc, _WRITTEN_MODELS)
    if name not in CONSTRAINT_ERRORS:
        raise exc
    refusal = CONSTRAINT_ERRORS[name]
    return refusal(field=_REFUSAL_FIELDS.get(refusal))


_REFUSAL_FIELDS = {
    errors.ItemSoldOut: "lines",
    errors.LinesInvalid: "lines",
    errors.PlaceFull: "slot",
}


def _constraint_refusals(service):
    """Around a service that changes an order: a broken constraint (rolled back with the
    service's transaction) is told as its own domain error."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except IntegrityError as exc:
            raise constraint_refusal(exc) from exc

    return wrapper


def _order_of_key(user, idempotency_key: str) -> Order | None:
    # (user, key) is unique: no ordering needed.
    return Order.objects.filter(user=user, idempotency_key=idempotency_key).order_by("pk").first()


def _order_place_locked(user, checked: _Checked, note, idempotency_key, now, notify) -> Order:
    sale, now = _sale_takes_orders(checked.sale.pk, now)
    _check_lead_time(checked.pickup, checked.slot, now)
    # One active order per member and sale: the INSERT below fails on the database's unique
    # constraint (IntegrityError, told as AlreadyOrdered by constraint_refusal), without a
    # read first.
    order = Order.objects.create(
        organisation_id=sale.organisation_id,
        sale=sale,
        user=user,
        number=None,  # set below, last: the counter is the most shared row
        pickup=checked.pickup,
        slot=checked.slot,
        note=note[:2000],
        total=checked.total,
        idempotency_key=idempotency_key,
    )
    lines = OrderLine.objects.bulk_create(
        [
            order_line_build(order, checked.items[item_id], q)
            for item_id, q in checked.quantities.items()
        ]
    )
    order.placed_lines = lines
    OrderEvent.objects.create(
        organisation_id=order.organisation_id, order=order, kind=OrderEvent.Kind.PLACED, by=user
    )
    _book(checked.pickup, checked.slot)
    _count(checked.quantities, checked.items)
    order.number = _number_order(order)
    if notify:
        _notify(order, "placed")
    return order


def _editable(order: Order, now: datetime | None) -> tuple[Order, datetime]:
    """Lock the sale (share) then the order; a cancelled order or a closed sale is refused."""
    _sale, now = _sale_takes_orders(order.sale_id, now)
    order = locks.order_lock(order_id=order.pk, related=("sale__organisation",))
    if order.status not in Order.OPEN_STATUSES:
        raise errors.OrderNotEditable()
    return order, now


@_constraint_refusals
@transaction.atomic
def order_change(
    *,
    order: Order,
    lines: Iterable[tuple[int, Decimal]],
    pickup_id,
    slot_id,
    note: str | None = None,
    now: datetime | None = None,
) -> Order:
    """Until the cutoff, the member changes quantities, lines, pickup or slot: the new
    quantities and place are taken, the old ones given back, all or nothing."""
    previous_items = set(order.lines.values_list("sale_item_id", flat=True))
    checked = _check_request(
        sale=order.sale,
        pickup_id=pickup_id,
        slot_id=slot_id,
        lines=lines,
        allowed_item_ids=previous_items,  # kept lines stay even if no longer offered
        check_minimum=False,  # checked below, on the kept lines' frozen prices
    )
    order, now = _editable(order, now)
    old_lines = {
        line.sale_item_id: line for line in order.lines.select_related("sale_item__product")
    }
    moved = (order.pickup_id, order.slot_id) != (
        checked.pickup.pk,
        getattr(checked.slot, "pk", None),
    )
    if moved:
        _check_lead_time(checked.pickup, checked.slot, now)
    changes = {
        item_id: checked.quantities.get(item_id, ZERO)
        - (old_lines[item_id].quantity if item_id in old_lines else ZERO)
        for item_id in set(old_lines) | set(checked.quantities)
    }
    # Lines: kept lines keep their frozen price; new lines take today's.
    OrderLine.objects.filter(order=order).exclude(sale_item_id__in=checked.quantities).delete()
    total = ZERO
    for item_id, quantity in checked.quantities.items():
        line = old_lines.get(item_id)
        if line is None:
            line = order_line_build(order, checked.items[item_id], quantity)
            line.save()
        elif line.quantity != quantity:
            line.quantity = quantity
            line.amount = line_amount(line.unit_price, quantity)
            line.save(update_fields=["quantity", "amount", "updated_at"])
        total += line.amount
    _check_minimum(order.sale, total)
    if moved:
        _move(order, checked.pickup, checked.slot)
    items = {**{line.sale_item_id: line.sale_item for line in old_lines.values()}, **checked.items}
    _count(changes, items)
    order.total = total
    order.pickup, order.slot = checked.pickup, checked.slot
    if note is not None:
        order.note = note[:2000]
    order.save(update_fields=["total", "pickup", "slot", "note", "updated_at"])
    OrderEvent.objects.create(
        organisation_id=order.organisation_id,
        order=order,
        kind=OrderEvent.Kind.CHANGED,
        by_id=order.user_id,  # the member (no need to load them)
        detail={
            "before": {str(k): str(v.quantity) for k, v in old_lines.items()},
            "after": {str(k): str(v) for k, v in checked.quantities.items()},
        },
    )
    _notify(order, "changed")
    return order


def _move(order: Order, pickup: Pickup, slot: Slot | None) -> None:
    """Take the new place and give back the old one (pickups, then slots, by primary key)."""
    try:
        sales_services.booking_switch(
            from_pickup=Pickup.objects.get(pk=order.pickup_id),
            from_slot=Slot.objects.get(pk=order.slot_id) if order.slot_id else None,
            to_pickup=pickup,
            to_slot=slot,
        )
    except (sales_errors.SlotFull, sales_errors.PickupFull) as exc:
        raise errors.SlotFull(field="slot") from exc


@transaction.atomic
def order_move(*, order: Order, pickup_id, slot_id, by=None) -> Order:
    """A coordinator moves an order to another pickup or slot of its sale, at any time before
    distribution (the target's capacity applies, the cutoff and lead time do not); the member
    is told by e-mail."""
    pickup = Pickup.objects.filter(pk=pickup_id, sale_id=order.sale_id).first()
    if pickup is None:
        raise errors.PickupInvalid(field="pickup")
    slot = None
    if pickup.has_slots:
        slot = Slot.objects.filter(pk=slot_id, pickup=pickup).first() if slot_id else None
        if slot is None:
            raise errors.SlotRequired(field="slot") if not slot_id else errors.SlotInvalid()
    # The global lock order: the sale (FOR UPDATE: members' changes wait), then the order,
    # then the pickups and slots (booking_move).
    sales_locks.sale_lock(sale_id=order.sale_id)
    order = locks.order_lock(order_id=order.pk)
    if not order.is_active:
        raise errors.OrderNotFound()
    try:
        sales_services.booking_move(
            from_pickup_id=order.pickup_id,
            from_slot_id=order.slot_id,
            to_pickup_id=pickup.pk,
            to_slot_id=slot.pk if slot else None,
        )
    except (sales_errors.SlotFull, sales_errors.PickupFull, sales_errors.SlotClosed) as exc:
        raise errors.SlotFull(field="slot") from exc
    if (order.pickup_id, order.slot_id) != (pickup.pk, getattr(slot, "pk", None)):
        before = {"pickup": order.pickup_id, "slot": order.slot_id}
        order.pickup, order.slot = pickup, slot
        order.save(update_fields=["pickup", "slot", "updated_at"])
        OrderEvent.objects.create(
            organisation_id=order.organisation_id, order=order, kind=OrderEvent.Kind.MOVED,
            by=by, detail={"before": before, "after": {"pickup": pickup.pk,
                                                      "slot": getattr(slot, "pk", None)}},
        )  # fmt: skip
        _notify(order, "moved")
    return order


@_constraint_refusals
@transaction.atomic
def order_cancel(*, order: Order, now: datetime | None = None) -> Order:
    """Until the cutoff, the member cancels: the place and the quantities are given back."""
    order, now = _editable(order, now)
    sales_services.booking_give_back(
        pickup=Pickup.objects.get(pk=order.pickup_id),
        slot=Slot.objects.get(pk=order.slot_id) if order.slot_id else None,
    )
    lines = list(order.lines.select_related("sale_item__product"))
    _count(
        {line.sale_item_id: -line.quantity for line in lines},
        {line.sale_item_id: line.sale_item for line in lines},
    )
    order.status = Order.Status.CANCELLED
    order.cancelled_at = now
    order.save(update_fields=["status", "cancelled_at", "updated_at"])
    OrderEvent.objects.create(
        organisation_id=order.organisation_id,
        order=order,
        kind=OrderEvent.Kind.CANCELLED,
        by_id=order.user_id,  # the member (no need to load them)
    )
    Basket.objects.filter(order=order).delete()
    _notify(order, "cancelled")
    return order


# --- Baskets ---------------------------------------------------------------------------------


def basket_for(*, sale: Sale, user=None, session_key: str = "", create: bool = False):
    """The person's basket for the sale (the member's on any device, or the visitor's)."""
    owner = {"user": user} if user is not None else {"user": None, "session_key": session_key}
    if user is None and not session_key:
        return None
    basket = Basket.objects.filter(sale=sale, **owner).first()
    if basket is None and create:
        basket, _created = Basket.objects.get_or_create(
            sale=sale, **owner, defaults={"organisation_id": sale.organisation_id}
        )
    return basket


@transaction.atomic
def basket_set_quantity(
    *, sale: Sale, product_id: int, quantity: Decimal, user=None, session_key: str = ""
) -> Basket:
    """Put ``quantity`` of a product in the basket (0 removes it). The product's rules apply
    now; availability is checked again, for real, when the order is placed."""
    if not sale.takes_orders(timezone.now()):
        raise errors.SaleClosed()
    item = (
        SaleItem.objects.filter(sale=sale, product_id=product_id).select_related("product").first()
    )
    if item is None:
        raise errors.ProductNotInSale(field="product")
    basket = basket_for(sale=sale, user=user, session_key=session_key, create=True)
    if quantity == 0:
        BasketLine.objects.filter(basket=basket, sale_item=item).delete()
    else:
        kept = basket.order_id and basket.order.lines.filter(sale_item=item).exists()
        offered = not (item.is_excluded or item.is_unavailable) and item.product.is_active
        if not offered and not kept:
            raise errors.ProductUnavailable(field="product", product=item.product.name)
        quantity_check(item.product, quantity)
        # What the order being changed already holds is its own: only the difference counts.
        already = ZERO
        if basket.order_id:
            already = (
                basket.order.lines.filter(sale_item=item).values_list("quantity", flat=True).first()
                or ZERO
            )
        product = item.product
        limits = [item.quantity_remaining]
        if product.stock_mode == Product.StockMode.SHOP:
            limits.append(product.stock_quantity or ZERO)
        for left in limits:
            if left is not None and quantity - already > left:
                raise errors.OutOfStock(
                    field="quantity", product=product.name, left=format_quantity(max(left, ZERO))
                )
        BasketLine.objects.update_or_create(
            basket=basket, sale_item=item, defaults={"quantity": quantity}
        )
    Basket.objects.filter(pk=basket.pk).update(updated_at=timezone.now())
    return basket


@transaction.atomic
def basket_attach(*, session_key: str, user) -> int:
    """At login, the visitor's baskets become the member's: lines are added to a basket the
    member already has for the same sale (the member's quantity wins). Returns how many."""
    attached = 0
    for basket in Basket.objects.filter(user=None, session_key=session_key):
        mine = Basket.objects.filter(sale_id=basket.sale_id, user=user).first()
        if mine is None:
            basket.user, basket.session_key = user, ""
            basket.save(update_fields=["user", "session_key", "updated_at"])
        else:
            have = set(mine.lines.values_list("sale_item_id", flat=True))
            basket.lines.exclude(sale_item_id__in=have).update(basket=mine)
            basket.delete()
        attached += 1
    return attached


@transaction.atomic
def basket_from_order(*, order: Order) -> Basket:
    """Start changing an order: its lines go into the member's basket for the sale."""
    sale = order.sale
    if not sale.takes_orders(timezone.now()):
        raise errors.SaleClosed()
    if not order.is_active:
        raise errors.OrderNotFound()
    basket = basket_for(sale=sale, user=order.user, create=True)
    basket.lines.all().delete()
    BasketLine.objects.bulk_create(
        [
            BasketLine(basket=basket, sale_item_id=line.sale_item_id, quantity=line.quantity)
            for line in order.lines.all()
        ]
    )
    basket.order = order
    basket.save(update_fields=["order", "updated_at"])
    return basket


@dataclass
class ReorderResult:
    basket: Basket
    added: list[str]
    skipped: list[str]


@transaction.atomic
def basket_reorder(*, user, sale: Sale, previous: Order) -> ReorderResult:
    """Fill the basket of ``sale`` with the lines of a previous order, skipping what is not
    offered now or not available in that quantity."""
    if previous.user_id != user.pk or previous.organisation_id != sale.organisation_id:
        raise errors.OrderNotFound()
    items = {
        item.product_id: item
        for item in SaleItem.objects.offered()
        .filter(sale=sale, product_id__in=previous.lines.values("product_id"))
        .select_related("product")
    }
    basket = basket_for(sale=sale, user=user, create=True)
    added, skipped = [], []
    for line in previous.lines.all():
        item = items.get(line.product_id)
        remaining = item.quantity_remaining if item else None
        if item is None or (remaining is not None and remaining < line.quantity):
            skipped.append(line.product_name)
            continue
        BasketLine.objects.update_or_create(
            basket=basket, sale_item=item, defaults={"quantity": line.quantity}
        )
        added.append(line.product_name)
    return ReorderResult(basket, added, skipped)
