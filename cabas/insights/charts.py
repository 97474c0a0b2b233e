"""The charts' data as the page's JSON (static/insights/charts.js draws them with Chart.js):
raw numbers, never localised; the labels of the series in the page's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import drive, selectors
from .memberships import MembershipMonth
from .producer import MonthFigures

GREEN, AMBER, BLUE, GREY = "#2e7d4f", "#b26a00", "#2f5d8a", "#8a8a80"


def _days(items) -> list[str]:
    return [item.monday.isoformat() for item in items]


def weekly(activity: selectors.WeeklyActivity) -> dict:
    """Orders per week as bars, the same week a year before as a line."""
    return {
        "labels": _days(activity.weeks),
        "dates": "day",
        "datasets": [
            {"label": _("Orders"), "data": [w.orders for w in activity.weeks], "color": GREEN},
            {"label": _("A year before"), "type": "line", "color": AMBER,
             "data": [w.last_year_orders for w in activity.weeks]},
        ],
    }  # fmt: skip


def members(weeks: list[selectors.MembersWeek]) -> dict:
    """New and returning buyers per week stacked, the lapsed as a line."""
    return {
        "labels": _days(weeks),
        "dates": "day",
        "stacked": True,
        "datasets": [
            {"label": _("Returning buyers"), "data": [w.returning for w in weeks], "color": GREEN},
            {"label": _("New buyers"), "data": [w.new for w in weeks], "color": BLUE},
            {"label": _("Lapsed buyers"), "type": "line", "color": GREY,
             "data": [w.lapsed for w in weeks]},
        ],
    }  # fmt: skip


def _months(items) -> list[str]:
    return [item.month.isoformat() for item in items]


def producer_months(months: list[MonthFigures]) -> dict:
    """A producer's revenue incl. VAT per month."""
    return {
        "labels": _months(months),
        "dates": "month",
        "datasets": [
            {"label": _("Revenue incl. VAT"), "color": GREEN,
             "data": [float(month.amount_incl_vat) for month in months]},
        ],
    }  # fmt: skip


def memberships(months: list[MembershipMonth]) -> dict:
    """The shares held at each month's end."""
    return {
        "labels": _months(months),
        "dates": "month",
        "datasets": [
            {"label": _("Shares held at the end of the month"), "color": GREEN,
             "data": [month.held for month in months]},
        ],
    }  # fmt: skip


def drive_days(figures: drive.DriveFigures) -> dict:
    """Orders per opening day of the drive."""
    return {
        "labels": [day.day.isoformat() for day in figures.days],
        "dates": "weekday",
        "datasets": [
            {"label": _("Orders"), "color": GREEN, "data": [day.orders for day in figures.days]},
        ],
    }


def drive_stock(figures: drive.DriveFigures) -> dict:
    """The stock's value at the end of each week, as a line."""
    weeks = figures.stock_value
    return {
        "labels": [week.monday.isoformat() for week in weeks],
        "dates": "day",
        "datasets": [
            {"label": _("Stock value (excl. VAT)"), "type": "line", "color": AMBER,
             "data": [float(week.value) for week in weeks]},
        ],
    }  # fmt: skip
