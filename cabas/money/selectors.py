"""Reads of money: balances are sums of entries, computed by the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from cabas.accounts.models import person_name
from cabas.core.expressions import InSubquery
from cabas.core.money import ZERO, money_field, money_sum, round_money
from cabas.orders.models import Order
from cabas.orgs.models import Membership, Organisation
from cabas.sales.models import Pickup

from .models import AccountEntry, MembershipPeriod, MoneySettings, ShareMovement

MEMBERSHIP_ACTIVE = "active"
MEMBERSHIP_PENDING_PAYMENT = "pending_payment"
MEMBERSHIP_EXPIRED = "expired"


def settings_of(organisation: Organisation) -> MoneySettings:
    """The organisation's money settings (defaults when never set: free membership)."""
    found = MoneySettings.objects.filter(organisation=organisation).first()
    return found or MoneySettings(organisation=organisation)


def _entries_total(organisation, user):
    """SQL: the sum of the member's entries (``organisation``/``user``: values or OuterRefs)."""
    sums = (
        AccountEntry.objects.filter(organisation=organisation, user=user)
        # Without the entries' default order, which joined the organisation and the user (by
        # their own orders) in the subquery run once per member.
        .order_by()
        .values("user")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return money_sum(Subquery(sums))


def _undebited(organisation, user) -> QuerySet[Order]:
    """THE orders a member owes without a debit entry yet: every order but a cancelled one,
    placed or weighed or collected, until its pickup closes and writes its debit entry
    (``services.order_dues_record``); from then on, that entry counts instead. Closing a
    pickup debits all its orders (``distribution.pickup_close`` refuses while one is not
    done), so only the organisation's sales with a pickup still open are looked in: a
    member's orders of those few sales by the (user, sale) index, not their whole history.
    ``order_dues_record`` is the other side of this fact: an order is counted here or by its
    entry, never both (``test_open_orders``)."""
    debited = AccountEntry.objects.filter(order=OuterRef("pk"), kind=AccountEntry.Kind.ORDER)
    open_pickups = Pickup.objects.filter(closed_at__isnull=True)
    if not isinstance(organisation, OuterRef):
        # One organisation's (a value): read once. Under a list (an OuterRef, one organisation
        # a row), a filter on it would correlate the pickups' read with every order of every
        # row (4 s for the balances of 3,000 members at 10×, measured); the orders' own
        # organisation filter below keeps the result the same.
        open_pickups = open_pickups.filter(organisation=organisation)
    sales_with_open_pickups = open_pickups.order_by().values("sale_id")
    return (
        Order.objects.filter(
            InSubquery("sale_id", sales_with_open_pickups),
            organisation=organisation,
            user=user,
            pickup__closed_at__isnull=True,
        )
        .exclude(status=Order.Status.CANCELLED)
        .filter(~Exists(debited))
    )


def _payments_of(order):
    """SQL: the payments recorded for an order (``order``: its pk or an OuterRef to it)."""
    paid = (
        AccountEntry.objects.filter(order=order, kind=AccountEntry.Kind.PAYMENT)
        .order_by()  # the entries' default order joined the organisation and the user
        .values("order")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return money_sum(Subquery(paid))


def _later_rests(organisation=None):
    """SQL, for a query of orders (of ``organisation`` when given, a value): what the member
    still owes on their orders not yet debited whose pickup comes after this order's (at the
    same time: placed after it). Their credit goes to the earliest pickup first, so these do
    not spend it before this order does; what they were overpaid stays credit."""
    organisation = OuterRef("organisation") if organisation is None else organisation
    user = OuterRef("user")
    starts_at, this = OuterRef("pickup__starts_at"), OuterRef("pk")
    rest = F("total") - _payments_of(OuterRef("pk"))
    rests = (
        _undebited(organisation, user)
        .filter(Q(pickup__starts_at__gt=starts_at) | Q(pickup__starts_at=starts_at, pk__gt=this))
        .order_by()
        .values("user")
        .annotate(total=Sum(Greatest(rest, Value(ZERO), output_field=money_field())))
        .values("total")
    )
    return money_sum(Subquery(rests))


def _undebited_orders_total(organisation, user):
    """SQL: the totals of the member's ``_undebited`` orders."""
    sums = (
        _undebited(organisation, user)
        .order_by()
        .values("user")
        .annotate(total=Sum("total"))
        .values("total")
    )
    return money_sum(Subquery(sums))


def balance_expression(organisation=None, user=None):
    """SQL: THE rule of what a member owes (negative) or has in credit (positive): the sum of
    their entries, less the orders not yet debited. Without arguments, for a query of
    memberships (or any rows with ``organisation`` and ``user``)."""
    organisation = OuterRef("organisation") if organisation is None else organisation
    user = OuterRef("user") if user is None else user
    # Rounded again: SQLite subtracts decimals as floats.
    return money_sum(
        _entries_total(organisation, user) - _undebited_orders_total(organisation, user)
    )


def balance(*, organisation: Organisation, user) -> Decimal:
    """Credit (positive) or what is owed (negative), by ``balance_expression`` (one query):
    on distribution day, a payment at check-in meets its order before the pickup closes."""
    return _balance_of(organisation.pk, user.pk)


def _balance_of(organisation_id: int, user_id: int) -> Decimal:
    found = (
        Organisation.objects.filter(pk=organisation_id)
        .annotate(balance=balance_expression(organisation_id, user_id))
        .values_list("balance", flat=True)
        .first()
    )
    # Quantised here too: SQLite hands the rounded sum back with a float's digits.
    return ZERO if found is None else round_money(found)


def entries(*, organisation: Organisation, user) -> QuerySet[AccountEntry]:
    """A member's account entries, newest first (as a bank's app lists them: the last
    payment at the top of the phone's screen)."""
    return (
        AccountEntry.objects.filter(organisation=organisation, user=user)
        .select_related("order", "recorded_by")
        .order_by("-created_at", "-pk")
    )


def undebited_orders(*, organisation: Organisation, user) -> QuerySet[Order]:
    """The member's orders counted in their balance but not yet in their entries (their
    pickup is not closed), with ``paid``: the payments recorded for each (one query)."""
    return (
        _undebited(organisation, user)
        .select_related("pickup")
        .annotate(paid=_payments_of(OuterRef("pk")))
        .order_by("pickup__starts_at", "pk")
    )


def memberships_with_balance(*, organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's memberships, each with ``balance`` (``balance_expression``, one
    query)."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .annotate(balance=balance_expression(organisation=organisation))
    )


@dataclass
class OrderDue:
    total: Decimal
    paid: Decimal  # payments recorded for this order
    credit: Decimal  # the member's credit from everything else, for this order first
    due: Decimal  # what is left to pay now

    @property
    def credit_used(self) -> Decimal:
        """The part of ``credit`` this order takes (what the check-in's sum subtracts, so that
        it adds up: « 8,40 € − avoir 8,40 € = à payer 0,00 € »)."""
        return min(self.credit, _not_below_zero(self.total - self.paid))


def orders_with_credit(orders: QuerySet[Order], *, organisation_id: int) -> QuerySet[Order]:
    """``orders`` (of the organisation ``organisation_id``) with what ``order_credit`` reads:
    ``paid`` (their payments), ``account`` (the member's balance, ``balance_expression``) and
    ``later`` (``_later_rests``)."""
    return orders.filter(organisation_id=organisation_id).annotate(
        paid=_payments_of(OuterRef("pk")),
        account=balance_expression(organisation=organisation_id),
        later=_later_rests(organisation_id),
    )


def order_credit(*, rest: Decimal, account: Decimal, later: Decimal) -> Decimal:
    """THE rule of the credit an order not cancelled may use: the member's account without
    this order's ``rest`` (its total less its payments; the balance counts it, debited or
    not) nor what their later orders still owe (``later``): credit goes to the earliest
    pickup first. Never negative, never « −0,00 »."""
    return _not_below_zero(round_money(account + rest + later))


def _not_below_zero(amount: Decimal) -> Decimal:
    # ZERO rather than Decimal("-0.00"), which a form field would write "-0.00".
    return amount if amount > 0 else ZERO


def order_due(*, order: Order) -> OrderDue:
    """What the member pays for this order at the pickup: its total less what was already
    paid for it, less their credit (``order_credit``: what is left of it once their earlier
    orders are met, before their later ones); never more than what their account owes
    (``balance``), so the check-in, the cash report and the account say the same (one
    query)."""
    row = (
        orders_with_credit(Order.objects.filter(pk=order.pk), organisation_id=order.organisation_id)
        .values("paid", "account", "later")
        .get()
    )
    paid, account = round_money(row["paid"]), round_money(row["account"])
    if order.status == Order.Status.CANCELLED:
        # A cancelled order is not in the balance: nothing of it is left to pay.
        return OrderDue(total=order.total, paid=paid, credit=_not_below_zero(account), due=ZERO)
    rest = order.total - paid
    credit = order_credit(rest=rest, account=account, later=round_money(row["later"]))
    due = _not_below_zero(rest - credit)
    return OrderDue(total=order.total, paid=paid, credit=credit, due=due)


def _current_periods(membership_id: int, on: date | None) -> QuerySet[MembershipPeriod]:
    on = on or timezone.localdate()
    return MembershipPeriod.objects.filter(
        membership_id=membership_id, starts_on__lte=on, ends_on__gt=on
    ).order_by("-starts_on")


def current_period(*, membership: Membership, on: date | None = None) -> MembershipPeriod | None:
    return _current_periods(membership.pk, on).first()


def _standing(fee: Decimal | None, period_paid: bool | None) -> str:
    """The rule of a membership's standing: without a fee, active; with one, this year's
    period (``period_paid`` None: there is none) must be paid."""
    if fee is None or fee <= 0:
        return MEMBERSHIP_ACTIVE
    if period_paid is None:
        return MEMBERSHIP_EXPIRED
    return MEMBERSHIP_ACTIVE if period_paid else MEMBERSHIP_PENDING_PAYMENT


def membership_status(*, membership: Membership, on: date | None = None) -> str:
    """active, pending_payment (this year's fee not paid) or expired (no current year).
    Without a fee, an active membership never expires."""
    fee = settings_of(membership.organisation).membership_fee
    if fee <= 0:
        return _standing(fee, None)
    period = current_period(membership=membership, on=on)
    return _standing(fee, None if period is None else period.paid_at is not None)


def member_status(*, organisation: Organisation, user, on: date | None = None) -> str | None:
    """The person's standing as a member, for ordering: None when not an active member, else
    what ``membership_status`` says. One query without a fee, two with one.

    Every order and every shop read of a members-only organisation asks, so the membership's
    row is read in plain SQL: building the ORM's statement cost more CPU than PostgreSQL spends
    running it (docs/performance.md, "The API rush, closer to the floor")."""
    if user.pk is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            _member_statement(), [organisation.pk, user.pk, Membership.Status.ACTIVE.value]
        )
        row = cursor.fetchone()
    if row is None:
        return None
    membership_id, fee = row
    if fee is None or fee <= 0:
        return _standing(fee, None)
    paid = list(_current_periods(membership_id, on).values_list("paid_at", flat=True)[:1])
    return _standing(fee, paid[0] is not None if paid else None)


