"""The reads behind the DFC order endpoints: which orders a caller may see."""

from __future__ import annotations

import datetime
import uuid

from django.db.models import Prefetch, QuerySet

from cabas.orders.models import Order, OrderLine
from cabas.orgs.models import Membership
from cabas.orgs.permissions import has_role, membership_of
from cabas.sales.models import taking_orders_q

from .auth import Principal


def _visible(principal: Principal) -> QuerySet[Order]:
    """The caller's own orders; a coordinator's token sees every order of the organisation."""
    orders = Order.objects.filter(organisation=principal.organisation)
    membership = membership_of(principal.user, principal.organisation)
    if not has_role(membership, Membership.Role.COORDINATOR):
        orders = orders.filter(user=principal.user)
    return orders


def _with_lines(orders: QuerySet[Order]) -> QuerySet[Order]:
    lines = OrderLine.objects.order_by("pk")
    return orders.select_related("sale").prefetch_related(Prefetch("lines", lines))


def dfc_order(*, principal: Principal, code: str | uuid.UUID) -> Order | None:
    """One order the caller may read, with its lines and sale (two queries), or None."""
    return _with_lines(_visible(principal)).filter(code=code).first()


def dfc_orders(*, principal: Principal, now: datetime.datetime) -> list[Order]:
    """The orders received through the DFC API that the caller may read, in the sales taking
    orders at ``now``, newest first, with their lines (two queries)."""
    orders = (
        _visible(principal)
        .filter(external__isnull=False)
        .filter(taking_orders_q(now, prefix="sale__"))
    )
    return list(_with_lines(orders).order_by("-created_at", "-pk"))


def dfc_order_as_stored(*, order_id: int) -> Order:
    """An order just written, read again with its lines (two queries)."""
    return _with_lines(Order.objects.filter(pk=order_id)).get()
