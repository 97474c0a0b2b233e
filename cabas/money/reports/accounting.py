"""A sale's accounting by producer and VAT rate, and what the organisation owes each
producer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cabas.core import tables
from cabas.core.money import round_money
from cabas.orders import summaries
from cabas.orders.summaries import ProducerTotals, VatTotal, VatTotalsSum
from cabas.sales.models import Sale
from cabas.work import reports as work_reports
from cabas.work.reports import CompensationRow

from .. import selectors
from .common import _total


@dataclass(frozen=True, kw_only=True)
class AccountingRow(VatTotal):
    """A producer's total at one VAT rate (the VAT and the rate's display come from
    VatTotal)."""

    producer_id: int
    producer_name: str


@dataclass
class SaleAccounting(VatTotalsSum):
    rows: list[AccountingRow]
    vat_totals: list[VatTotal]  # the whole sale, excl. VAT computed on each rate's total


def sale_accounting(
    *, sale: Sale, producers: Sequence[ProducerTotals] | None = None
) -> SaleAccounting:
    """One row per producer and VAT rate of the sale's active orders: amounts incl. and
    excl. VAT (excl. VAT per producer and rate) and the VAT. One query (none when the
    producers' totals are given)."""
    if producers is None:
        producers = summaries.producer_vat_totals(sale=sale)
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
        pgettext("column", "VAT rate (%)"),
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
    compensation: Decimal = Decimal("0.00")  # défraiements of its people on duty

    @property
    def owed(self) -> Decimal:
        """For the sales: the sales less the commission."""
        return self.sales_incl_vat - self.commission

    @property
    def to_pay(self) -> Decimal:
        return self.owed + self.compensation


@dataclass
class ProducerPayouts:
    commission_percent: Decimal
    rows: list[ProducerPayout]
    # Every défraiement of the sale's pickups, per person (producers' people, and everyone
    # on duty when the organisation compensates everyone).
    compensations: list[CompensationRow] = field(default_factory=list)

    @property
    def sales_incl_vat(self) -> Decimal:
        return _total(row.sales_incl_vat for row in self.rows)

    @property
    def commission(self) -> Decimal:
        return _total(row.commission for row in self.rows)

    @property
    def owed(self) -> Decimal:
        return _total(row.owed for row in self.rows)

    @property
    def compensation(self) -> Decimal:
        return _total(row.amount for row in self.compensations)

    @property
    def others_compensation(self) -> Decimal:
        """The défraiements of people who are no producer's."""
        return _total(row.amount for row in self.compensations if row.producer_id is None)

    @property
    def to_pay(self) -> Decimal:
        return self.owed + self.compensation


def _with_compensations(
    rows: list[ProducerPayout], compensations: list[CompensationRow]
) -> list[ProducerPayout]:
    """Each producer's row with its people's défraiements; a producer who sold nothing but
    was on duty gets a row of its own."""
    by_producer: dict[int, Decimal] = {}
    names: dict[int, str] = {}
    for compensation in compensations:
        if compensation.producer_id is not None:
            key = compensation.producer_id
            by_producer[key] = by_producer.get(key, Decimal("0.00")) + compensation.amount
            names[key] = compensation.producer_name
    result = [
        ProducerPayout(
            producer_id=row.producer_id,
            producer_name=row.producer_name,
            sales_incl_vat=row.sales_incl_vat,
            commission=row.commission,
            compensation=by_producer.pop(row.producer_id, Decimal("0.00")),
        )
        for row in rows
    ]
    zero = Decimal("0.00")
    result += [
        ProducerPayout(producer_id=key, producer_name=names[key], sales_incl_vat=zero,
                       commission=zero, compensation=amount)
        for key, amount in sorted(by_producer.items(), key=lambda item: names[item[0]])
    ]  # fmt: skip
    return result


def producer_payouts(
    *, sale: Sale, producers: Sequence[ProducerTotals] | None = None
) -> ProducerPayouts:
    """What the organisation owes each producer for the sale: their sales incl. VAT less
    the organisation's commission (rounded half up to the cent, per producer), and, apart,
    the défraiements of the people who held the duties of its pickups. Three queries (two
    when the producers' totals are given)."""
    percent = selectors.settings_of(sale.organisation).commission_percent
    if producers is None:
        producers = summaries.producer_vat_totals(sale=sale)
    compensations = work_reports.sale_compensations(sale=sale)
    rows = [
        ProducerPayout(
            producer_id=producer.producer_id,
            producer_name=producer.producer_name,
            sales_incl_vat=producer.amount_incl_vat,
            commission=round_money(producer.amount_incl_vat * percent / 100),
        )
        for producer in producers
    ]
    return ProducerPayouts(
        commission_percent=percent,
        rows=_with_compensations(rows, compensations),
        compensations=compensations,
    )


def producer_payouts_table(payouts: ProducerPayouts) -> tuple[list[str], list[list]]:
    """The payouts export: per producer, the sales, the commission, what is owed for the
    sales, the défraiement apart and the total to pay; the people on duty who are no
    producer's in one row; then the totals (numbers kept numeric)."""
    header = [
        _("Producer"),
        _("Sales incl. VAT"),
        _("Commission"),
        _("Owed for the sales"),
        _("Défraiement"),
        _("Total to pay"),
    ]
    money = tables.Amount
    rows = [
        [
            row.producer_name,
            money(row.sales_incl_vat),
            money(row.commission),
            money(row.owed),
            money(row.compensation),
            money(row.to_pay),
        ]
        for row in payouts.rows
    ]
    if payouts.others_compensation:
        others = money(payouts.others_compensation)
        rows.append([_("Other people on duty"), None, None, None, others, others])
    rows.append(
        [
            _("Total"),
            money(payouts.sales_incl_vat),
            money(payouts.commission),
            money(payouts.owed),
            money(payouts.compensation),
            money(payouts.to_pay),
        ]
    )
    return header, rows