@cache
def _member_statement() -> str:
    """The active membership's id and the organisation's fee (NULL without money settings)."""
    quote = connection.ops.quote_name
    memberships, fees = quote(Membership._meta.db_table), quote(MoneySettings._meta.db_table)
    return (
        f"SELECT m.id, s.membership_fee FROM {memberships} m"  # noqa: S608
        f" LEFT JOIN {fees} s ON s.organisation_id = m.organisation_id"
        " WHERE m.organisation_id = %s AND m.user_id = %s AND m.status = %s"
        " ORDER BY m.id LIMIT 1"
    )


def shares_held(*, organisation: Organisation, user) -> int:
    return ShareMovement.objects.filter(organisation=organisation, user=user).aggregate(
        total=Coalesce(Sum("quantity"), 0)
    )["total"]


def unresolved_payments(*, pickup) -> int:
    return AccountEntry.objects.filter(
        pickup=pickup, kind=AccountEntry.Kind.PAYMENT, method=AccountEntry.Method.UNRESOLVED
    ).count()


def unresolved_payments_by_pickup(*, organisation: Organisation, pickup_ids) -> dict[int, int]:
    """For each of these pickups, its number of payments whose method is still unknown (a
    pickup cannot be closed before they are settled); one query."""
    rows = (
        AccountEntry.objects.filter(
            organisation=organisation,
            pickup_id__in=list(pickup_ids),
            kind=AccountEntry.Kind.PAYMENT,
            method=AccountEntry.Method.UNRESOLVED,
        )
        .values("pickup_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["pickup_id"]: row["n"] for row in rows}


def transfer_reference(membership: Membership) -> str:
    """The code a member writes on a bank transfer, so the treasurer knows whose it is: the
    start of the organisation's slug and the membership's number, one dash between them (a
    slug cut just after its own dash would make "PANIERS--00012")."""
    prefix = membership.organisation.slug[:8].rstrip("-").upper()
    return f"{prefix}-{membership.pk:05d}"


def share_register(*, organisation: Organisation) -> tuple[list[dict], list[ShareMovement]]:
    """The register of shares: each holder with their shares and what they still owe for
    them, and every movement (who, how many, when, transfers and refunds). Two queries."""
    owed_for_shares = (
        AccountEntry.objects.filter(
            organisation=organisation, user=OuterRef("user"), kind=AccountEntry.Kind.SHARES
        )
        .values("user")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    holders = list(
        ShareMovement.objects.filter(organisation=organisation)
        .values("user", "user__first_name", "user__last_name", "user__email")
        .annotate(shares=Sum("quantity"), value=money_sum(Subquery(owed_for_shares)))
        .filter(shares__gt=0)
        .order_by("user__last_name", "user__first_name", "user")
    )
    for holder in holders:
        holder["name"] = person_name(
            holder["user__first_name"], holder["user__last_name"], holder["user__email"]
        )
    movements = list(
        ShareMovement.objects.filter(organisation=organisation)
        .select_related("user", "counterpart")
        .order_by("-on", "-pk")[:500]
    )
    return holders, movements
