"""The JSON API, ``/api/v1/``: thin endpoints — parse, call the services and selectors,
serialize.

Errors are always ``{"error": {"code", "message", "fields", "detail"}}``. Status codes:
401 unauthorized; 403 not_a_member / shift_status_blocked (a coop member suspended from the
shifts, where the organisation asks for it) / forbidden; 404 not_found (also for any unknown
address under /api/v1/); 409 out_of_stock, slot_full, already_ordered, sale_closed,
order_not_editable and order_conflict (the request is well formed, the state of the sale or
of the order refuses it; order_conflict: another change was saved at the same moment, try
again); 422 validation_error (including malformed JSON, wrong types, values out of the
bounds the schemas give, and NUL characters in any string) and below_minimum; 429
too_many_requests (too many failed attempts at POST /auth/token).
"""

from __future__ import annotations

import json
import threading
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, NinjaAPI, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.responses import NinjaJSONEncoder

from cabas.catalog.units import reference_price
from cabas.core.errors import HTTP_STATUS, DomainError
from cabas.core.money import plain_quantity
from cabas.core.quantities import unit_of
from cabas.orders import errors as order_errors
from cabas.orders import pricing, selectors
from cabas.orders import services as order_services
from cabas.orders.models import Order
from cabas.orgs.models import Organisation
from cabas.sales.models import Pickup, Sale

from . import schemas, services
from .auth import TokenAuth

# Names of the services' fields in the API's bodies.
API_FIELDS = {"pickup": "pickup_id", "slot": "slot_id", "product": "lines", "quantity": "lines"}
# Error params that are internal (not shown to clients).
_HIDDEN_PARAMS = {"item_id"}

ERRORS = dict.fromkeys((401, 403, 404, 409, 422), schemas.Error)


