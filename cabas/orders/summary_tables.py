"""A sale's summaries as tables (CSV, XLSX): one row per customer's line, or per producer
and product then per producer and VAT rate (the figures are ``summaries``')."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import tzinfo
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cabas.core import tables
from cabas.core.money import format_quantity, round_money

from .summaries import CustomerOrder, ProducerTotals


def _quantity(value: Decimal | None, file_format: str):
    """A quantity as a spreadsheet reads it: a number (the table writer gives it a number
    format in XLSX and a decimal comma in CSV)."""
    return value


def _money(value: Decimal, file_format: str):
    return tables.Amount(round_money(value))


def customer_lines_table(
    orders: Iterable[CustomerOrder], *, file_format: str, zone: tzinfo
) -> tuple[list[str], list[Sequence]]:
    """One row per line of ``orders`` (header translated in the active language)."""
    header = [
        _("Pickup point"),
        _("Pickup date"),
        _("Slot"),
        _("Order n°"),
        _("Customer"),
        _("Producer"),
        _("Product"),
        _("Unit"),
        _("Quantity"),
        _("Weighed (kg)"),
        pgettext("column", "VAT rate (%)"),
        _("Amount incl. VAT"),
        _("Missing"),
    ]
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
            rows.append(
                [
                    order.pickup_point_name,
                    pickup_day,
                    slot,
                    order.number,
                    order.customer_name,
                    line.producer_name,
                    line.product_name,
                    line.unit_text,
                    _quantity(line.quantity, file_format),
                    _quantity(line.weighed_kg, file_format),
                    _quantity(line.vat_rate, file_format),
                    _money(line.amount_incl_vat, file_format),
                    _("yes") if line.is_missing else "",
                ]
            )
    return header, rows


def producer_totals_table(
    producers: Iterable[ProducerTotals], *, file_format: str
) -> tuple[list[str], list[Sequence]]:
    """One row per producer and product, then one per producer and VAT rate."""
    header = [
        _("Producer"),
        _("Product"),
        _("Unit"),
        _("Quantity"),
        _("Weighed (kg)"),
        pgettext("column", "VAT rate (%)"),
        _("Amount excl. VAT"),
        _("Amount incl. VAT"),
        _("Missing"),
    ]
    rows: list[Sequence] = []
    for summary in producers:
        for product in summary.products:
            rows.append(
                [
                    summary.producer_name,
                    product.product_name,
                    product.unit_text,
                    _quantity(product.quantity, file_format),
                    _quantity(product.weighed_kg, file_format),
                    _quantity(product.vat_rate, file_format),
                    _money(product.amount_excl_vat, file_format),
                    _money(product.amount_incl_vat, file_format),
                    _("yes") if product.is_missing else "",
                ]
            )
        for total in summary.vat_totals:
            rows.append(
                [
                    summary.producer_name,
                    _("Total at %(rate)s %% VAT") % {"rate": format_quantity(total.vat_rate)},
                    "",
                    "",
                    "",
                    _quantity(total.vat_rate, file_format),
                    _money(total.amount_excl_vat, file_format),
                    _money(total.amount_incl_vat, file_format),
                    "",
                ]
            )
    return header, rows
