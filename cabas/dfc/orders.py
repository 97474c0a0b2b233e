"""Orders another platform sends through the DFC API: placed, changed and cancelled by the
ordering services every order goes through (``order_place``, ``order_change``,
``order_cancel``), so the cutoff, stock, time slots, membership and minimum amount apply to
them as to any member's order; nothing is written when one refuses.

An order the sender names (its ``@id``) is placed once: ``ExternalOrder`` keys it per
organisation (unique), and ``order_place``'s idempotency key (derived from that id) makes two
concurrent sends of it one order. What an ordering rule refuses becomes ``OrderRefused`` with
the HTTP status of its kind (``cabas.core.errors.HTTP_STATUS``) and the node and property it
is about.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cabas.core.errors import HTTP_STATUS, DomainError
from cabas.orders import services as order_services
from cabas.orders.models import Order
from cabas.orgs.models import Organisation
from cabas.sales.models import Pickup, Sale, SaleItem, Slot

from . import errors
from .auth import Principal
from .models import ExternalOrder
from .order_reading import Addresses, OrderRequest

# The DFC property an ordering refusal's field is about.
PROPERTY_OF_FIELD = {"lines": "dfc-b:hasPart", "pickup": "dfc-b:selects", "slot": "dfc-b:selects"}


def idempotency_key(organisation: Organisation, client_id: str) -> str:
    """``order_place``'s key for the sender's order id (at most 80 characters)."""
    digest = hashlib.sha256(f"{organisation.pk}:{client_id}".encode()).hexdigest()
    return f"dfc:{digest[:64]}"


@transaction.atomic
def external_order_place(
    *,
    principal: Principal,
    request: OrderRequest,
    addresses: Addresses,
    now: datetime | None = None,
) -> tuple[Order, bool]:
    """Place the order ``request`` reads, as the token's account; (order, True) when placed,
    (the stored order, False) when its ``@id`` was received before (nothing placed twice)."""
    organisation = principal.organisation
    # The sender's id, or Cabas's address of an order it received before (its answer sent
    # back): either names an order already placed.
    key = request.client_id or (request.node if request.own_code else "")
    if key:
        known = _known(organisation, key)
        if known is not None:
            if known.order.user_id != principal.user.pk:
                raise errors.OrderIdTaken(node=request.node, property="@id")
            return known.order, False
    if request.cancels:
        raise errors.CancelledNew(node=request.node, property="dfc-b:hasOrderStatus")
    if request.own_code:
        raise errors.WrongOrder(node=request.node, property="@id")
    sale, pickup_id, slot_id, lines = _targets(organisation, request, now)
    with _refusals(request, sale):
        order = order_services.order_place(
            user=principal.user,
            sale=sale,
            pickup_id=pickup_id,
            slot_id=slot_id,
            lines=lines,
            idempotency_key=idempotency_key(organisation, request.client_id)
            if request.client_id
            else "",
            now=now,
            notify=False,  # the sender is a platform: it has the answer, not an e-mail
        )
    if order.replayed:  # the same @id, sent at the same moment by the same account
        return order, False
    try:
        with transaction.atomic():
            ExternalOrder.objects.create(
                organisation=organisation,
                order=order,
                external_id=request.client_id or addresses.order(order.code),
                token=principal.token,
            )
    except IntegrityError as exc:
        # Another account sent the same @id at the same moment and got it first: refused,
        # and this order is rolled back with the whole transaction.
        raise errors.OrderIdTaken(node=request.node, property="@id") from exc
    return order, True


@transaction.atomic
def external_order_update(
    *,
    principal: Principal,
    order: Order,
    request: OrderRequest,
    addresses: Addresses,
    now: datetime | None = None,
) -> Order:
    """Make ``order`` what ``request`` says: cancelled (``dfc-v:Cancelled``), or its lines,
    pickup and slot replaced (``order_change``, until the cutoff). Cancelling a cancelled
    order answers it as it is."""
    if order.user_id != principal.user.pk:
        raise errors.Forbidden()
    if not _names(request, order, addresses):
        raise errors.WrongOrder(node=request.node, property="@id")
    if request.cancels:
        return external_order_cancel(principal=principal, order=order, now=now)
    if request.sale_id is None:
        request.sale_id = order.sale_id
    sale, pickup_id, slot_id, lines = _targets(principal.organisation, request, now)
    if sale.pk != order.sale_id:
        raise errors.SalesDisagree(node=request.node, property="dfc-b:belongsTo")
    if request.pickup_id is None and request.slot_id is None:
        pickup_id, slot_id = order.pickup_id, order.slot_id  # the place stays
    if order.is_active and _unchanged(order, pickup_id, slot_id, lines):
        # Nothing to change (OFN sends its order again as dfc-v:Complete when its order
        # cycle closes, maybe after the cutoff): answered as it is.
        return order
    with _refusals(request, sale):
        return order_services.order_change(
            order=order, lines=lines, pickup_id=pickup_id, slot_id=slot_id, now=now
        )


@transaction.atomic
def external_order_cancel(
    *, principal: Principal, order: Order, now: datetime | None = None
) -> Order:
    """Cancel ``order`` (until the cutoff); an order already cancelled is answered as it is."""
    if order.user_id != principal.user.pk:
        raise errors.Forbidden()
    if order.status == Order.Status.CANCELLED:
        return order
    with _refusals(None, order.sale):
        return order_services.order_cancel(order=order, now=now)


def external_order_known(*, principal: Principal, client_id: str) -> Order | None:
    """The order the sender named ``client_id`` in this organisation, None when it is new;
    refused when another account sent it."""
    known = _known(principal.organisation, client_id)
    if known is None:
        return None
    if known.order.user_id != principal.user.pk:
        raise errors.OrderIdTaken(node=client_id, property="@id")
    return known.order


def _names(request: OrderRequest, order: Order, addresses: Addresses) -> bool:
    """The received Order is ``order``: a blank node, its Cabas address, or the sender's id
    it was placed with."""
    if request.node.startswith("_:") or request.node == addresses.order(order.code):
        return True
    return ExternalOrder.objects.filter(order=order, external_id=request.node).exists()


def _unchanged(order: Order, pickup_id, slot_id, lines) -> bool:
    wanted: dict[int, Decimal] = {}
    for product_id, quantity in lines:
        wanted[product_id] = wanted.get(product_id, Decimal(0)) + quantity
    stored = dict(order.lines.values_list("product_id", "quantity"))
    return (order.pickup_id, order.slot_id) == (pickup_id, slot_id) and stored == wanted


def _known(organisation: Organisation, client_id: str) -> ExternalOrder | None:
    return (
        ExternalOrder.objects.filter(organisation=organisation, external_id=client_id)
        .select_related("order")
        .first()
    )


def _targets(organisation: Organisation, request: OrderRequest, now):
    """The sale, pickup, slot and (product id, quantity) lines ``request`` names, each one of
    this organisation's, all of one sale; refused naming the node and property otherwise."""
    node = request.node
    sales: dict[int, str] = {}  # sale id → the property that named it
    if request.sale_id is not None:
        if not Sale.objects.filter(pk=request.sale_id, organisation=organisation).exists():
            raise errors.NotOurs(
                node=node, property="dfc-b:belongsTo", value=f"#sale-{request.sale_id}"
            )
        sales[request.sale_id] = "dfc-b:belongsTo"
    pickup_id, slot_id = request.pickup_id, request.slot_id
    if slot_id is not None:
        slot = Slot.objects.filter(pk=slot_id, organisation=organisation).select_related("pickup")
        slot = slot.first()
        if slot is None:
            raise errors.NotOurs(node=node, property="dfc-b:selects", value=f"#slot-{slot_id}")
        pickup_id = slot.pickup_id
        sales.setdefault(slot.pickup.sale_id, "dfc-b:selects")
    elif pickup_id is not None:
        sale_id = Pickup.objects.filter(pk=pickup_id, organisation=organisation).values_list(
            "sale_id", flat=True
        )
        if not sale_id:
            raise errors.NotOurs(node=node, property="dfc-b:selects", value=f"#pickup-{pickup_id}")
        sales.setdefault(sale_id[0], "dfc-b:selects")
    item_ids = [line.sale_item_id for line in request.lines if line.sale_item_id]
    items = dict(
        SaleItem.objects.filter(pk__in=item_ids, organisation=organisation).values_list(
            "pk", "sale_id"
        )
    )
    for line in request.lines:
        if line.sale_item_id and line.sale_item_id not in items:
            raise errors.NotOurs(node=line.node, property="dfc-b:concerns", value=line.node)
        if line.sale_item_id:
            sales.setdefault(items[line.sale_item_id], "dfc-b:concerns")
    if len(sales) > 1:
        raise errors.SalesDisagree(node=node, property=list(sales.values())[-1])
    sale = _sale(organisation, next(iter(sales), None), node, now)
    if pickup_id is None:
        pickups = list(Pickup.objects.filter(sale=sale).values_list("pk", flat=True)[:2])
        if len(pickups) != 1:
            raise errors.PickupUndetermined(node=node, property="dfc-b:selects")
        pickup_id = pickups[0]
    return sale, pickup_id, slot_id, _lines(sale, request)