class LocalSwagger(Swagger):
    """Swagger UI from ninja's own static files, never from a CDN: ninja serves them only when
    "ninja" is in INSTALLED_APPS; without it the docs page is off (the OpenAPI document stays
    at /api/v1/openapi.json)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        if "ninja" not in settings.INSTALLED_APPS:
            message = _("The API documentation page is not enabled.")
            return error_response(request, "not_found", message)
        return super().render_page(request, api, **kwargs)


api = NinjaAPI(
    title="Cabas API",
    version="1.0.0",
    description=__doc__,
    auth=TokenAuth(),
    urls_namespace="api",
    docs=LocalSwagger(),
)


# --- Errors ------------------------------------------------------------------------------------


def error_response(
    request: HttpRequest,
    code: str,
    message: str,
    *,
    fields: dict | None = None,
    detail: dict | None = None,
    status: int | None = None,
) -> HttpResponse:
    body = {"code": code, "message": message, "fields": fields or {}, "detail": detail or {}}
    return api.create_response(
        request, {"error": body}, status=status or HTTP_STATUS.get(code, 400)
    )


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    message = str(exc)
    field = exc.field or ("lines" if isinstance(exc, order_errors.QuantityInvalid) else None)
    fields = {API_FIELDS.get(field, field): message} if field else {}
    detail = {k: str(v) for k, v in exc.params.items() if k not in _HIDDEN_PARAMS}
    return error_response(request, exc.code, message, fields=fields, detail=detail)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ("body", "payload", "lines", 0, "quantity") -> "lines.0.quantity"
        if loc and loc[0] in ("body", "query", "path", "header"):
            loc = loc[1:]
        if loc and loc[0] == "payload":
            loc = loc[1:]
        fields.setdefault(".".join(loc) or "body", error.get("msg", ""))
    return error_response(
        request, "validation_error", _("The request is not valid."), fields=fields
    )


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, "unauthorized", str(services.Unauthorized.default_message))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja: a body that is not JSON
        return error_response(
            request, "validation_error", _("The request body is not valid JSON."), fields={}
        )
    code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 429: "too_many_requests"}
    return error_response(
        request, code.get(exc.status_code, "error"), str(exc), status=exc.status_code
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, "not_found", str(services.NotFound.default_message))


# --- Helpers -----------------------------------------------------------------------------------


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _quantity(value) -> str | None:
    return None if value is None else plain_quantity(value)


def _organisation(slug: str) -> Organisation:
    organisation = selectors.shop_organisation(slug=slug)
    if organisation is None:
        raise services.OrganisationNotFound()
    return organisation


def _shop_organisation(request: HttpRequest, slug: str) -> Organisation:
    """The organisation, where the person may shop (members-only: active members)."""
    organisation = _organisation(slug)
    order_services.member_check(user=request.auth, organisation=organisation)
    return organisation


def _shop_sale(request: HttpRequest, slug: str, sale_id: int) -> Sale:
    """An open sale of the organisation, where the person may shop: one query for the sale and
    its organisation, then the membership; when there is no such sale, the organisation's
    refusals come first (unknown organisation, not a member), as for its other reads."""
    sale = selectors.shop_sale(slug=slug, sale_id=sale_id, status=Sale.Status.OPEN)
    if sale is None:
        _shop_organisation(request, slug)
        raise services.SaleNotFound(field="sale_id")
    order_services.member_check(user=request.auth, organisation=sale.organisation)
    return sale


def _own_order(request: HttpRequest, organisation: Organisation, code: uuid.UUID) -> Order:
    order = selectors.member_order(organisation=organisation, user=request.auth, code=code)
    if order is None:
        raise order_errors.OrderNotFound()
    return order


def _lines(lines: list[schemas.LineIn]) -> list[tuple[int, object]]:
    return [(line.product_id, line.quantity) for line in lines]


def _pickup_out(pickup: Pickup) -> dict:
    point = pickup.pickup_point
    return {
        "id": pickup.pk,
        "name": point.name,
        "address": point.address,
        "town": point.town,
        "starts_at": pickup.starts_at,
        "ends_at": pickup.ends_at,
        "has_slots": pickup.has_slots,
    }


def _order_out(order: Order, lines: list | None = None) -> dict:
    """An order as the API shows it (``lines``: its lines when already at hand)."""
    slot = order.slot
    return {
        "id": order.code,
        "number": order.number,
        "sale_id": order.sale_id,
        "status": order.status,
        "total": _money(order.total),
        "note": order.note,
        "pickup": _pickup_out(order.pickup),
        "slot": slot and {"id": slot.pk, "starts_at": slot.starts_at, "ends_at": slot.ends_at},
        "lines": [
            {
                "product_id": line.product_id,
                "name": line.product_name,
                "quantity": _quantity(line.quantity),
                "unit_price": _money(line.unit_price),
                "vat_rate": _money(line.vat_rate),
                "amount": _money(line.amount),
            }
            # Sorted here, so that an order reads the same whether just placed or read back.
            for line in sorted(
                order.lines.all() if lines is None else lines,
                key=lambda line: (line.product_name, line.pk),
            )
        ],
        "created_at": order.created_at,
        "cancelled_at": order.cancelled_at,
    }


def _shop_response(kind: str, sale: Sale, build) -> HttpResponse:
    """The catalog or the slots of an open sale as JSON, built at most once per
    ``SHOP_CACHE_SECONDS`` in this process: every shopper reads both before ordering, and
    what they show is checked again, for real, when the order is placed. Who may read them
    is checked on every request, before this."""
    seconds = settings.SHOP_CACHE_SECONDS
    if seconds <= 0:
        return HttpResponse(_json(build()), content_type="application/json")
    key = f"cabas:api:{kind}:{sale.pk}"
    cache = caches["shop"]  # this process's memory (settings.CACHES)
    body = cache.get(key)
    if body is None:
        # One thread of the process builds it; the others, arriving meanwhile, wait and take
        # what it built rather than all building the same page at once.
        with _shop_building:
            body = cache.get(key)
            if body is None:
                body = _json(build())
                cache.set(key, body, seconds)
    return HttpResponse(body, content_type="application/json")


_shop_building = threading.Lock()


def _json(rows) -> bytes:
    return json.dumps(rows, cls=NinjaJSONEncoder).encode()


def _row_out(row: dict) -> dict:
    """A catalog item from ``selectors.shop_item_rows`` values ."""
    remaining = pricing.remaining_quantity(
        quantity_available=row["quantity_available"],
        quantity_ordered=row["quantity_ordered"],
        stock_mode=row["product__stock_mode"],
        stock_quantity=row["product__stock_quantity"],
    )
    price = pricing.unit_price_of(
        price=row["product__price"],
        variable_weight=row["product__variable_weight"],
        price_per_kg=row["product__price_per_kg"],
        estimated_weight_kg=row["product__estimated_weight_kg"],
    )
    product = {name.removeprefix("product__"): value for name, value in row.items()}
    reference = reference_price(
        product["price"], unit_of(product), price_per_kg=product["price_per_kg"]
    )
    return {
        "product_id": row["product_id"],
        "name": row["product__name"],
        "producer": row["product__producer__name"],
        "category": row["product__category"],
        "unit_kind": row["product__unit_kind"],
        "unit_label": row["product__unit_label"],
        "content_quantity": _quantity(row["product__content_quantity"]),
        "content_unit": row["product__content_unit"],
        "content_count": row["product__content_count"],
        "price": _money(price),
        "reference_price": _money(reference.amount) if reference else None,
        "reference_unit": reference.unit if reference else "",
        "price_per_kg": _money(row["product__price_per_kg"]),
        "variable_weight": row["product__variable_weight"],
        "vat_rate": _money(row["product__vat_rate"]),
        "quantity_remaining": None if remaining is None else _quantity(max(remaining, 0)),
        "sold_out": remaining is not None and remaining <= 0,
        "min_quantity": _quantity(row["product__min_quantity"]),
        "quantity_step": _quantity(row["product__quantity_step"]),
        "is_organic": row["product__is_organic"] or row["product__producer__is_organic"],
    }


# --- Tokens ------------------------------------------------------------------------------------


@api.post(
    "/auth/token",
    auth=None,
    response={200: schemas.TokenOut, 401: schemas.Error, 422: schemas.Error, 429: schemas.Error},
    url_name="token",
    tags=["auth"],
)
def token_obtain(request: HttpRequest, payload: schemas.TokenIn):
    """A new personal token for an e-mail and password. Send it as `Authorization: Bearer …`;
    it is shown only once and can be revoked from the profile (/accounts/tokens/)."""
    new = services.token_obtain(
        request, email=payload.email, password=payload.password, name=payload.name
    )
    return {"token": new.secret, "token_id": new.token.pk}


# --- Shop --------------------------------------------------------------------------------------


@api.get(
    "/orgs/{slug}/sales", response={200: list[schemas.SaleOut], **ERRORS}, url_name="sales",
    tags=["shop"],
)  # fmt: skip
def sales(request: HttpRequest, slug: str):
    """The organisation's sales taking orders now, with their pickups."""
    organisation = _shop_organisation(request, slug)
    pickups = Pickup.objects.select_related("pickup_point").order_by("starts_at", "pk")
    rows = selectors.open_sales(organisation=organisation).prefetch_related(
        Prefetch("pickups", queryset=pickups)
    )
    return [
        {
            "id": sale.pk,
            "title": sale.title,
            "opens_at": sale.opens_at,
            "closes_at": sale.closes_at,
            "note_to_members": sale.note_to_members,
            "pickups": [_pickup_out(pickup) for pickup in sale.pickups.all()],
        }
        for sale in rows
    ]


