"""A sale's summaries as tables (CSV, XLSX): one row per customer's line, or per producer
and product then per producer and VAT rate (the figures are ``summaries``').

Each column is written once in ``COLUMNS``: its header and how a cell shows its value. A table
lists its columns by name and gives each row's values by name; a value a row does not have
is an empty cell."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cabas.core import tables
from cabas.core.money import format_quantity, round_money

from .summaries import CustomerOrder, ProducerTotals


def _as_is(value):
    """Text as it is; a quantity as a spreadsheet reads it: a number (the table writer gives
    it a number format in XLSX and a decimal comma in CSV)."""
    return value


def _money(value: Decimal):
    return tables.Amount(round_money(value))


def _missing(value: bool) -> str:
    return _("yes") if value else ""


@dataclass(frozen=True)
class Column:
    header: Callable[[], str]  # translated in the active language when the table is made
    cell: Callable[[object], object] = _as_is


COLUMNS: dict[str, Column] = {
    "pickup_point": Column(lambda: _("Pickup point")),
    "pickup_day": Column(lambda: _("Pickup date")),
    "slot": Column(lambda: _("Slot")),
    "number": Column(lambda: _("Order n°")),
    "customer": Column(lambda: _("Customer")),
    "producer": Column(lambda: _("Producer")),
    "product": Column(lambda: _("Product")),
    "unit": Column(lambda: _("Unit")),
    "quantity": Column(lambda: _("Quantity")),
    "weighed_kg": Column(lambda: _("Weighed (kg)")),
    "vat_rate": Column(lambda: pgettext("column", "VAT rate (%)")),
    "amount_excl_vat": Column(lambda: _("Amount excl. VAT"), _money),
    "amount_incl_vat": Column(lambda: _("Amount incl. VAT"), _money),
    "missing": Column(lambda: _("Missing"), _missing),
}
CUSTOMER_LINE_COLUMNS = (
    "pickup_point", "pickup_day", "slot", "number", "customer", "producer", "product", "unit",
    "quantity", "weighed_kg", "vat_rate", "amount_incl_vat", "missing",
)  # fmt: skip
PRODUCER_TOTAL_COLUMNS = (
    "producer", "product", "unit", "quantity", "weighed_kg", "vat_rate", "amount_excl_vat",
    "amount_incl_vat", "missing",
)  # fmt: skip


def _header(names: Sequence[str]) -> list[str]:
    return [COLUMNS[name].header() for name in names]


def _row(names: Sequence[str], values: Mapping[str, object]) -> list:
    return [COLUMNS[name].cell(values[name]) if name in values else "" for name in names]


def customer_lines_table(
    orders: Iterable[CustomerOrder], *, file_format: str, zone: tzinfo
) -> tuple[list[str], list[Sequence]]:
    """One row per line of ``orders`` (header translated in the active language)."""
    rows = []
    for order in orders:
        pickup_day = order.pickup_starts_at.astimezone(zone).date()  # a date cell in XLSX
        slot = (
            f"{order.slot_starts_at.astimezone(zone):%H:%M}"
            f"–{order.slot_ends_at.astimezone(zone):%H:%M}"
            if order.slot_starts_at and order.slot_ends_at
            else ""
        )
        for line in order.lines:
            values = {
                "pickup_point": order.pickup_point_name, "pickup_day": pickup_day, "slot": slot,
                "number": order.number, "customer": order.customer_name,
                "producer": line.producer_name, "product": line.product_name,
                "unit": line.unit_text, "quantity": line.quantity, "weighed_kg": line.weighed_kg,
                "vat_rate": line.vat_rate, "amount_incl_vat": line.amount_incl_vat,
                "missing": line.is_missing,
            }  # fmt: skip
            rows.append(_row(CUSTOMER_LINE_COLUMNS, values))
    return _header(CUSTOMER_LINE_COLUMNS), rows


def producer_totals_table(
    producers: Iterable[ProducerTotals], *, file_format: str
) -> tuple[list[str], list[Sequence]]:
    """One row per producer and product, then one per producer and VAT rate."""
    rows: list[Sequence] = []
    for summary in producers:
        for product in summary.products:
            values = {
                "producer": summary.producer_name, "product": product.product_name,
                "unit": product.unit_text, "quantity": product.quantity,
                "weighed_kg": product.weighed_kg, "vat_rate": product.vat_rate,
                "amount_excl_vat": product.amount_excl_vat,
                "amount_incl_vat": product.amount_incl_vat, "missing": product.is_missing,
            }  # fmt: skip
            rows.append(_row(PRODUCER_TOTAL_COLUMNS, values))
        for total in summary.vat_totals:
            label = _("Total at %(rate)s %% VAT") % {"rate": format_quantity(total.vat_rate)}
            values = {
                "producer": summary.producer_name, "product": label,
                "vat_rate": total.vat_rate, "amount_excl_vat": total.amount_excl_vat,
                "amount_incl_vat": total.amount_incl_vat,
            }  # fmt: skip
            rows.append(_row(PRODUCER_TOTAL_COLUMNS, values))
    return _header(PRODUCER_TOTAL_COLUMNS), rows
