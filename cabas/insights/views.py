"""The coordinators' dashboard (thin: read the filters, call ``selectors``, render)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.core import tables
from cabas.orgs.permissions import Action, org_view

from . import selectors
from .forms import FiltersForm


def _form(request) -> FiltersForm:
    return FiltersForm(
        request.GET,  # always bound: no filter at all means the defaults
        organisation=request.organisation,
        today=timezone.localdate(),
    )


def weekly_table(activity: selectors.WeeklyActivity) -> tuple[list[str], list[list]]:
    """The chart's numbers as a table (the page's and the files'): raw numbers, never
    localised (the CSV/XLSX writer formats them)."""
    header = [
        _("Week of"),
        _("Sales"),
        _("Orders"),
        _("Revenue incl. VAT"),
        _("Revenue excl. VAT"),
        _("Orders a year before"),
        _("Revenue incl. VAT a year before"),
    ]
    rows = [
        [week.monday, week.sales, week.orders, tables.Amount(week.amount_incl_vat),
         tables.Amount(week.amount_excl_vat), week.last_year_orders,
         None if week.last_year_incl_vat is None else tables.Amount(week.last_year_incl_vat)]
        for week in activity.weeks
    ]  # fmt: skip
    return header, rows


@org_view(Action.MANAGE_ORGANISATION)
def dashboard(request):
    """Orders and revenue per week over the period, beside the same week a year before."""
    form = _form(request)
    if not form.is_valid():
        return render(request, "insights/dashboard.html", {"form": form}, status=400)
    activity = selectors.weekly_activity(organisation=request.organisation, filters=form.filters())
    file_format = request.GET.get("format")
    if file_format:
        header, rows = weekly_table(activity)
        return tables.report_response(
            request, {"weekly": (lambda _request: (header, rows), _("orders per week"))},
            "weekly", file_format,
        )  # fmt: skip
    chart = {
        "labels": [week.monday.isoformat() for week in activity.weeks],
        "orders": [week.orders for week in activity.weeks],
        "revenue": [str(week.amount_incl_vat) for week in activity.weeks],
        "last_year": [week.last_year_orders for week in activity.weeks],
    }
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "insights/dashboard.html",
        {"form": form, "activity": activity, "chart": chart, "query": query.urlencode()},
    )