def _sale(organisation: Organisation, sale_id: int | None, node: str, now) -> Sale:
    """The sale named, or the only one taking orders now."""
    if sale_id is not None:
        return Sale.objects.get(pk=sale_id, organisation=organisation)
    sales = list(
        Sale.objects.filter(organisation=organisation).taking_orders(now or timezone.now())[:2]
    )
    if len(sales) != 1:
        raise errors.SaleUndetermined(node=node, property="dfc-b:belongsTo")
    return sales[0]


def _lines(sale: Sale, request: OrderRequest) -> list[tuple[int, object]]:
    """(product id, quantity) per line: each product must be offered in ``sale``."""
    items = SaleItem.objects.filter(sale=sale).filter(
        Q(pk__in=[line.sale_item_id for line in request.lines if line.sale_item_id])
        | Q(product_id__in=[line.product_id for line in request.lines if line.product_id])
    )
    by_pk, products = {}, set()
    for pk, product_id in items.values_list("pk", "product_id"):
        by_pk[pk] = product_id
        products.add(product_id)
    lines = []
    for line in request.lines:
        product_id = by_pk.get(line.sale_item_id) if line.sale_item_id else line.product_id
        if product_id is None or product_id not in products:
            raise errors.NotOurs(node=line.node, property="dfc-b:concerns", value=line.node)
        line.product_id = product_id
        lines.append((product_id, line.quantity))
    return lines


