"""Receipts: one order's, or a member's over a period (orders and payments)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import groupby

from django.db.models import (
    QuerySet,
    Sum,
)
from django.db.models.functions import Round

from cabas.accounts.models import person_name
from cabas.core import quantities
from cabas.core.money import ZERO, format_quantity
from cabas.orders import summaries
from cabas.orders.models import Order, OrderLine
from cabas.orders.summaries import UNIT_COLUMNS, VatTotal, VatTotalsSum
from cabas.orgs.models import Organisation

from .. import selectors
from ..models import AccountEntry
from .common import _sum, _total


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
    content_quantity: Decimal | None = None
    content_unit: str = ""
    content_count: int = 1
    variable_weight: bool = False
    estimated_weight_kg: Decimal | None = None

    @property
    def quantity_text(self) -> str:
        """ "4 × 250 g", "2 pièces, 620 g" once weighed (``core.quantities``)."""
        unit = quantities.unit_of(self, weighed_kg=self.weighed_kg)
        return format_quantity(self.quantity, unit)

    @property
    def vat_rate_display(self) -> str:
        return format_quantity(self.vat_rate)


@dataclass
class ReceiptProducer(VatTotalsSum):
    producer_id: int
    producer_name: str
    lines: list[ReceiptLine] = field(default_factory=list)
    vat_totals: list[VatTotal] = field(default_factory=list)


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
class Receipt(VatTotalsSum):
    organisation: Organisation
    customer_name: str
    customer_email: str
    orders: list[ReceiptOrder]
    producers: list[ReceiptProducer]
    vat_totals: list[VatTotal]
    payments: list[ReceiptPayment]
    balance: Decimal  # the member's account today (selectors.balance): credit or owed (< 0)
    order: Order | None = None  # the receipt of one order
    start: date | None = None  # the receipt of a period
    end: date | None = None
    estimated: bool = False  # an order whose pickup is not closed: amounts may change

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
            "vat_rate",
            "is_missing",
            *UNIT_COLUMNS,
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
                    vat_rate=row["vat_rate"],
                    quantity=row["quantity_sum"],
                    weighed_kg=row["weighed_sum"],
                    amount_incl_vat=row["amount_sum"],
                    is_missing=row["is_missing"],
                    **{name: row[name] for name in UNIT_COLUMNS},
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
        status_label=order.member_status_label,
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
        customer_name=person_name(user.first_name, user.last_name, user.email),
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
        customer_name=person_name(user.first_name, user.last_name, user.email),
        customer_email=user.email,
        orders=receipt_orders,
        producers=producers,
        vat_totals=vat_totals,
        payments=_receipt_payments(payments),
        balance=selectors.balance(organisation=organisation, user=user),
        start=start,
        end=end,
    )
