"""A sale's summaries as pages and downloads: coordinators see every producer, a producer
only its own (thin: parse, call the selectors, render)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify

from cabas.catalog.models import Producer
from cabas.core import tables
from cabas.orders import summaries, summary_tables
from cabas.orgs.models import Membership
from cabas.orgs.permissions import Action, has_role, org_view
from cabas.sales.models import Sale

from . import producer_summaries, selectors


def _scope(request, sale_id: int) -> tuple[Sale, Producer | None]:
    """The sale (of this organisation) and whose summary: None for a coordinator (all)."""
    sale = get_object_or_404(Sale, pk=sale_id, organisation=request.organisation)
    if has_role(request.membership, Membership.Role.COORDINATOR):
        return sale, None
    producer = request.membership.producer
    if producer is None:
        # A producer role without a producer must never fall back to "every producer".
        raise PermissionDenied
    return sale, producer


@org_view(Action.USE_PRODUCER_AREA)
def sale_summary(request, sale_id: int):
    """The summary, producer by producer (one printed page or more each), with where each
    producer's summary e-mail went or will go."""
    sale, producer = _scope(request, sale_id)
    parts, orders_count = producer_summaries.producer_summaries(sale=sale, producer=producer)
    recipients = selectors.summary_recipients(
        organisation_id=sale.organisation_id,
        producers={part.producer_id: part.totals.producer_email for part in parts},
    )
    sent = selectors.summary_dispatches(
        sale=sale, producer_id=producer.pk if producer is not None else None
    )
    for part in parts:
        part.recipients = recipients[part.producer_id]
        part.sent = sent.get(part.producer_id, [])
    return render(
        request,
        "distribution/summaries/sale_summary.html",
        {
            "sale": sale,
            "producer": producer,
            "parts": parts,
            "orders_count": orders_count,
            "vat_totals": summaries.sale_vat_totals(part.totals for part in parts),
            "still_open": sale.status not in Sale.DATES_LOCKED,
        },
    )


@org_view(Action.USE_PRODUCER_AREA)
def sale_summary_export(request, sale_id: int, file_format: str):
    """The lines of the summary (one row per customer and product) as CSV or XLSX."""
    if file_format not in tables.FORMATS:
        raise Http404
    sale, producer = _scope(request, sale_id)
    orders = summaries.customer_lines(sale=sale, producer=producer)
    header, rows = summary_tables.customer_lines_table(
        orders, file_format=file_format, zone=request.organisation.tzinfo
    )
    name = slugify(sale.title) + (f"-{slugify(producer.name)}" if producer else "")
    title = sale.title + (f" {producer.name}" if producer else "")
    return tables.table_response(name, header, rows, file_format, title=title)
