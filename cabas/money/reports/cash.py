"""The cash report of a pickup: the float, the payments by method, the cash expected in the
box and the orders not fully paid."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    F,
    Q,
    Sum,
)

from cabas.accounts.models import person_name
from cabas.core.money import ZERO, money_sum
from cabas.orders.models import Order
from cabas.sales.models import Pickup

from .. import selectors
from ..models import AccountEntry
from .common import _sum, _total


@dataclass(frozen=True)
class MethodTotal:
    method: str
    label: str
    count: int
    amount: Decimal


@dataclass(frozen=True)
class UnpaidOrder:
    order_id: int
    number: int | None
    customer_name: str
    total: Decimal
    paid: Decimal  # payments recorded for this order
    credit_used: Decimal  # the member's credit from the rest of their account

    @property
    def shortfall(self) -> Decimal:
        return self.total - self.paid

    @property
    def still_owed(self) -> Decimal:
        return self.shortfall - self.credit_used


@dataclass
class CashReport:
    pickup: Pickup
    cash_float: Decimal
    methods: list[MethodTotal]
    unpaid: list[UnpaidOrder]
    memberships_count: int
    memberships_amount: Decimal
    cash_refunds: Decimal = ZERO  # cash handed back at the pickup (negative)

    def _method(self, method: str) -> Decimal:
        return next((total.amount for total in self.methods if total.method == method), ZERO)

    @property
    def cash(self) -> Decimal:
        return self._method(AccountEntry.Method.CASH)

    @property
    def cheques(self) -> Decimal:
        return self._method(AccountEntry.Method.CHEQUE)

    @property
    def card(self) -> Decimal:
        return self._method(AccountEntry.Method.CARD)

    @property
    def transfers(self) -> Decimal:
        return self._method(AccountEntry.Method.TRANSFER)

    @property
    def unresolved(self) -> Decimal:
        return self._method(AccountEntry.Method.UNRESOLVED)

    @property
    def payments_total(self) -> Decimal:
        return _total(total.amount for total in self.methods)

    @property
    def expected_cash(self) -> Decimal:
        """What the cash box should hold at the end: the float plus the cash kept (change
        given back is never recorded, only the amount kept), less cash refunds."""
        return self.cash_float + self.cash + self.cash_refunds

    @property
    def unpaid_total(self) -> Decimal:
        return _total(order.shortfall for order in self.unpaid)

    @property
    def credits_used(self) -> Decimal:
        return _total(order.credit_used for order in self.unpaid)

    @property
    def still_owed(self) -> Decimal:
        return _total(order.still_owed for order in self.unpaid)


def cash_report(*, pickup: Pickup) -> CashReport:
    """The pickup's money: the cash float, the payments taken there by method (and the
    membership fees among them), the cash expected in the box, and the orders whose payments
    are below their total, with the part the member's credit covers. Three queries."""
    settings = selectors.settings_of(pickup.organisation)
    rows = (
        AccountEntry.objects.filter(
            organisation_id=pickup.organisation_id, pickup=pickup, kind=AccountEntry.Kind.PAYMENT
        )
        .values("method")
        .annotate(
            amount_sum=_sum(),
            entry_count=Count("pk"),
            fee_amount=_sum(filter=Q(membership_period__isnull=False)),
            fee_count=Count("pk", filter=Q(membership_period__isnull=False)),
        )
        .order_by()
    )
    by_method = {row["method"]: row for row in rows}
    methods = [
        MethodTotal(
            method=method.value,
            label=str(method.label),
            count=by_method.get(method.value, {}).get("entry_count", 0),
            amount=by_method.get(method.value, {}).get("amount_sum", ZERO),
        )
        for method in AccountEntry.Method
    ]
    cash_refunds = AccountEntry.objects.filter(
        pickup=pickup, kind=AccountEntry.Kind.REFUND, method=AccountEntry.Method.CASH
    ).aggregate(total=money_sum(Sum("amount")))["total"]
    return CashReport(
        pickup=pickup,
        cash_float=settings.cash_float,
        cash_refunds=cash_refunds,
        methods=methods,
        unpaid=_unpaid_orders(pickup),
        memberships_count=sum(row["fee_count"] for row in by_method.values()),
        memberships_amount=_total(row["fee_amount"] for row in by_method.values()),
    )


def _unpaid_orders(pickup: Pickup) -> list[UnpaidOrder]:
    """The pickup's orders whose payments are below their total, with the part of it the
    member's credit covers (``selectors.order_credit``, as at check-in). One query."""
    unpaid_rows = (
        selectors.orders_with_credit(
            Order.objects.filter(pickup=pickup).exclude(status=Order.Status.CANCELLED),
            organisation_id=pickup.organisation_id,
        )
        .filter(paid__lt=F("total"))
        .values(
            "pk",
            "number",
            "total",
            "paid",
            "account",
            "later",
            "user__first_name",
            "user__last_name",
            "user__email",
        )  # fmt: skip
        .order_by("number", "pk")
    )
    return [
        UnpaidOrder(
            order_id=row["pk"],
            number=row["number"],
            customer_name=person_name(
                row["user__first_name"], row["user__last_name"], row["user__email"]
            ),
            total=row["total"],
            paid=row["paid"],
            credit_used=min(
                row["total"] - row["paid"],
                selectors.order_credit(
                    rest=row["total"] - row["paid"], account=row["account"], later=row["later"]
                ),
            ),
        )
        for row in unpaid_rows
    ]
