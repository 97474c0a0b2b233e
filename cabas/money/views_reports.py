"""The money reports as pages and files (thin: parse, call cabas.money.reports, render):
a pickup's cash report, a sale's accounting and producer payouts, the members' balances, and
receipts of an order or of a period as printable pages and PDF."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cabas.core import tables
from cabas.core.downloads import content_disposition
from cabas.core.paging import page_of
from cabas.core.params import BadQueryParameter, query_date
from cabas.orders import summaries
from cabas.orders.models import Order
from cabas.orgs.models import Membership
from cabas.orgs.permissions import Action, has_role, org_view
from cabas.sales.models import Pickup, Sale

from . import reports, selectors
from .reports import purchases as purchase_reports

BALANCES_PER_PAGE = 100


def _pdf_response(context: dict, file_name: str) -> HttpResponse:
    """The receipt as a PDF (``receipt_pdf``: the same parts as the page)."""
    from . import receipt_pdf  # reportlab is loaded by the first PDF, not by every process

    receipt = context["receipt"]
    title = f"{_('Receipt')} · {receipt.organisation.name}"
    content = receipt_pdf.receipt_pdf(receipt, issued_on=context["issued_on"], title=title)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"{file_name}.pdf", inline=True)
    return response


# --- Cash report of a pickup -----------------------------------------------------------------


@org_view(Action.RUN_DISTRIBUTION)
def cash_report(request, pickup_id: int):
    pickup = get_object_or_404(
        Pickup.objects.select_related("organisation", "sale", "pickup_point"),
        pk=pickup_id,
        organisation=request.organisation,
    )
    return render(
        request,
        "money/reports/cash_report.html",
        {"pickup": pickup, "report": reports.cash_report(pickup=pickup)},
    )


# --- A sale: accounting and payouts ----------------------------------------------------------


def _sale(request, sale_id: int) -> Sale:
    return get_object_or_404(
        Sale.objects.select_related("organisation"), pk=sale_id, organisation=request.organisation
    )


@org_view(Action.MANAGE_ORGANISATION)
def sale_money(request, sale_id: int):
    """The sale's accounting by producer and VAT rate, and what each producer is owed."""
    sale = _sale(request, sale_id)
    producers = summaries.producer_vat_totals(sale=sale)
    return render(
        request,
        "money/reports/sale_money.html",
        {
            "sale": sale,
            "accounting": reports.sale_accounting(sale=sale, producers=producers),
            "payouts": reports.producer_payouts(sale=sale, producers=producers),
            "still_open": sale.status not in Sale.DATES_LOCKED,
        },
    )


@org_view(Action.MANAGE_ORGANISATION)
def sale_accounting(request, sale_id: int, file_format: str):
    """The accounting export of the sale (CSV or XLSX), one row per producer and VAT rate."""
    if file_format not in tables.FORMATS:
        raise Http404
    sale = _sale(request, sale_id)
    header, rows = reports.sale_accounting_table(
        reports.sale_accounting(sale=sale), file_format=file_format
    )
    file_name = f"{slugify(pgettext('file name', 'accounting'))}-{slugify(sale.title)}-{sale.pk}"
    title = pgettext("sheet", "Accounting %(sale)s") % {"sale": sale.title}
    return tables.table_response(file_name, header, rows, file_format, title=title)


@org_view(Action.MANAGE_ORGANISATION)
def sale_payouts(request, sale_id: int, file_format: str):
    """What the organisation owes each producer for the sale, défraiements apart (CSV or
    XLSX), the figures of the sale's money page."""
    if file_format not in tables.FORMATS:
        raise Http404
    sale = _sale(request, sale_id)
    header, rows = reports.producer_payouts_table(reports.producer_payouts(sale=sale))
    file_name = f"{slugify(_('payouts'))}-{slugify(sale.title)}-{sale.pk}"
    title = pgettext("sheet", "Producer payouts %(sale)s") % {"sale": sale.title}
    return tables.table_response(file_name, header, rows, file_format, title=title)


# --- Members' balances -----------------------------------------------------------------------


@org_view(Action.MANAGE_ORGANISATION)
def balances(request):
    """Every member's balance; ``?negative=1``: those who owe money, ``?expired=1``: those
    whose membership is expired or not paid this year."""
    negative = request.GET.get("negative") == "1"
    expired = request.GET.get("expired") == "1"
    labels = {
        selectors.MEMBERSHIP_ACTIVE: _("paid"),
        selectors.MEMBERSHIP_PENDING_PAYMENT: _("fee to pay"),
        selectors.MEMBERSHIP_EXPIRED: _("expired"),
    }
    memberships = reports.member_balances(
        organisation=request.organisation, negative_only=negative, expired_only=expired
    )
    owed, credit = reports.member_balance_totals(memberships)
    page = page_of(memberships, BALANCES_PER_PAGE, request.GET.get("page"))
    for membership in page:
        membership.money_status_label = labels[membership.money_status]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "money/reports/balances.html",
        {
            "memberships": page,
            "page": page,
            "query": query.urlencode(),
            "negative": negative,
            "expired": expired,
            "owed_total": owed,
            "credit_total": credit,
        },
    )


