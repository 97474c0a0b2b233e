"""The supply team's reports on the shop stock that need the suppliers (thin: read the
query, call ``reports``, render a page or a CSV/XLSX file through ``core.tables``): the
stock value and the losses at purchase price, the days of cover."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cabas.catalog.models import StockMovement
from cabas.catalog.stock_reports import LOSS_REASONS, ZERO, CostBasis
from cabas.catalog.views_stock import category_param, choices_context, period
from cabas.core import tables
from cabas.core.params import BadQueryParameter, query_date
from cabas.orgs.permissions import Action, org_view

from . import reports, sales_rate
from .alerts import settings_or_default


def _value_day(request) -> date:
    return query_date(request, "date") or timezone.localdate()


def _cover_period(request) -> tuple[date, date]:
    """``?from&to``; by default the settings' sales period (28 days) ending today."""
    end = query_date(request, "to") or timezone.localdate()
    days = settings_or_default(request.organisation).sales_period_days
    start = query_date(request, "from") or sales_rate.period_ending(end, days)[0]
    if start > end:
        raise BadQueryParameter(_("The start of the period must be before its end."), name="from")
    return start, end


def basis_label(basis: str) -> str:
    if basis == CostBasis.PURCHASE:
        return _("purchase price")
    return _("selling price excl. VAT")


@org_view(Action.MANAGE_SUPPLY)
def stock_value(request):
    day = _value_day(request)
    category = category_param(request)
    rows = reports.stock_value_at(organisation=request.organisation, day=day, category=category)
    return render(
        request,
        "supply/reports/value.html",
        {
            "day": day,
            "category": category,
            "rows": rows,
            "total": sum((row.value for row in rows), ZERO),
            "purchase": CostBasis.PURCHASE,
            **choices_context(request),
        },
    )


@org_view(Action.MANAGE_SUPPLY)
def stock_losses(request):
    start, end = period(request)
    rows = reports.losses_by_category(organisation=request.organisation, start=start, end=end)
    return render(
        request,
        "supply/reports/losses.html",
        {
            "start": start,
            "end": end,
            "rows": rows,
            "lost_total": sum((row.lost_value for row in rows), ZERO),
            "gift_total": sum((row.values["gift"] for row in rows), ZERO),
            "query": request.GET.urlencode(),
        },
    )


@org_view(Action.MANAGE_SUPPLY)
def cover(request):
    start, end = _cover_period(request)
    category = category_param(request)
    rows = reports.cover(organisation=request.organisation, start=start, end=end, category=category)
    return render(
        request,
        "supply/reports/cover.html",
        {
            "start": start,
            "end": end,
            "category": category,
            "rows": rows,
            **choices_context(request),
        },
    )


# --- Files ----------------------------------------------------------------------------------


def _value_table(request):
    header = [_("Product"), _("Stock"), _("Unit cost excl. VAT"), _("Valued at")]
    header.append(_("Value excl. VAT"))
    rows = [
        [
            row.product.name,
            row.quantity,
            tables.Amount(row.unit_cost.price),
            basis_label(row.unit_cost.basis),
            tables.Amount(row.value),
        ]
        for row in reports.stock_value_at(
            organisation=request.organisation,
            day=_value_day(request),
            category=category_param(request),
        )
    ]
    return header, rows


def _losses_table(request):
    start, end = period(request)
    labels = dict(StockMovement.Reason.choices)
    reasons = (*LOSS_REASONS, StockMovement.Reason.GIFT)
    header = [_("Category")]
    for reason in reasons:
        header += [str(labels[reason]), _("Value excl. VAT")]
    rows = []
    for row in reports.losses_by_category(organisation=request.organisation, start=start, end=end):
        cells = [row.label]
        for reason in reasons:
            cells += [row.quantities[reason], tables.Amount(row.values[reason])]
        rows.append(cells)
    return header, rows


def _cover_table(request):
    start, end = _cover_period(request)
    header = [_("Product"), _("Stock"), _("Stock minimum"), _("Below minimum")]
    header += [_("Sales per day"), _("Days of cover"), _("Main supplier")]
    rows = [
        [
            row.product.name,
            row.stock,
            row.product.stock_minimum,
            row.product.is_low,
            row.per_day,
            row.days,
            row.product.main_supplier_name or "",
        ]
        for row in reports.cover(
            organisation=request.organisation,
            start=start,
            end=end,
            category=category_param(request),
        )
    ]
    return header, rows


FILES = {
    "value": (_value_table, gettext_lazy("stock value")),
    "losses": (_losses_table, gettext_lazy("losses")),
    "cover": (_cover_table, gettext_lazy("days of cover")),
}


@org_view(Action.MANAGE_SUPPLY)
def report_file(request, report: str, file_format: str):
    return tables.report_response(request, FILES, report, file_format)
