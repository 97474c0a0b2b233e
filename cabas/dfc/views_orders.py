"""The DFC order endpoints (docs/interop.md "Receiving orders"): thin views.

``/api/dfc/enterprises/<slug>/orders``: GET the orders received through the DFC API in the
sales taking orders (``orders:read``); POST an Order graph to place it (``orders:write``):
201 with ``Location``, or 200 with the stored order when its ``@id`` was received before;
PUT an Order graph named by the sender's ``@id``: changed when known, placed when not.
``…/orders/<code>``: GET (``orders:read``), PUT the Order graph (``orders:write``: lines,
pickup or slot replaced, ``dfc-v:Cancelled`` cancels), DELETE cancels.

Only a bearer token authenticates (``auth.require``): a session cookie alone is no caller,
so these views need no CSRF token. Refusals are JSON problems naming the node and property.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import errors, orders, selectors_orders
from .auth import require
from .export_orders import orders_graph
from .jsonld_graph import MAX_BYTES, read_document
from .models import Scope
from .order_reading import Addresses, read_order
from .responses import dfc_api, json_response, refusal


def _answer(order, organisation, addresses: Addresses, status: int = 200) -> HttpResponse:
    order = selectors_orders.dfc_order_as_stored(order_id=order.pk)
    response = json_response(
        orders_graph([order], organisation=organisation, addresses=addresses), status=status
    )
    if status == 201:
        response["Location"] = addresses.order(order.code)
    return response


def _received(request: HttpRequest, addresses: Addresses):
    length = request.headers.get("Content-Length", "0")
    if length.isdigit() and int(length) > MAX_BYTES:
        raise errors.DocumentTooLarge(limit=MAX_BYTES // 1024)
    return read_order(read_document(request.body), addresses)


def _not_allowed(allowed: str) -> HttpResponse:
    response = refusal(errors.MethodNotAllowed(allowed=allowed))
    response["Allow"] = allowed
    return response


@csrf_exempt  # bearer tokens only: a cookie never authenticates here
@dfc_api
def order_list(request: HttpRequest, organisation, slug: str) -> HttpResponse:
    """The orders received (GET), a new order (POST), an order keyed on the sender's @id
    (PUT: changed when known, placed when new)."""
    addresses = Addresses.of(slug)
    if request.method == "GET":
        principal = require(request, organisation, Scope.ORDERS_READ)
        found = selectors_orders.dfc_orders(principal=principal, now=timezone.now())
        return json_response(orders_graph(found, organisation=organisation, addresses=addresses))
    if request.method not in ("POST", "PUT"):
        return _not_allowed("GET, POST, PUT")
    principal = require(request, organisation, Scope.ORDERS_WRITE)
    received = _received(request, addresses)
    if request.method == "PUT":
        if not received.client_id:
            raise errors.PropertyMissing(node=received.node, property="@id")
        known = orders.external_order_known(principal=principal, client_id=received.client_id)
        if known is not None:
            order = orders.external_order_update(
                principal=principal, order=known, request=received, addresses=addresses
            )
            return _answer(order, organisation, addresses)
    order, placed = orders.external_order_place(
        principal=principal, request=received, addresses=addresses
    )
    return _answer(order, organisation, addresses, status=201 if placed else 200)


@csrf_exempt  # bearer tokens only: a cookie never authenticates here
@dfc_api
def order_detail(request: HttpRequest, organisation, slug: str, code) -> HttpResponse:
    """One order: read (GET), changed or cancelled (PUT), cancelled (DELETE)."""
    addresses = Addresses.of(slug)
    if request.method not in ("GET", "PUT", "DELETE"):
        return _not_allowed("GET, PUT, DELETE")
    scope = Scope.ORDERS_READ if request.method == "GET" else Scope.ORDERS_WRITE
    principal = require(request, organisation, scope)
    order = selectors_orders.dfc_order(principal=principal, code=code)
    if order is None:
        raise errors.OrderNotFound()
    if request.method == "GET":  # read with its lines already
        return json_response(orders_graph([order], organisation=organisation, addresses=addresses))
    if request.method == "PUT":
        received = _received(request, addresses)
        order = orders.external_order_update(
            principal=principal, order=order, request=received, addresses=addresses
        )
    elif request.method == "DELETE":
        order = orders.external_order_cancel(principal=principal, order=order)
    return _answer(order, organisation, addresses)
