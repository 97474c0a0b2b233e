"""A sale's accounting by producer and VAT rate, and what the organisation owes each
producer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from cabas.core import tables
from cabas.core.money import round_money
from cabas.orders import summaries
from cabas.orders.summaries import ProducerTotals, VatTotal, VatTotalsSum
from cabas.sales.models import Sale

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