@api.get(
    "/orgs/{slug}/sales/{sale_id}/catalog",
    response={200: list[schemas.CatalogItemOut], **ERRORS},
    url_name="catalog",
    tags=["shop"],
)
def catalog(request: HttpRequest, slug: str, sale_id: schemas.PathId):
    """The products offered in the sale, by category, producer and name."""
    sale = _shop_sale(request, slug, sale_id)
    # Built from plain values (the schema above documents it; the tests check it).
    return _shop_response(
        "catalog", sale, lambda: [_row_out(row) for row in selectors.shop_item_rows(sale=sale)]
    )


@api.get(
    "/orgs/{slug}/sales/{sale_id}/slots",
    response={200: list[schemas.PickupSlotsOut], **ERRORS},
    url_name="slots",
    tags=["shop"],
)
def slots(request: HttpRequest, slug: str, sale_id: schemas.PathId):
    """The sale's pickups with their slots, places left and whether they can be booked now."""
    sale = _shop_sale(request, slug, sale_id)
    return _shop_response("slots", sale, lambda: _slots_rows(sale))


def _slots_rows(sale: Sale) -> list[dict]:
    now = timezone.now()
    rows = []
    for pickup, slots in selectors.shop_slot_rows(sale=sale):
        places_left = None if pickup.capacity is None else max(pickup.capacity - pickup.booked, 0)
        slot_rows = [
            {
                "id": slot["pk"],
                "starts_at": slot["starts_at"],
                "ends_at": slot["ends_at"],
                "capacity": slot["capacity"],
                "places_left": max(slot["capacity"] - slot["booked"], 0),
                "bookable": selectors.place_is_bookable(
                    pickup, slot["starts_at"], slot["booked"], slot["capacity"], now,
                    is_open=slot["is_open"],
                ),
            }
            for slot in slots
        ]  # fmt: skip
        bookable = (
            any(slot["bookable"] for slot in slot_rows)
            if pickup.has_slots
            else selectors.slot_is_bookable(pickup, None, now)
        )
        rows.append(
            {**_pickup_out(pickup), "places_left": places_left, "bookable": bookable,
             "slots": slot_rows}
        )  # fmt: skip
    return rows