# --- Receipts --------------------------------------------------------------------------------


def _receipt_order(request, code) -> Order:
    """The order, for its member or a coordinator of the organisation; 404 for anyone else
    (its existence must not leak)."""
    order = reports.order_for_receipt(organisation=request.organisation, code=code)
    if order is None:
        raise Http404
    if order.user_id != request.user.pk and not has_role(
        request.membership, Membership.Role.COORDINATOR
    ):
        raise Http404
    return order


def _order_receipt_context(request, code) -> dict:
    receipt = reports.order_receipt(order=_receipt_order(request, code))
    return {"receipt": receipt, "issued_on": timezone.localdate()}


@org_view(Action.ORDER)
def order_receipt(request, code):
    return render(
        request, "money/reports/order_receipt.html", _order_receipt_context(request, code)
    )


@org_view(Action.ORDER)
def order_receipt_pdf(request, code):
    context = _order_receipt_context(request, code)
    order = context["receipt"].order
    file_name = (
        f"{slugify(pgettext('file name', 'receipt'))}-{slugify(order.sale.title)}-{order.number}"
    )
    return _pdf_response(context, file_name)


class PeriodInvalid(ValueError):
    pass


def _period(request) -> tuple[date, date]:
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD``; by default, from 1 January to today."""
    today = timezone.localdate()
    try:
        end = query_date(request, "to") or today
        start = query_date(request, "from") or end.replace(month=1, day=1)
    except BadQueryParameter as error:
        raise PeriodInvalid(str(error)) from error
    if start > end:
        raise PeriodInvalid(_("The start of the period must be before its end."))
    return start, end


def _period_page(request, *, pdf: bool):
    try:
        start, end = _period(request)
    except PeriodInvalid as error:
        context = {
            "error": str(error),
            "start": request.GET.get("from", ""),
            "end": request.GET.get("to", ""),
        }
        return render(request, "money/reports/period_receipt.html", context, status=400)
    receipt = reports.period_receipt(
        organisation=request.organisation, user=request.user, start=start, end=end
    )
    context = {
        "receipt": receipt,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "issued_on": timezone.localdate(),
    }
    if pdf:
        return _pdf_response(context, f"{slugify(pgettext('file name', 'receipt'))}-{start}-{end}")
    return render(request, "money/reports/period_receipt.html", context)


@org_view(Action.ORDER)
def period_receipt(request):
    """The logged-in person's own receipt for a period (their billed orders and payments)."""
    return _period_page(request, pdf=False)


@org_view(Action.ORDER)
def period_receipt_pdf(request):
    return _period_page(request, pdf=True)


# --- Purchases -------------------------------------------------------------------------------


def _purchase_period(request) -> tuple[date, date]:
    """``?from&to``; by default this month to today."""
    end = query_date(request, "to") or timezone.localdate()
    start = query_date(request, "from") or end.replace(day=1)
    if start > end:
        raise BadQueryParameter(_("The start of the period must be before its end."), name="from")
    return start, end


@org_view(Action.MANAGE_ORGANISATION)
def purchases(request):
    """The receptions validated in a period, their purchases and deductible VAT per rate."""
    start, end = _purchase_period(request)
    journal = purchase_reports.purchase_journal(
        organisation=request.organisation, start=start, end=end
    )
    return render(
        request,
        "money/reports/purchases.html",
        {"journal": journal, "start": start, "end": end, "query": request.GET.urlencode()},
    )


@org_view(Action.MANAGE_ORGANISATION)
def purchase_journal(request, file_format: str):
    """The purchases journal (CSV or XLSX): accounts 607, 44566 and 401, per reception."""
    if file_format not in tables.FORMATS:
        raise Http404
    start, end = _purchase_period(request)
    journal = purchase_reports.purchase_journal(
        organisation=request.organisation, start=start, end=end
    )
    header, rows = purchase_reports.purchase_journal_table(journal)
    file_name = f"{slugify(_('purchases'))}-{start:%Y-%m-%d}-{end:%Y-%m-%d}"
    return tables.table_response(
        file_name, header, rows, file_format, title=pgettext("sheet", "Purchases journal")
    )