class _refusals:
    """Around an ordering service: its refusal as ``OrderRefused``, about the line of the
    product it names when there is one, else the order and the property of its field."""

    def __init__(self, request: OrderRequest | None, sale: Sale):
        self.request, self.sale = request, sale

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if not isinstance(error, DomainError) or isinstance(error, errors.DfcError):
            return False
        node = self.request.node if self.request else ""
        prop = PROPERTY_OF_FIELD.get(error.field or "", "")
        if error.code == "sale_closed":
            prop = "dfc-b:belongsTo"
        if line := self._line_of(error):
            node, prop = line.node, "dfc-b:quantity"
        status = HTTP_STATUS.get(error.code, 422)
        raise errors.OrderRefused(error, status=status, node=node, property=prop) from error

    def _line_of(self, error: DomainError):
        """The received line a refusal is about (by its sale item or product name)."""
        if self.request is None:
            return None
        item_id, name = error.params.get("item_id"), error.params.get("product")
        if item_id is None and name is None:
            return None
        product = SaleItem.objects.filter(pk=item_id).values_list("product_id", flat=True)
        wanted = set(product) if item_id is not None else set()
        if name is not None:
            wanted |= set(
                SaleItem.objects.filter(sale=self.sale, product__name=name).values_list(
                    "product_id", flat=True
                )
            )
        return next((line for line in self.request.lines if line.product_id in wanted), None)
