"""The summary e-mails of a sale after its cutoff: to each producer its own summary (with its
lines as CSV and XLSX), sent to its contact address and to the people who log in as that
producer (each address once, whatever its case); to the coordinators the whole sale's.

Runs in the worker (tasks.py, and the after-cutoff task of the sales app). Each e-mail is
rendered and recorded, all of a sale's in one transaction, as a ``SummaryDispatch`` row (the
unique constraints refuse a second one) and an outbox row that holds the rendered message;
then the outbox sends them. A worker killed anywhere leaves either nothing recorded (the task
is run again after its lease and records them) or rows still to send, which this function
(run again) or the outbox's sweep sends: no summary is skipped, none is sent twice.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cabas.core import tables
from cabas.notifications.models import OutboxMessage
from cabas.notifications.services import outbox_email_record, outbox_message_send
from cabas.orders import summaries, summary_tables
from cabas.orgs.context import organisation_context
from cabas.orgs.models import Membership
from cabas.sales.models import Sale

from .models import SummaryDispatch
from .producer_summaries import orders_by_producer
from .selectors import summary_recipients

CSV_TYPE = "text/csv; charset=utf-8"


def _summary_key(sale: Sale, recipient_kind: str, producer_id: int | None, email: str) -> str:
    """One key per recipient and summary (a producer's summary goes to several people)."""
    who = f"producer:{producer_id}:{email}" if producer_id is not None else f"coordinator:{email}"
    return f"sale-summary:{sale.pk}:{who}"


def _record_once(
    *,
    sale: Sale,
    recipient_kind: str,
    producer_id: int | None,
    email: str,
    message: Callable[[], EmailMessage],
) -> None:
    """Record the e-mail (built now) in the outbox, unless it was recorded before."""
    try:
        with transaction.atomic():
            SummaryDispatch.objects.create(
                organisation_id=sale.organisation_id,
                sale=sale,
                recipient_kind=recipient_kind,
                producer_id=producer_id,
                email=email,
            )
            outbox_email_record(
                message=message(),
                key=_summary_key(sale, recipient_kind, producer_id, email),
                organisation_id=sale.organisation_id,
                enqueue=False,
            )
    except IntegrityError:
        return  # recorded before (a retried or duplicated task)


def _attach_tables(
    message: EmailMessage, name: str, table: Callable[[str], tuple], *, title: str
) -> None:
    """Attach ``table(file_format)`` (a header and rows) as ``name``.csv and ``name``.xlsx,
    the XLSX's sheet named ``title`` (as a person reads it)."""
    for file_format in tables.FORMATS:
        header, rows = table(file_format)
        content_type = CSV_TYPE if file_format == "csv" else tables.XLSX_TYPE
        content = tables.table_bytes(header, rows, file_format, title=title)
        message.attach(f"{name}.{file_format}", content, content_type)


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
        reply_to=[organisation.contact_email] if organisation.contact_email else None,
    )
    _attach_tables(
        message,
        f"{slugify(sale.title)}-{slugify(summary.producer_name)}",
        lambda file_format: summary_tables.customer_lines_table(
            orders, file_format=file_format, zone=organisation.tzinfo
        ),
        title=pgettext("sheet", "Orders %(producer)s") % {"producer": summary.producer_name},
    )
    return message


def _coordinator_message(sale, email, context) -> EmailMessage:
    subject = _("Summary of the sale — %(sale)s") % {"sale": sale.title}
    body = render_to_string("distribution/email/coordinator_summary.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[email])
    _attach_tables(
        message,
        slugify(sale.title),
        lambda file_format: summary_tables.producer_totals_table(
            context["producers"], file_format=file_format
        ),
        title=pgettext("sheet", "Totals by producer"),
    )
    return message


class _Once:
    """A producer's message, rendered the first time a recipient needs it, then copied for
    each recipient (rendering it again for each would cost as much as the first time)."""

    def __init__(self, render: Callable[[], EmailMessage]):
        self._render = render
        self._message: EmailMessage | None = None

    def to(self, email: str) -> EmailMessage:
        if self._message is None:
            self._message = self._render()
        message = copy.copy(self._message)
        message.to = [email]
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
    attached) at its contact address and to the people who log in as that producer (a
    producer with neither is skipped), and each active coordinator the whole sale's summary,
    once per recipient and sale. Returns how many were sent now.

    Only for a sale past its cutoff. Written in the organisation's language and time zone."""
    sale = (
        Sale.objects.select_related("organisation")
        .filter(pk=sale_id, status__in=Sale.DATES_LOCKED)
        .first()
    )
    if sale is None:
        return 0
    recorded = set(SummaryDispatch.objects.filter(sale=sale).values_list("producer_id", "email"))
    coordinator_emails = _coordinator_emails(sale)
    with organisation_context(sale.organisation):
        producers = summaries.producer_totals(sale=sale)
        recipients = summary_recipients(
            organisation_id=sale.organisation_id,
            producers={p.producer_id: p.producer_email for p in producers},
        )
        wanted = {
            (producer_id, _recorded_email(email))
            for producer_id, emails in recipients.items()
            for email in emails
        }
        wanted |= {(None, email) for email in coordinator_emails}
        if wanted - recorded:
            _record_all(sale, producers, recipients, coordinator_emails)
    return _send_recorded(sale)


def _recorded_email(email: str) -> str:
    """How a producer's recipient is recorded (and keyed): one spelling per address, so that
    a contact address and a login that differ only by case are one recipient."""
    return email.casefold()


def _record_all(sale: Sale, producers, recipients, coordinator_emails: list[str]) -> None:
    """Render and record every summary of the sale not recorded yet, in one transaction:
    a producer's to each of its ``recipients`` (its contact and the people who log in as
    that producer), one outbox row each."""
    organisation = sale.organisation
    pickups = {part.producer_id: part for part in summaries.producer_pickup_totals(sale=sale)}
    all_orders = summaries.customer_lines(sale=sale)
    orders = orders_by_producer(all_orders)
    context = {
        "sale": sale,
        "organisation": organisation,
        "url": _summary_url(sale),
        "producers": producers,
        "vat_totals": summaries.sale_vat_totals(producers),
        "orders_count": len(all_orders),
        "without_email": [p.producer_name for p in producers if not recipients[p.producer_id]],
    }
    with transaction.atomic():
        for summary in producers:
            rendered = _Once(
                lambda summary=summary: _producer_message(
                    sale,
                    summary,
                    pickups.get(summary.producer_id),
                    orders.get(summary.producer_id, []),
                    context,
                )
            )
            for email in recipients[summary.producer_id]:
                _record_once(
                    sale=sale,
                    recipient_kind=SummaryDispatch.RecipientKind.PRODUCER,
                    producer_id=summary.producer_id,
                    email=_recorded_email(email),
                    message=lambda email=email, rendered=rendered: rendered.to(email),
                )
        for email in coordinator_emails:
            _record_once(
                sale=sale,
                recipient_kind=SummaryDispatch.RecipientKind.COORDINATOR,
                producer_id=None,
                email=email,
                message=lambda email=email: _coordinator_message(sale, email, context),
            )


def _send_recorded(sale: Sale) -> int:
    """Send the sale's summaries still to send (see the outbox); how many were sent now."""
    to_send = OutboxMessage.objects.filter(
        key__startswith=f"sale-summary:{sale.pk}:", state=OutboxMessage.State.PENDING
    ).values_list("pk", flat=True)
    return sum(outbox_message_send(outbox_id=outbox_id) for outbox_id in list(to_send))
