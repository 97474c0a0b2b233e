"""The summary e-mails of a sale after its cutoff: to each producer its own summary (with its
lines as CSV and XLSX), to the coordinators the whole sale's.

Runs in the worker (tasks.py, and the after-cutoff task of the sales app). Idempotent: each
e-mail is first recorded as a ``SummaryDispatch`` row in its own transaction; the unique
constraints refuse a second row, so a retried or duplicated task sends nothing twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cabas.core import tables
from cabas.orgs.models import Membership
from cabas.sales.models import Sale

from . import summaries
from .models import SummaryDispatch

CSV_TYPE = "text/csv; charset=utf-8"


def _send_once(
    *,
    sale: Sale,
    recipient_kind: str,
    producer_id: int | None,
    email: str,
    message: Callable[[], EmailMessage],
) -> int:
    """Record the e-mail, then build and send it; 0 when it was recorded (sent) before."""
    try:
        with transaction.atomic():
            dispatch = SummaryDispatch.objects.create(
                organisation_id=sale.organisation_id,
                sale=sale,
                recipient_kind=recipient_kind,
                producer_id=producer_id,
                email=email,
            )
    except IntegrityError:
        return 0
    try:
        return message().send()
    except Exception:
        # Not sent (a template or SMTP error): forget it, so that a retry sends it.
        SummaryDispatch.objects.filter(pk=dispatch.pk).delete()
        raise


def _orders_by_producer(
    orders: list[summaries.CustomerOrder],
) -> dict[int, list[summaries.CustomerOrder]]:
    """Each producer's part of the orders, in one pass over the lines."""
    parts: dict[int, list[summaries.CustomerOrder]] = {}
    for order in orders:
        lines_by_producer: dict[int, list[summaries.CustomerLine]] = {}
        for line in order.lines:
            lines_by_producer.setdefault(line.producer_id, []).append(line)
        for producer_id, lines in lines_by_producer.items():
            parts.setdefault(producer_id, []).append(dataclasses.replace(order, lines=lines))
    return parts


def _attach_tables(message: EmailMessage, name: str, table: Callable[[str], tuple]) -> None:
    """Attach ``table(file_format)`` (a header and rows) as ``name``.csv and ``name``.xlsx."""
    for file_format in tables.FORMATS:
        header, rows = table(file_format)
        content_type = CSV_TYPE if file_format == "csv" else tables.XLSX_TYPE
        message.attach(
            f"{name}.{file_format}", tables.table_bytes(header, rows, file_format), content_type
        )


def _summary_url(sale: Sale) -> str:
    return settings.SITE_URL + reverse(
        "distribution:sale_summary",
        kwargs={"slug": sale.organisation.slug, "sale_id": sale.pk},
    )


def _producer_message(sale, summary, pickups, orders, context) -> EmailMessage:
    organisation = sale.organisation
    subject = _("Summary of your sales — %(sale)s") % {"sale": sale.title}
    body = render_to_string(
        "distribution/email/producer_summary.txt",
        {**context, "summary": summary, "pickups": pickups, "orders": orders},
    )
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[summary.producer_email],
        reply_to=[organisation.contact_email] if organisation.contact_email else None,
    )
    _attach_tables(
        message,
        f"{slugify(sale.title)}-{slugify(summary.producer_name)}",
        lambda file_format: summaries.customer_lines_table(
            orders, file_format=file_format, zone=organisation.tzinfo
        ),
    )
    return message


def _coordinator_message(sale, email, context) -> EmailMessage:
    subject = _("Summary of the sale — %(sale)s") % {"sale": sale.title}
    body = render_to_string("distribution/email/coordinator_summary.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[email])
    _attach_tables(
        message,
        slugify(sale.title),
        lambda file_format: summaries.producer_totals_table(
            context["producers"], file_format=file_format
        ),
    )
    return message


def _coordinator_emails(sale: Sale) -> list[str]:
    emails = (
        Membership.objects.active()
        .filter(organisation_id=sale.organisation_id, is_coordinator=True)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
        .distinct()
    )
    return list(emails)


def sale_summaries_send(*, sale_id: int) -> int:
    """E-mail each producer with ordered products its summary (CSV and XLSX of its lines
    attached; producers without an e-mail address are skipped) and each active coordinator
    the whole sale's summary, once per recipient and sale. Returns how many were sent now.

    Only for a sale past its cutoff. Written in the organisation's default language."""
    sale = (
        Sale.objects.select_related("organisation")
        .filter(pk=sale_id, status__in=Sale.DATES_LOCKED)
        .first()
    )
    if sale is None:
        return 0
    organisation = sale.organisation
    sent = 0
    with translation.override(settings.LANGUAGE_CODE), timezone.override(organisation.tzinfo):
        producers = summaries.producer_totals(sale=sale)
        pickups = {part.producer_id: part for part in summaries.producer_pickup_totals(sale=sale)}
        all_orders = summaries.customer_lines(sale=sale)
        orders = _orders_by_producer(all_orders)
        context = {
            "sale": sale,
            "organisation": organisation,
            "url": _summary_url(sale),
            "producers": producers,
            "vat_totals": summaries.sale_vat_totals(producers),
            "orders_count": len(all_orders),
            "without_email": [p.producer_name for p in producers if not p.producer_email],
        }
        for summary in producers:
            if not summary.producer_email:
                continue
            producer_pickups = pickups.get(summary.producer_id)
            producer_orders = orders.get(summary.producer_id, [])
            sent += _send_once(
                sale=sale,
                recipient_kind=SummaryDispatch.RecipientKind.PRODUCER,
                producer_id=summary.producer_id,
                email=summary.producer_email,
                message=lambda summary=summary, p=producer_pickups, o=producer_orders: (
                    _producer_message(sale, summary, p, o, context)
                ),
            )
        for email in _coordinator_emails(sale):
            sent += _send_once(
                sale=sale,
                recipient_kind=SummaryDispatch.RecipientKind.COORDINATOR,
                producer_id=None,
                email=email,
                message=lambda email=email: _coordinator_message(sale, email, context),
            )
    return sent
