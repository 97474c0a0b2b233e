"""The "Drive" section's tables, for the page and its CSV/XLSX files: raw numbers, never
localised (the writer formats them), amounts as ``tables.Amount``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cabas.core import tables

from . import drive


def days_table(figures: drive.DriveFigures) -> tuple[list[str], list[list]]:
    header = [_("Opening day"), _("Orders"), _("Revenue incl. VAT"), _("Slot places taken"),
              _("Slot places offered"), _("Slots occupancy (%)")]  # fmt: skip
    rows = [
        [day.day, day.orders, tables.Amount(day.amount_incl_vat), day.booked, day.capacity,
         day.occupancy]
        for day in figures.days
    ]  # fmt: skip
    return header, rows


def slots_table(figures: drive.DriveFigures) -> tuple[list[str], list[list]]:
    header = [_("Slot start"), _("Slots"), _("Places offered"), _("Orders"),
              _("Slots occupancy (%)")]  # fmt: skip
    rows = [[s.time, s.slots, s.capacity, s.booked, s.occupancy] for s in figures.slots]
    return header, rows


def stock_outs_table(figures: drive.DriveFigures) -> tuple[list[str], list[list]]:
    header = [_("Product"), _("Sold out (sales)"), _("Sales offering it"),
              _("Sold out (%)"), _("Hours before the cutoff, on average")]  # fmt: skip
    rows = [
        [p.name, p.times, p.offered, p.rate, p.hours_before_cutoff]
        for p in figures.stock_outs.products
    ]
    return header, rows


def stock_outs_weeks_table(figures: drive.DriveFigures) -> tuple[list[str], list[list]]:
    header = [_("Week of"), _("Stock-outs"), _("Products sold out")]
    rows = [[w.monday, w.stock_outs, w.products] for w in figures.stock_outs.weeks]
    return header, rows


def stock_value_table(figures: drive.DriveFigures) -> tuple[list[str], list[list]]:
    header = [_("Week of"), _("Stock value on Sunday evening (excl. VAT)")]
    rows = [[w.monday, tables.Amount(w.value)] for w in figures.stock_value]
    return header, rows


def cover_table(figures: drive.DriveFigures) -> tuple[list[str], list[list]]:
    header = [_("Category"), _("Products"), _("Out of stock"), _("Under the target cover"),
              _("Median days of cover"), _("Shortest days of cover"),
              _("Stock value (excl. VAT)")]  # fmt: skip
    rows = [
        [c.label, c.products, c.out_of_stock, c.under_target, c.median_days, c.shortest_days,
         tables.Amount(c.value)]
        for c in figures.cover
    ]  # fmt: skip
    return header, rows


def files(figures: drive.DriveFigures) -> dict:
    """The section's reports for ``tables.report_response`` (merged into the page's)."""
    return {
        "drive_days": (lambda _r: days_table(figures), _("drive opening days")),
        "drive_slots": (lambda _r: slots_table(figures), _("drive slots")),
        "stock_outs": (lambda _r: stock_outs_table(figures), _("products sold out")),
        "stock_outs_weeks": (lambda _r: stock_outs_weeks_table(figures), _("stock-outs per week")),
        "stock_value": (lambda _r: stock_value_table(figures), _("stock value per week")),
        "cover": (lambda _r: cover_table(figures), _("days of cover per category")),
    }