# --- Orders ------------------------------------------------------------------------------------


@api.get(
    "/orgs/{slug}/orders",
    response={200: list[schemas.OrderOut], **ERRORS},
    url_name="orders",
    tags=["orders"],
)
def orders(request: HttpRequest, slug: str):
    """The person's own orders in the organisation, the latest sale first."""
    organisation = _organisation(slug)
    rows = selectors.member_orders(organisation=organisation, user=request.auth)
    return [_order_out(order) for order in rows]


@api.post(
    "/orgs/{slug}/orders",
    response={200: schemas.OrderOut, 201: schemas.OrderOut, **ERRORS},
    tags=["orders"],
)
def order_create(
    request: HttpRequest,
    slug: str,
    payload: schemas.OrderIn,
    idempotency_key: str = Header(
        "",
        alias="Idempotency-Key",
        max_length=80,
        pattern=r"^[\x21-\x7e]*$",
        description="Up to 80 visible ASCII characters, e.g. a UUID.",
    ),
):
    """Place an order. Prices are the shop's, never the client's. Send an `Idempotency-Key`
    header to retry safely: a repeated key returns the first order with status 200."""
    # order_place checks the membership, and the sale's state under its lock.
    sale = selectors.shop_sale(slug=slug, sale_id=payload.sale_id)
    if sale is None:
        _organisation(slug)  # an unknown organisation is told as such
        raise services.SaleNotFound(field="sale_id")
    order = order_services.order_place(
        user=request.auth,
        sale=sale,
        pickup_id=payload.pickup_id,
        slot_id=payload.slot_id,
        lines=_lines(payload.lines),
        note=payload.note or "",
        idempotency_key=idempotency_key,
    )
    if order.replayed and order.sale_id != sale.pk:
        raise services.IdempotencyKeyReused(field="Idempotency-Key")
    if order.replayed:
        return Status(200, _order_out(selectors.order_detail(order_id=order.pk)))
    return Status(201, _order_out(order, order.placed_lines))


@api.get(
    "/orgs/{slug}/orders/{code}",
    response={200: schemas.OrderOut, **ERRORS},
    url_name="order",
    tags=["orders"],
)
def order(request: HttpRequest, slug: str, code: uuid.UUID):
    """One of the person's orders, by its code."""
    return _order_out(_own_order(request, _organisation(slug), code))


@api.put("/orgs/{slug}/orders/{code}", response={200: schemas.OrderOut, **ERRORS}, tags=["orders"])
def order_change(request: HttpRequest, slug: str, code: uuid.UUID, payload: schemas.OrderChangeIn):
    """Change the order's lines, pickup or slot until the sale's cutoff (all or nothing)."""
    organisation = _shop_organisation(request, slug)
    order = order_services.order_change(
        order=_own_order(request, organisation, code),
        lines=_lines(payload.lines),
        pickup_id=payload.pickup_id,
        slot_id=payload.slot_id,
        note=payload.note,
    )
    return _order_out(order, order.current_lines)


@api.delete(
    "/orgs/{slug}/orders/{code}", response={200: schemas.OrderOut, **ERRORS}, tags=["orders"]
)
def order_cancel(request: HttpRequest, slug: str, code: uuid.UUID):
    """Cancel the order until the sale's cutoff; returns the cancelled order."""
    order = _own_order(request, _organisation(slug), code)
    order = order_services.order_cancel(order=order)
    return _order_out(order, order.current_lines)
