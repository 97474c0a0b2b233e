"""Membership fees and shares over time, per calendar month of the dashboard's period (the
pickup point and producer filters do not apply to them).

- Fees paid: the membership years with a fee whose fee was paid in the month (``paid_at``,
  the organisation's local time, set by ``money.services.membership_fee_pay`` with its
  payment, or by ``membership_renew`` paid at once); their number and the sum of their fees.
  A free year (fee 0) is not a fee paid.
- Shares subscribed and refunded: the register's movements of the month (``on``), in shares
  and in money (shares × the movement's price of a share, the amount put on the member's
  account). Transfers between members change no total and are left out.
- Shares held at the end of the month: every movement up to then (the register's sum).
Three queries whatever the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.core import tables
from cabas.money.models import MembershipPeriod, ShareMovement
from cabas.orgs.models import Organisation

from .selectors import ZERO, Filters


@dataclass
class MembershipMonth:
    month: date  # its first day
    fees: int = 0
    fees_amount: Decimal = ZERO
    subscribed: int = 0  # shares
    subscribed_amount: Decimal = ZERO
    refunded: int = 0  # shares (a positive number)
    refunded_amount: Decimal = ZERO
    held: int = 0  # shares held at the end of the month


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _month_of(value: datetime, zone) -> date:
    """A truncated month as its local first day: an aware datetime, or one already the local
    wall time (PostgreSQL may give it without its zone)."""
    return value.date() if timezone.is_naive(value) else timezone.localdate(value, zone)


def memberships_activity(*, organisation: Organisation, filters: Filters) -> list[MembershipMonth]:
    """Each calendar month from ``filters.start``'s to ``filters.end``'s: fees paid, shares
    subscribed and refunded, shares held at its end (see the module). Three queries."""
    zone = organisation.tzinfo
    first = filters.start.replace(day=1)
    after = _next_month(filters.end.replace(day=1))
    months: dict[date, MembershipMonth] = {}
    month = first
    while month < after:
        months[month] = MembershipMonth(month=month)
        month = _next_month(month)
    since, until = (timezone.make_aware(datetime.combine(day, time.min), zone)
                    for day in (first, after))  # fmt: skip
    for paid, count, amount in (
        MembershipPeriod.objects.filter(
            organisation=organisation, fee__gt=0, paid_at__gte=since, paid_at__lt=until
        )
        .annotate(paid=TruncMonth("paid_at", tzinfo=zone))
        .values("paid")
        .annotate(count=Count("pk"), amount=Sum("fee"))
        .values_list("paid", "count", "amount")
    ):
        figures = months[_month_of(paid, zone)]
        figures.fees, figures.fees_amount = count, amount
    movements = ShareMovement.objects.filter(organisation=organisation)
    held = movements.filter(on__lt=first).aggregate(held=Coalesce(Sum("quantity"), 0))["held"]
    subscription = Q(kind=ShareMovement.Kind.SUBSCRIPTION)
    refund = Q(kind=ShareMovement.Kind.REFUND)
    value = F("quantity") * F("unit_price")
    by_month = {
        row["month"]: row
        for row in movements.filter(on__gte=first, on__lt=after)
        .annotate(month=TruncMonth("on"))
        .values("month")
        .annotate(
            net=Sum("quantity"),
            subscribed=Coalesce(Sum("quantity", filter=subscription), 0),
            subscribed_amount=Sum(value, filter=subscription),
            refunded=Coalesce(Sum("quantity", filter=refund), 0),
            refunded_amount=Sum(value, filter=refund),
        )
    }
    for month, figures in months.items():
        row = by_month.get(month)
        if row is not None:
            held += row["net"]
            figures.subscribed = row["subscribed"]
            figures.subscribed_amount = row["subscribed_amount"] or ZERO
            figures.refunded = -row["refunded"]
            figures.refunded_amount = -(row["refunded_amount"] or ZERO)
        figures.held = held
    return list(months.values())


def memberships_table(months: list[MembershipMonth]) -> tuple[list[str], list[list]]:
    """The table of the page and of the files: raw numbers, never localised."""
    header = [
        _("Month"),
        _("Fees paid"),
        _("Fees paid, amount"),
        _("Shares subscribed"),
        _("Shares subscribed, amount"),
        _("Shares refunded"),
        _("Shares refunded, amount"),
        _("Shares held at the end of the month"),
    ]
    rows = [
        [m.month, m.fees, tables.Amount(m.fees_amount), m.subscribed,
         tables.Amount(m.subscribed_amount), m.refunded, tables.Amount(m.refunded_amount),
         m.held]
        for m in months
    ]  # fmt: skip
    return header, rows
