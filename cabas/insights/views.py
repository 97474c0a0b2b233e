"""The coordinators' dashboard (thin: read the filters, call ``selectors``, render)."""

from __future__ import annotations

import dataclasses

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.core import tables
from cabas.orgs.permissions import Action, org_view

from . import drive_tables, selectors, snapshots
from . import memberships as membership_figures
from . import producer as producer_figures
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


def shares_table(shares: list[selectors.Share], first: str) -> tuple[list[str], list[list]]:
    header = [first, _("Orders"), _("Buyers"), _("Revenue incl. VAT"), _("Average basket"),
              _("Share of the revenue (%)")]  # fmt: skip
    rows = [
        [share.name, share.orders, share.buyers, tables.Amount(share.amount_incl_vat),
         tables.Amount(share.average), share.share]
        for share in shares
    ]  # fmt: skip
    if shares and shares[0].sales is not None:
        header += [_("Weeks sold"), _("Trend (%)"), _("Sales offered"), _("Orders per sale"),
                   _("First pickup")]  # fmt: skip
        for row, share in zip(rows, shares, strict=True):
            row += [share.weeks, share.trend, share.sales, share.per_sale, share.opened]
    elif shares and shares[0].weeks is not None:
        header += [_("Weeks sold"), _("Trend (%)"), _("Temporary")]
        for row, share in zip(rows, shares, strict=True):
            row += [share.weeks, share.trend, _("yes") if share.temporary else ""]
    return header, rows


def members_table(weeks: list[selectors.MembersWeek]) -> tuple[list[str], list[list]]:
    header = [
        _("Week of"),
        _("Members who ordered"),
        _("New buyers"),
        _("Returning buyers"),
        _("Lapsed buyers"),
    ]
    rows = [[w.monday, w.buyers, w.new, w.returning, w.lapsed] for w in weeks]
    return header, rows


def slots_table(heat: selectors.SlotHeat) -> tuple[list[str], list[list]]:
    header = [_("Pickup point"), *heat.times, _("No-shows (%)")]
    rows = [[row.name, *row.cells, row.no_show_rate] for row in heat.rows]
    return header, rows


def _recompute_redirect(request):
    """After « Recalculer maintenant » (a POST, CSRF-checked): back to the page with its
    filters (the figures were just computed and kept)."""
    return redirect(f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path)


def _query(request, names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@org_view(Action.MANAGE_ORGANISATION)
def dashboard(request):
    """Orders and revenue per week over the period, beside the same week a year before: the
    snapshot's figures (``snapshots``), computed again on a POST."""
    form = _form(request)
    if not form.is_valid():
        return render(request, "insights/dashboard.html", {"form": form}, status=400)
    snapshot = snapshots.coordinators_snapshot(
        organisation=request.organisation, filters=form.filters(), today=form.today,
        recompute=request.method == "POST",
    )  # fmt: skip
    if request.method == "POST":
        return _recompute_redirect(request)
    figures = snapshot.figures
    file_format = request.GET.get("format")
    if file_format:
        files = {
            "weekly": (lambda _r: weekly_table(figures["activity"]), _("orders per week")),
            "points": (lambda _r: shares_table(figures["points"], _("Pickup point")),
                       _("pickup points")),
            "producers": (lambda _r: shares_table(figures["producers"], _("Producer")),
                          _("producers")),
            "members": (lambda _r: members_table(figures["members"]), _("members per week")),
            "slots": (lambda _r: slots_table(figures["slots"]), _("slots occupancy")),
            "memberships": (lambda _r: membership_figures.memberships_table(
                figures["memberships"]), _("membership fees and shares")),
        }  # fmt: skip
        if figures["drive"] is not None:
            files.update(drive_tables.files(figures["drive"]))
        return tables.report_response(
            request, files, request.GET.get("report", "weekly"), file_format
        )
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            **figures,
            "figures_html": snapshot.html,  # a SafeString, rendered (escaped) from the figures
            "computed_at": snapshot.computed_at,
            "snapshot_minutes": snapshots.MAX_MINUTES,
            "query": _query(request, ("format", "report")),
        },
    )


@org_view(Action.USE_PRODUCER_AREA)
def producer_dashboard(request):
    """A producer's own figures: revenue per week, per sale and per month, their products
    best first (the best and the worst apart), their buyers per pickup point, what was
    missing or weighed differently. Only theirs: the producer is the one of the person's
    membership (a ``producer`` in the URL is not a filter of this page). The snapshot's
    figures (``snapshots``, theirs alone), computed again on a POST."""
    membership = request.membership
    producer = membership.producer if membership is not None else None
    form = _form(request)
    del form.fields["point"], form.fields["producer"]
    if not form.is_valid():
        return render(request, "insights/producer.html", {"form": form}, status=400)
    context = {"form": form, "producer": producer}
    if producer is None:
        return render(request, "insights/producer.html", context)
    filters = dataclasses.replace(form.filters(), producer_id=producer.pk)
    snapshot = snapshots.producer_snapshot(
        organisation=request.organisation, filters=filters, today=form.today,
        recompute=request.method == "POST",
    )  # fmt: skip
    if request.method == "POST":
        return _recompute_redirect(request)
    figures = snapshot.figures
    file_format = request.GET.get("format")
    if file_format:
        files = {
            "sales": (lambda _r: producer_figures.sales_table(figures["sales"]), _("my sales")),
            "months": (lambda _r: producer_figures.months_table(figures["months"]),
                       _("my months")),
            "products": (lambda _r: shares_table(figures["products"], _("Product")),
                         _("my products")),
            "points": (lambda _r: shares_table(figures["points"], _("Pickup point")),
                       _("my buyers")),
        }  # fmt: skip
        return tables.report_response(
            request, files, request.GET.get("report", "sales"), file_format
        )
    context.update(
        figures,
        figures_html=snapshot.html,  # a SafeString, rendered (escaped) from the figures
        computed_at=snapshot.computed_at,
        snapshot_minutes=snapshots.MAX_MINUTES,
        query=_query(request, ("format", "report", "producer", "point")),
    )
    return render(request, "insights/producer.html", context)
