"""What a person finds on their home page in an organisation, composed here (the site app may
read every app below it): for a member, the open sales, their orders to collect, the next
opening, their balance and their next duties; for a coordinator, the work of today and the
next days.

Each part is a constant number of queries, whatever the number of sales, pickups or orders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from cabas.core.money import ZERO
from cabas.money import selectors as money_selectors
from cabas.orders import errors as order_errors
from cabas.orders import selectors as order_selectors
from cabas.orders.models import Order
from cabas.orgs import selectors as org_selectors
from cabas.orgs.models import Membership, Organisation
from cabas.sales import selectors as sales_selectors
from cabas.sales.models import Pickup, Sale
from cabas.work import selectors_duties as duty_selectors
from cabas.work import selectors_shifts as shift_selectors

# How far ahead a coordinator's "coming days" look.
WEEK = timedelta(days=7)


@dataclass
class OpenSale:
    sale: Sale
    order: Order | None  # the member's order in it, if any


@dataclass
class MemberHome:
    open_sales: list[OpenSale]
    orders: list[Order]  # to collect
    next_sale: Sale | None  # when no sale is open
    balance: Decimal  # credit (positive) or owed (negative)
    duties: duty_selectors.HomeDuties | None = None  # their next duties, the ones unfilled
    # Why they may not order (a coop member suspended from the shifts), said before the sales.
    shift_blocked: str = ""

    @property
    def owed(self) -> Decimal:
        return -self.balance if self.balance < 0 else ZERO


@dataclass
class CoordinatorHome:
    closing: list[Sale]  # sales whose cutoff comes within a week, with order counts
    today: list[Pickup]  # today's pickups to prepare, with order counts
    coming: list[Pickup]  # the next days' pickups
    to_close: list[Pickup]  # over but not closed, with ``unresolved`` payments
    without_pickup: list[Sale]  # open or scheduled sales nobody can order in
    pending_count: int
    gaps: list[Pickup] = field(default_factory=list)  # pickups with no order or empty slots

    @property
    def has_work(self) -> bool:
        return any((self.closing, self.today, self.coming, self.to_close, self.without_pickup))


def open_sales_of(*, organisation: Organisation, now: datetime) -> list[Sale]:
    return list(order_selectors.open_sales(organisation=organisation, now=now))


def public_sales(
    *, organisation: Organisation, now: datetime
) -> tuple[list[OpenSale], Sale | None]:
    """The sales a visitor may order in now (what the public page links to), and when none is
    open, the next one to open; one or two queries."""
    sales = open_sales_of(organisation=organisation, now=now)
    if sales:
        return [OpenSale(sale, None) for sale in sales], None
    return [], sales_selectors.next_sale_opening(organisation=organisation, now=now)


def member_home(
    *, organisation: Organisation, user, membership: Membership | None = None,
    now: datetime | None = None,
) -> MemberHome:  # fmt: skip
    """Four queries: open sales, orders to collect, the next opening (only when no sale is
    open), the balance; with the ``membership``, three more for the duties (see
    ``home_duties``); one or two for the shift status (``_shift_blocked``)."""
    now = now or timezone.now()
    sales = open_sales_of(organisation=organisation, now=now)
    orders = order_selectors.current_orders(organisation=organisation, user=user, now=now)
    by_sale = {order.sale_id: order for order in orders}
    return MemberHome(
        open_sales=[OpenSale(sale, by_sale.get(sale.pk)) for sale in sales],
        orders=orders,
        next_sale=None
        if sales
        else sales_selectors.next_sale_opening(organisation=organisation, now=now),
        balance=money_selectors.balance(organisation=organisation, user=user) or ZERO,
        duties=duty_selectors.home_duties(membership=membership, now=now) if membership else None,
        shift_blocked=_shift_blocked(organisation=organisation, user=user, now=now),
    )


def _shift_blocked(*, organisation: Organisation, user, now: datetime) -> str:
    """The drive's refusal, word for word, when the member is suspended from the shifts and
    the organisation asks members to be up to date; "" otherwise. One or two queries."""
    blocked = shift_selectors.ordering_blocked_status(organisation=organisation, user=user, now=now)
    if blocked is None:
        return ""
    return str(order_errors.ShiftStatusBlocked(status=shift_selectors.STATUS_WORDS[blocked]))


def _day_start(now: datetime) -> datetime:
    """Midnight of ``now``'s day in the current time zone (the organisation's)."""
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def pickups_today(*, organisation: Organisation, now: datetime | None = None) -> list[Pickup]:
    """Today's pickups not over yet (a volunteer's day), with their order counts; one query."""
    now = now or timezone.now()
    today = _day_start(now)
    pickups = sales_selectors.pickups_between(
        organisation=organisation, start=today, end=today + timedelta(days=1)
    )
    return [pickup for pickup in pickups if pickup.ends_at > now]


def coordinator_home(*, organisation: Organisation, now: datetime | None = None) -> CoordinatorHome:
    """Six queries: sales closing within a week, pickups of the next seven days, pickups over
    and not closed, their unknown payments, sales without a pickup, requests to join."""
    now = now or timezone.now()
    today = _day_start(now)
    tomorrow = today + timedelta(days=1)  # wall-clock arithmetic: the next midnight
    pickups = sales_selectors.pickups_between(
        organisation=organisation, start=today, end=today + WEEK
    )
    to_close = sales_selectors.pickups_to_close(organisation=organisation, now=now)
    unresolved = money_selectors.unresolved_payments_by_pickup(
        organisation=organisation, pickup_ids=[pickup.pk for pickup in to_close]
    )
    for pickup in to_close:
        pickup.unresolved = unresolved.get(pickup.pk, 0)
    upcoming = [pickup for pickup in pickups if pickup.ends_at > now]
    return CoordinatorHome(
        closing=sales_selectors.sales_closing(organisation=organisation, now=now, until=now + WEEK),
        today=[pickup for pickup in upcoming if pickup.starts_at < tomorrow],
        coming=[pickup for pickup in upcoming if pickup.starts_at >= tomorrow],
        to_close=to_close,
        without_pickup=sales_selectors.open_sales_without_pickup(
            organisation=organisation, now=now
        ),
        pending_count=org_selectors.membership_list(
            organisation=organisation, status=Membership.Status.PENDING
        ).count(),
        gaps=[p for p in upcoming if p.order_count == 0 or p.empty_slot_count],
    )
