"""The money reports: a pickup's cash report, a sale's accounting and what the organisation
owes each producer, the members' balances, and receipts (one order, or a member's period).

Every figure is a database aggregate, or a sum of the database's exact decimal sums; each
selector runs a fixed number of queries, whatever the number of orders, lines and members.
Amounts excluding VAT are computed once per VAT rate total (HT = TTC / (1 + rate), rounded
half up), never line by line, as in ``cabas.orders.summaries`` whose functions are
reused here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import groupby

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.core import tables
from cabas.core.money import ZERO, money_sum, round_money
from cabas.orders import summaries
from cabas.orders.models import Order, OrderLine
from cabas.orders.summaries import ProducerTotals, VatTotal, display_quantity, unit_of
from cabas.orgs.models import Membership, Organisation
from cabas.sales.models import Pickup, Sale

from . import selectors
from .models import AccountEntry, MembershipPeriod


def _sum(**kwargs):
    return money_sum(Sum("amount", **kwargs))


def _total(amounts) -> Decimal:
    return sum(amounts, ZERO)


def _person_name(first_name: str, last_name: str, email: str) -> str:
    return f"{first_name} {last_name}".strip() or email


# --- Cash report of a pickup -----------------------------------------------------------------


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
    paid = (
        AccountEntry.objects.filter(order=OuterRef("pk"), kind=AccountEntry.Kind.PAYMENT)
        .values("order")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    # The rest of the member's account (as in selectors.order_due): its credit pays the order.
    others = (
        AccountEntry.objects.filter(organisation=OuterRef("organisation"), user=OuterRef("user"))
        .filter(Q(order__isnull=True) | ~Q(order=OuterRef("pk")))
        .values("user")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    unpaid_rows = (
        Order.objects.filter(organisation_id=pickup.organisation_id, pickup=pickup)
        .exclude(status=Order.Status.CANCELLED)
        .annotate(
            paid=money_sum(Subquery(paid)),
            others=money_sum(Subquery(others)),
        )
        .filter(paid__lt=F("total"))
        .values(
            "pk",
            "number",
            "total",
            "paid",
            "others",
            "user__first_name",
            "user__last_name",
            "user__email",
        )  # fmt: skip
        .order_by("number", "pk")
    )
    unpaid = [
        UnpaidOrder(
            order_id=row["pk"],
            number=row["number"],
            customer_name=_person_name(
                row["user__first_name"], row["user__last_name"], row["user__email"]
            ),
            total=row["total"],
            paid=row["paid"],
            credit_used=min(row["total"] - row["paid"], max(row["others"], ZERO)),
        )
        for row in unpaid_rows
    ]
    cash_refunds = AccountEntry.objects.filter(
        pickup=pickup, kind=AccountEntry.Kind.REFUND, method=AccountEntry.Method.CASH
    ).aggregate(total=money_sum(Sum("amount")))["total"]
    return CashReport(
        pickup=pickup,
        cash_float=settings.cash_float,
        cash_refunds=cash_refunds,
        methods=methods,
        unpaid=unpaid,
        memberships_count=sum(row["fee_count"] for row in by_method.values()),
        memberships_amount=_total(row["fee_amount"] for row in by_method.values()),
    )


# --- A sale: accounting by producer and VAT rate, and what each producer is owed -----------


@dataclass(frozen=True, kw_only=True)
class AccountingRow(VatTotal):
    """A producer's total at one VAT rate (the VAT and the rate's display come from
    VatTotal)."""

    producer_id: int
    producer_name: str


@dataclass
class SaleAccounting:
    rows: list[AccountingRow]
    vat_totals: list[VatTotal]  # the whole sale, excl. VAT computed on each rate's total

    @property
    def amount_incl_vat(self) -> Decimal:
        return _total(total.amount_incl_vat for total in self.vat_totals)

    @property
    def amount_excl_vat(self) -> Decimal:
        return _total(total.amount_excl_vat for total in self.vat_totals)

    @property
    def vat(self) -> Decimal:
        return self.amount_incl_vat - self.amount_excl_vat


def sale_accounting(
    *, sale: Sale, producers: Sequence[ProducerTotals] | None = None
) -> SaleAccounting:
    """One row per producer and VAT rate of the sale's active orders: amounts incl. and
    excl. VAT (excl. VAT per producer and rate) and the VAT. One query (none when the
    producers' totals are given)."""
    if producers is None:
        producers = summaries.producer_totals(sale=sale)
    rows = [
        AccountingRow(
            producer_id=producer.producer_id,
            producer_name=producer.producer_name,
            vat_rate=total.vat_rate,
            amount_incl_vat=total.amount_incl_vat,
            amount_excl_vat=total.amount_excl_vat,
        )
        for producer in producers
        for total in producer.vat_totals
    ]
    return SaleAccounting(rows=rows, vat_totals=summaries.sale_vat_totals(producers))


def _table_money(value: Decimal, file_format: str):
    return tables.Amount(round_money(value))


def _table_rate(value: Decimal, file_format: str):
    return value


def sale_accounting_table(
    accounting: SaleAccounting, *, file_format: str
) -> tuple[list[str], list[list]]:
    """The accounting export: one row per producer and VAT rate, then the sale's total per
    rate (header translated in the active language; decimal commas in the CSV)."""
    header = [
        _("Producer"),
        _("VAT rate (%)"),
        _("Amount excl. VAT"),
        _("VAT"),
        _("Amount incl. VAT"),
    ]
    rows = [
        [
            row.producer_name,
            _table_rate(row.vat_rate, file_format),
            _table_money(row.amount_excl_vat, file_format),
            _table_money(row.vat, file_format),
            _table_money(row.amount_incl_vat, file_format),
        ]
        for row in accounting.rows
    ]
    rows += [
        [
            _("All producers"),
            _table_rate(total.vat_rate, file_format),
            _table_money(total.amount_excl_vat, file_format),
            _table_money(total.vat, file_format),
            _table_money(total.amount_incl_vat, file_format),
        ]
        for total in accounting.vat_totals
    ]
    return header, rows


@dataclass(frozen=True)
class ProducerPayout:
    producer_id: int
    producer_name: str
    sales_incl_vat: Decimal
    commission: Decimal

    @property
    def owed(self) -> Decimal:
        return self.sales_incl_vat - self.commission


@dataclass
class ProducerPayouts:
    commission_percent: Decimal
    rows: list[ProducerPayout]

    @property
    def sales_incl_vat(self) -> Decimal:
        return _total(row.sales_incl_vat for row in self.rows)

    @property
    def commission(self) -> Decimal:
        return _total(row.commission for row in self.rows)

    @property
    def owed(self) -> Decimal:
        return _total(row.owed for row in self.rows)


def producer_payouts(
    *, sale: Sale, producers: Sequence[ProducerTotals] | None = None
) -> ProducerPayouts:
    """What the organisation owes each producer for the sale: their sales incl. VAT less
    the organisation's commission (rounded half up to the cent, per producer). Two queries
    (one when the producers' totals are given)."""
    percent = selectors.settings_of(sale.organisation).commission_percent
    if producers is None:
        producers = summaries.producer_totals(sale=sale)
    return ProducerPayouts(
        commission_percent=percent,
        rows=[
            ProducerPayout(
                producer_id=producer.producer_id,
                producer_name=producer.producer_name,
                sales_incl_vat=producer.amount_incl_vat,
                commission=round_money(producer.amount_incl_vat * percent / 100),
            )
            for producer in producers
        ],
    )


# --- Members' balances -----------------------------------------------------------------------


def member_balances(
    *,
    organisation: Organisation,
    negative_only: bool = False,
    expired_only: bool = False,
    on: date | None = None,
) -> QuerySet[Membership]:
    """The organisation's members (active, or who left), each with ``balance`` (sum of
    their entries) and ``money_status`` (active, pending_payment or expired, as
    selectors.membership_status says), by name. ``negative_only``: those who owe money;
    ``expired_only``: those without a paid membership year today (nobody when membership
    is free). Two queries once evaluated."""
    on = on or timezone.localdate()
    fee = selectors.settings_of(organisation).membership_fee
    memberships = selectors.memberships_with_balance(organisation=organisation).filter(
        status__in=[Membership.Status.ACTIVE, Membership.Status.LEFT]
    )
    current = MembershipPeriod.objects.filter(
        membership=OuterRef("pk"), starts_on__lte=on, ends_on__gt=on
    )
    if fee > 0:
        memberships = memberships.annotate(
            money_status=Case(
                When(Exists(current.filter(paid_at__isnull=False)),
                     then=Value(selectors.MEMBERSHIP_ACTIVE)),
                When(Exists(current), then=Value(selectors.MEMBERSHIP_PENDING_PAYMENT)),
                default=Value(selectors.MEMBERSHIP_EXPIRED),
                output_field=CharField(),
            )
        )  # fmt: skip
    else:
        memberships = memberships.annotate(
            money_status=Value(selectors.MEMBERSHIP_ACTIVE, output_field=CharField())
        )
    if negative_only:
        memberships = memberships.filter(balance__lt=0)
    if expired_only:
        if fee > 0:
            memberships = memberships.filter(~Exists(current.filter(paid_at__isnull=False)))
        else:
            memberships = memberships.none()
    return memberships.order_by("user__last_name", "user__first_name", "user__email", "pk")


# --- Receipts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptLine:
    product_name: str
    unit_label: str
    unit_kind: str
    vat_rate: Decimal
    quantity: Decimal
    weighed_kg: Decimal | None
    amount_incl_vat: Decimal
    is_missing: bool

    @property
    def quantity_display(self) -> str:
        return display_quantity(self.quantity)

    @property
    def weighed_display(self) -> str:
        return display_quantity(self.weighed_kg) if self.weighed_kg is not None else ""

    @property
    def unit(self) -> str:
        return unit_of(self.unit_label, self.unit_kind)

    @property
    def vat_rate_display(self) -> str:
        return display_quantity(self.vat_rate)


@dataclass
class ReceiptProducer:
    producer_id: int
    producer_name: str
    lines: list[ReceiptLine] = field(default_factory=list)
    vat_totals: list[VatTotal] = field(default_factory=list)

    @property
    def amount_incl_vat(self) -> Decimal:
        return _total(total.amount_incl_vat for total in self.vat_totals)

    @property
    def amount_excl_vat(self) -> Decimal:
        return _total(total.amount_excl_vat for total in self.vat_totals)


@dataclass(frozen=True)
class ReceiptPayment:
    created_at: datetime
    method: str
    method_label: str
    reference: str
    amount: Decimal
    order_number: int | None
    sale_title: str
    is_membership_fee: bool


@dataclass(frozen=True)
class ReceiptOrder:
    number: int | None
    sale_title: str
    pickup_point_name: str
    pickup_starts_at: datetime
    status_label: str
    total: Decimal


@dataclass
class Receipt:
    organisation: Organisation
    customer_name: str
    customer_email: str
    orders: list[ReceiptOrder]
    producers: list[ReceiptProducer]
    vat_totals: list[VatTotal]
    payments: list[ReceiptPayment]
    balance: Decimal  # the member's account today: credit (positive) or owed (negative)
    order: Order | None = None  # the receipt of one order
    start: date | None = None  # the receipt of a period
    end: date | None = None
    estimated: bool = False  # an order whose pickup is not closed: amounts may change

    @property
    def amount_incl_vat(self) -> Decimal:
        return _total(total.amount_incl_vat for total in self.vat_totals)

    @property
    def amount_excl_vat(self) -> Decimal:
        return _total(total.amount_excl_vat for total in self.vat_totals)

    @property
    def vat(self) -> Decimal:
        return self.amount_incl_vat - self.amount_excl_vat

    @property
    def paid(self) -> Decimal:
        return _total(payment.amount for payment in self.payments)

    @property
    def credit(self) -> Decimal:
        return max(self.balance, ZERO)

    @property
    def owed(self) -> Decimal:
        return max(-self.balance, ZERO)


def _receipt_producers(lines: QuerySet[OrderLine]) -> tuple[list[ReceiptProducer], list[VatTotal]]:
    """The lines by producer (same product, unit and rate added up) with each producer's
    and the whole receipt's totals per VAT rate. One query."""
    rows = (
        lines.values(
            "producer_id",
            "producer__name",
            "product_name",
            "unit_label",
            "unit_kind",
            "vat_rate",
            "is_missing",
        )  # fmt: skip
        .annotate(
            # Rounded in the database: SQLite adds decimals as floats.
            quantity_sum=Round(Sum("quantity"), 3),
            weighed_sum=Round(Sum("weighed_kg"), 3),
            amount_sum=_sum(),
        )
        .order_by("producer__name", "producer_id", "product_name", "vat_rate", "is_missing")
    )
    producers = []
    receipt_by_rate: dict[Decimal, Decimal] = {}
    for (producer_id, name), group in groupby(
        rows, key=lambda row: (row["producer_id"], row["producer__name"])
    ):
        producer = ReceiptProducer(producer_id=producer_id, producer_name=name)
        by_rate: dict[Decimal, Decimal] = {}
        for row in group:
            producer.lines.append(
                ReceiptLine(
                    product_name=row["product_name"],
                    unit_label=row["unit_label"],
                    unit_kind=row["unit_kind"],
                    vat_rate=row["vat_rate"],
                    quantity=row["quantity_sum"],
                    weighed_kg=row["weighed_sum"],
                    amount_incl_vat=row["amount_sum"],
                    is_missing=row["is_missing"],
                )
            )
            if not row["is_missing"]:
                by_rate[row["vat_rate"]] = by_rate.get(row["vat_rate"], ZERO) + row["amount_sum"]
        for rate, amount in by_rate.items():
            receipt_by_rate[rate] = receipt_by_rate.get(rate, ZERO) + amount
        producer.vat_totals = summaries.vat_totals(by_rate)
        producers.append(producer)
    return producers, summaries.vat_totals(receipt_by_rate)


def _receipt_payments(entries: QuerySet[AccountEntry]) -> list[ReceiptPayment]:
    labels = dict(AccountEntry.Method.choices)
    rows = (
        entries.filter(kind=AccountEntry.Kind.PAYMENT)
        .values(
            "created_at",
            "method",
            "reference",
            "amount",
            "order__number",
            "order__sale__title",
            "membership_period_id",
        )  # fmt: skip
        .order_by("created_at", "pk")
    )
    return [
        ReceiptPayment(
            created_at=row["created_at"],
            method=row["method"],
            method_label=str(labels.get(row["method"], row["method"])),
            reference=row["reference"],
            amount=row["amount"],
            order_number=row["order__number"],
            sale_title=row["order__sale__title"] or "",
            is_membership_fee=row["membership_period_id"] is not None,
        )
        for row in rows
    ]


def _receipt_order(order: Order) -> ReceiptOrder:
    return ReceiptOrder(
        number=order.number,
        sale_title=order.sale.title,
        pickup_point_name=order.pickup.pickup_point.name,
        pickup_starts_at=order.pickup.starts_at,
        status_label=str(order.get_status_display()),
        total=order.total,
    )


def order_for_receipt(*, organisation: Organisation, code) -> Order | None:
    """The order of this organisation with this code, with what its receipt shows."""
    return (
        Order.objects.select_related("organisation", "sale", "pickup__pickup_point", "user")
        .filter(organisation=organisation, code=code)
        .first()
    )


def order_receipt(*, order: Order) -> Receipt:
    """The receipt of one order: its lines by producer, its totals per VAT rate (excl. and
    incl. VAT), the payments recorded for it and the member's balance today. Three queries
    (with the order from ``order_for_receipt``)."""
    producers, vat_totals = _receipt_producers(OrderLine.objects.filter(order=order))
    user = order.user
    return Receipt(
        organisation=order.organisation,
        customer_name=_person_name(user.first_name, user.last_name, user.email),
        customer_email=user.email,
        orders=[_receipt_order(order)],
        producers=producers,
        vat_totals=vat_totals,
        payments=_receipt_payments(AccountEntry.objects.filter(order=order)),
        balance=selectors.balance(organisation=order.organisation, user=user),
        order=order,
        estimated=order.finalised_at is None,
    )


def _day_bounds(organisation: Organisation, start: date, end: date) -> tuple[datetime, datetime]:
    """From the start of ``start`` to the end of ``end``, in the organisation's time."""
    zone = organisation.tzinfo
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def period_receipt(*, organisation: Organisation, user, start: date, end: date) -> Receipt:
    """A member's receipt for a period: the orders billed (collected or not collected)
    whose pickup was in the period, their lines by producer, totals per VAT rate, the
    payments recorded in the period and the balance today. Four queries."""
    since, until = _day_bounds(organisation, start, end)
    orders = Order.objects.filter(
        organisation=organisation,
        user=user,
        status__in=Order.DONE_STATUSES,
        pickup__starts_at__gte=since,
        pickup__starts_at__lt=until,
    )
    receipt_orders = [
        _receipt_order(order)
        for order in orders.select_related("sale", "pickup__pickup_point").order_by(
            "pickup__starts_at", "pk"
        )
    ]
    producers, vat_totals = _receipt_producers(
        OrderLine.objects.filter(organisation=organisation, order__in=orders)
    )
    payments = AccountEntry.objects.filter(
        organisation=organisation, user=user, created_at__gte=since, created_at__lt=until
    )
    return Receipt(
        organisation=organisation,
        customer_name=_person_name(user.first_name, user.last_name, user.email),
        customer_email=user.email,
        orders=receipt_orders,
        producers=producers,
        vat_totals=vat_totals,
        payments=_receipt_payments(payments),
        balance=selectors.balance(organisation=organisation, user=user),
        start=start,
        end=end,
    )
