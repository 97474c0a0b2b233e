"""Every write of money. Each one adds entries (never edits an amount), in a transaction;
amounts are rounded by ``cabas.core.money``; bad input raises and writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cabas.core.errors import Amount
from cabas.core.money import ZERO, round_money
from cabas.orders.models import Order
from cabas.orgs.models import Membership, Organisation

from . import errors, selectors
from . import lock_objects as locks
from .models import AccountEntry, MembershipPeriod, MoneySettings, ShareMovement

PAYMENT_METHODS = {
    AccountEntry.Method.CASH,
    AccountEntry.Method.CHEQUE,
    AccountEntry.Method.CARD,
    AccountEntry.Method.TRANSFER,
    AccountEntry.Method.UNRESOLVED,
}


def _member(organisation: Organisation, user) -> Membership:
    membership = Membership.objects.filter(organisation=organisation, user=user).first()
    if membership is None:
        raise errors.NotAMemberHere()
    return membership


def _amount(amount) -> Decimal:
    if amount is None:
        raise errors.AmountInvalid(field="amount")
    amount = round_money(Decimal(amount))
    if amount <= 0 or amount >= Decimal("100000"):
        raise errors.AmountInvalid(field="amount")
    return amount


@transaction.atomic
def money_settings_update(*, organisation: Organisation, **fields) -> MoneySettings:
    settings, _created = MoneySettings.objects.get_or_create(organisation=organisation)
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    return settings


# --- Payments and refunds ------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *,
    organisation: Organisation,
    user,
    amount,
    method: str,
    by,
    order: Order | None = None,
    pickup=None,
    reference: str = "",
    membership_period: MembershipPeriod | None = None,
) -> AccountEntry:
    """A member pays (cash, cheque, card terminal, bank transfer with its reference, or
    'to be settled' when the method is not known yet). Goes to their account: it settles
    what they owe, or becomes credit for the next orders."""
    _member(organisation, user)
    amount = _amount(amount)
    if method not in PAYMENT_METHODS:
        raise errors.MethodInvalid(field="method")
    if order is not None and (order.organisation_id != organisation.pk or order.user_id != user.pk):
        raise errors.OrderOfAnotherMember(field="order")
    return AccountEntry.objects.create(
        organisation=organisation,
        user=user,
        kind=AccountEntry.Kind.PAYMENT,
        amount=amount,
        method=method,
        reference=reference.strip()[:80],
        order=order,
        pickup=pickup if pickup is not None else getattr(order, "pickup", None),
        membership_period=membership_period,
        recorded_by=by,
    )


@transaction.atomic
def payment_resolve(*, entry: AccountEntry, method: str, by, reference: str = "") -> AccountEntry:
    """Say how a 'to be settled' payment was made. Only the method changes: the amount,
    already counted in the balance, never does."""
    entry = locks.account_entry_lock(entry_id=entry.pk)
    if entry.method != AccountEntry.Method.UNRESOLVED:
        raise errors.NothingToResolve()
    if method not in PAYMENT_METHODS - {AccountEntry.Method.UNRESOLVED}:
        raise errors.MethodInvalid(field="method")
    entry.method = method
    entry.reference = reference.strip()[:80] or entry.reference
    entry.resolved_at = timezone.now()
    entry.save(update_fields=["method", "reference", "resolved_at"])
    return entry


@transaction.atomic
def refund_record(
    *, organisation: Organisation, user, amount, reason: str, by, pickup=None, method: str = ""
) -> AccountEntry:
    """Give money back to a member, never more than their credit, always with a reason
    (handed over at a pickup: its ``pickup`` and ``method`` put it in that cash report)."""
    _member(organisation, user)
    amount = _amount(amount)
    if not reason or not reason.strip():
        raise errors.RefundNeedsReason(field="reason")
    # Lock the member's entries so two refunds cannot both spend the same credit.
    locks.member_entries_lock(organisation_id=organisation.pk, user_id=user.pk)
    credit = selectors.balance(organisation=organisation, user=user)
    if amount > credit:
        raise errors.RefundAboveCredit(
            field="amount", credit=Amount(round_money(max(credit, ZERO)))
        )
    return AccountEntry.objects.create(
        organisation=organisation, user=user, kind=AccountEntry.Kind.REFUND, amount=-amount,
        reason=reason.strip()[:200], recorded_by=by, pickup=pickup, method=method,
    )  # fmt: skip


# --- Orders become due when their pickup closes ---------------------------------------------


def order_dues_record(*, pickup) -> int:
    """The final amount of each order of a closed pickup (collected or no-show) becomes due
    on the member's account, once (a unique constraint backs it). Payments taken at the
    pickup were already recorded: the two meet on the account. ``selectors._undebited`` is
    the other side of this fact (the orders owed before their pickup closes):
    ``distribution.pickup_close`` refuses while an order is not done, so an order is counted
    there or here, never both."""
    already = AccountEntry.objects.filter(kind=AccountEntry.Kind.ORDER, order__pickup=pickup)
    orders = Order.objects.filter(
        pickup=pickup, status__in=Order.DONE_STATUSES, total__gt=0
    ).exclude(pk__in=already.values("order"))
    dues = [
        AccountEntry(
            organisation_id=order.organisation_id,
            user_id=order.user_id,
            kind=AccountEntry.Kind.ORDER,
            amount=-order.total,
            order=order,
            pickup=pickup,
        )  # fmt: skip
        for order in orders.only("pk", "organisation_id", "user_id", "total")
    ]
    AccountEntry.objects.bulk_create(dues, ignore_conflicts=True)
    return len(dues)


# --- Memberships -----------------------------------------------------------------------------


def period_bounds(settings: MoneySettings, on: date) -> tuple[date, date]:
    """The membership year containing ``on`` (fixed date) or the 12 months from it."""
    if settings.renewal == MoneySettings.Renewal.ROLLING:
        try:
            return on, on.replace(year=on.year + 1)
        except ValueError:  # 29 February
            return on, on.replace(year=on.year + 1, day=28)
    renewal = date(on.year, settings.renewal_month, settings.renewal_day)
    start = renewal if on >= renewal else renewal.replace(year=on.year - 1)
    return start, start.replace(year=start.year + 1)


@transaction.atomic
def membership_renew(
    *, membership: Membership, by, on: date | None = None, method: str | None = None
) -> MembershipPeriod:
    """Open the membership year that contains ``on`` (or the rolling 12 months from it); its
    fee becomes due. With a ``method``, the fee is paid at once (recorded as a payment)."""
    on = on or timezone.localdate()
    settings = selectors.settings_of(membership.organisation)
    start, end = period_bounds(settings, on)
    period, created = MembershipPeriod.objects.get_or_create(
        membership=membership,
        starts_on=start,
        defaults={"organisation_id": membership.organisation_id, "ends_on": end,
                  "fee": settings.membership_fee},
    )  # fmt: skip
    if created and period.fee > 0:
        AccountEntry.objects.create(
            organisation_id=membership.organisation_id, user_id=membership.user_id,
            kind=AccountEntry.Kind.MEMBERSHIP, amount=-period.fee, membership_period=period,
            recorded_by=by,
        )  # fmt: skip
    elif created:
        period.paid_at = timezone.now()
        period.save(update_fields=["paid_at", "updated_at"])
    if method and period.paid_at is None:
        period = membership_fee_pay(period=period, method=method, by=by)
    return period


@transaction.atomic
def membership_fee_pay(
    *, period: MembershipPeriod, method: str, by, reference: str = "", pickup=None
):
    """The member pays this year's fee (at a pickup, when given): a payment entry, and the
    year becomes paid."""
    period = locks.membership_period_lock(period_id=period.pk)
    if period.paid_at is not None:
        return period
    payment_record(
        organisation=period.membership.organisation, user=period.membership.user,
        amount=period.fee, method=method, by=by, reference=reference, pickup=pickup,
        membership_period=period,
    )  # fmt: skip
    period.paid_at = timezone.now()
    period.save(update_fields=["paid_at", "updated_at"])
    return period


# --- Shares (cooperatives) -------------------------------------------------------------------


@transaction.atomic
def shares_subscribe(
    *, organisation: Organisation, user, quantity: int, by, on: date | None = None
) -> ShareMovement:
    """A member subscribes shares: the register records them, their price becomes due."""
    _member(organisation, user)
    settings = selectors.settings_of(organisation)
    if not settings.share_price:
        raise errors.SharesNotSold()
    if quantity is None or quantity <= 0:
        raise errors.SharesInvalid(field="quantity")
    held = selectors.shares_held(organisation=organisation, user=user)
    if held + quantity < settings.shares_minimum:
        raise errors.SharesBelowMinimum(field="quantity", minimum=settings.shares_minimum)
    movement = ShareMovement.objects.create(
        organisation=organisation, user=user, kind=ShareMovement.Kind.SUBSCRIPTION,
        quantity=quantity, unit_price=settings.share_price, on=on or timezone.localdate(),
        recorded_by=by,
    )  # fmt: skip
    AccountEntry.objects.create(
        organisation=organisation, user=user, kind=AccountEntry.Kind.SHARES,
        amount=-round_money(settings.share_price * quantity), share_movement=movement,
        recorded_by=by,
    )  # fmt: skip
    return movement


def _lock_holdings(organisation, users) -> None:
    locks.share_holdings_lock(organisation_id=organisation.pk, user_ids=[u.pk for u in users])


@transaction.atomic
def shares_transfer(
    *, organisation: Organisation, giver, receiver, quantity: int, by, on: date | None = None
) -> tuple[ShareMovement, ShareMovement]:
    """Shares change hands between two members (no money through the organisation)."""
    _member(organisation, giver)
    _member(organisation, receiver)
    if quantity is None or quantity <= 0:
        raise errors.SharesInvalid(field="quantity")
    _lock_holdings(organisation, [giver, receiver])
    held = selectors.shares_held(organisation=organisation, user=giver)
    if quantity > held:
        raise errors.SharesNotHeld(field="quantity", held=held)
    price = selectors.settings_of(organisation).share_price or ZERO
    on = on or timezone.localdate()
    common = {"organisation": organisation, "unit_price": price, "on": on, "recorded_by": by}
    out = ShareMovement.objects.create(
        user=giver, kind=ShareMovement.Kind.TRANSFER_OUT, quantity=-quantity,
        counterpart=receiver, **common,
    )  # fmt: skip
    into = ShareMovement.objects.create(
        user=receiver, kind=ShareMovement.Kind.TRANSFER_IN, quantity=quantity,
        counterpart=giver, **common,
    )  # fmt: skip
    return out, into


@transaction.atomic
def shares_refund(
    *, organisation: Organisation, user, quantity: int, reason: str, by, on: date | None = None
) -> ShareMovement:
    """The organisation buys shares back (a member leaves): the register records it, their
    price is credited, then paid out as a refund."""
    if not reason or not reason.strip():
        raise errors.RefundNeedsReason(field="reason")
    if quantity is None or quantity <= 0:
        raise errors.SharesInvalid(field="quantity")
    _member(organisation, user)
    _lock_holdings(organisation, [user])
    held = selectors.shares_held(organisation=organisation, user=user)
    if quantity > held:
        raise errors.SharesNotHeld(field="quantity", held=held)
    price = selectors.settings_of(organisation).share_price or ZERO
    movement = ShareMovement.objects.create(
        organisation=organisation, user=user, kind=ShareMovement.Kind.REFUND,
        quantity=-quantity, unit_price=price, on=on or timezone.localdate(),
        note=reason.strip()[:200], recorded_by=by,
    )  # fmt: skip
    value = round_money(price * quantity)
    if value > 0:
        AccountEntry.objects.create(
            organisation=organisation, user=user, kind=AccountEntry.Kind.SHARES, amount=value,
            share_movement=movement, recorded_by=by,
        )  # fmt: skip
        refund_record(organisation=organisation, user=user, amount=value, reason=reason, by=by)
    return movement
