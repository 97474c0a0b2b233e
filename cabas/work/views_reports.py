"""The coordinators' reports on duties and shifts (thin: read the period, call
``cabas.work.reports``, render a page or a CSV/XLSX file through ``core.tables``)."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from cabas.core import tables
from cabas.core.params import BadQueryParameter, query_date
from cabas.orgs.permissions import Action, org_view

from . import reports

DEFAULT_DAYS = 28  # four weeks, today included


def _period(request) -> tuple[date, date]:
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD``; by default the last four weeks to today."""
    today = timezone.localdate()
    end = query_date(request, "to") or today
    start = query_date(request, "from") or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise BadQueryParameter(_("The start of the period must be before its end."), name="from")
    return start, end


def _period_context(start: date, end: date) -> dict:
    return {"start": start, "end": end, "query": f"from={start:%Y-%m-%d}&to={end:%Y-%m-%d}"}


@org_view(Action.MANAGE_ORGANISATION)
def work_reports(request):
    """Duties filled per pickup point, what each person did, the shifts' attendance and
    the members in alert or suspended."""
    organisation = request.organisation
    start, end = _period(request)
    period = {"organisation": organisation, "start": start, "end": end}
    points = reports.duties_by_point(**period)
    return render(
        request,
        "work/reports/reports.html",
        {
            **_period_context(start, end),
            "points": points,
            "people": reports.people_history(**period),
            "shifts": reports.shift_attendance(**period),
            "statuses": reports.members_not_up_to_date(
                organisation=organisation, today=timezone.localdate()
            ),
            "duties_total": sum(point.duties for point in points),
            "unfilled_total": sum(point.unfilled for point in points),
        },
    )


@org_view(Action.MANAGE_ORGANISATION)
def compensation_report(request):
    """The défraiements of the period's pickups, per person and producer, with the total."""
    start, end = _period(request)
    rows = reports.compensations_by_person(organisation=request.organisation, start=start, end=end)
    return render(
        request,
        "work/reports/compensations.html",
        {
            **_period_context(start, end),
            "rows": rows,
            "hours_total": reports.total(row.hours for row in rows),
            "amount_total": reports.total(row.amount for row in rows),
        },
    )


def _points_table(request, start, end):
    header = [_("Pickup point"), _("Duties"), _("Duties lacking people"), _("Places"),
              _("Places taken")]  # fmt: skip
    rows = [
        [row.point_name, row.duties, row.unfilled, row.places, row.taken]
        for row in reports.duties_by_point(organisation=request.organisation, start=start, end=end)
    ]
    return _("duties"), header, rows


def _people_table(request, start, end):
    header = [_("Person"), _("Times worked"), _("Absent, excused"), _("Absent without notice"),
              _("Hours")]  # fmt: skip
    rows = [
        [row.name, row.done, row.excused, row.absent, row.hours]
        for row in reports.people_history(organisation=request.organisation, start=start, end=end)
    ]
    return _("people"), header, rows


def _compensations_table(request, start, end):
    header = [_("Person"), _("Producer"), _("Pickups"), _("Hours"), _("Défraiement")]
    found = reports.compensations_by_person(organisation=request.organisation, start=start, end=end)
    rows = [
        [row.name, row.producer_name, row.pickups, row.hours, tables.Amount(row.amount)]
        for row in found
    ]
    rows.append(
        [_("Total"), "", None, reports.total(row.hours for row in found),
         tables.Amount(reports.total(row.amount for row in found))]
    )  # fmt: skip
    return _("defraiements"), header, rows


_TABLES = {
    "duties": _points_table,
    "people": _people_table,
    "compensations": _compensations_table,
}


@org_view(Action.MANAGE_ORGANISATION)
def report_file(request, table: str, file_format: str):
    """One of the reports' tables as CSV or XLSX, for the period of the page."""
    if table not in _TABLES or file_format not in tables.FORMATS:
        raise Http404
    start, end = _period(request)
    name, header, rows = _TABLES[table](request, start, end)
    file_name = f"{slugify(name)}-{start:%Y-%m-%d}-{end:%Y-%m-%d}"
    title = capfirst(str(name))
    return tables.table_response(file_name, header, rows, file_format, title=title)
