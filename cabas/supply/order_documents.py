"""A purchase order as the supplier receives it: the printable page's context, the PDF
(xhtml2pdf, from the same HTML part as the page), the XLSX (through ``core.tables``' writer,
which neutralises formulas) and the e-mail the outbox sends (rendered by the worker when it
sends: ``purchase_order_email_message`` is the outbox row's renderer)."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cabas.core import tables
from cabas.core.money import format_percent
from cabas.orgs.context import organisation_context

from .models import PurchaseOrder
from .order_selectors import purchase_order_detail
from .suggestions import settings_of

PDF_TEMPLATE = "supply/orders/document_pdf.html"
PDF_TYPE = "application/pdf"


def document_context(purchase_order: PurchaseOrder) -> dict:
    """What the document shows: the order (with lines and totals), the shop's delivery
    address and hours."""
    return {
        "order": purchase_order,
        "supply_settings": settings_of(purchase_order.organisation),
        "organisation": purchase_order.organisation,
    }


def file_name(purchase_order: PurchaseOrder, file_format: str) -> str:
    """e.g. "commande-fournisseur-BC-0012.pdf" in French (the reference as the supplier reads
    it)."""
    return f"{slugify(_('purchase order'))}-{purchase_order.reference}.{file_format}"


def purchase_order_pdf(purchase_order: PurchaseOrder) -> bytes:
    from xhtml2pdf import pisa

    html = render_to_string(PDF_TEMPLATE, document_context(purchase_order))
    buffer = io.BytesIO()
    result = pisa.CreatePDF(html, dest=buffer, encoding="utf-8")
    if result.err:
        raise RuntimeError(f"the purchase order could not be rendered to PDF ({result.err} errors)")
    return buffer.getvalue()


def _heading_rows(purchase_order: PurchaseOrder) -> list[list]:
    supply = settings_of(purchase_order.organisation)
    # A date cell (the table writer shows it day/month/year), not a localised text.
    expected = purchase_order.expected_on
    return [
        [_("Purchase order"), purchase_order.reference],
        [pgettext("purchase order", "From"), purchase_order.organisation.name],
        [pgettext("purchase order", "To"), purchase_order.supplier.name],
        [_("Delivery address"), supply.delivery_address],
        [_("Delivery hours"), supply.delivery_hours],
        [_("Expected delivery"), expected],
        [_("Note"), purchase_order.note],
        [],
    ]


def purchase_order_xlsx(purchase_order: PurchaseOrder) -> bytes:
    """The order as a spreadsheet: a heading, one row per line, then the totals."""
    header = [
        _("Reference"),
        _("Product"),
        _("Unit"),
        _("Package size"),
        _("Quantity"),
        _("Unit price excl. VAT"),
        pgettext("column", "VAT rate (%)"),
        _("Amount excl. VAT"),
    ]
    from .order_selectors import line_amount

    rows = _heading_rows(purchase_order) + [header]
    for line in purchase_order.lines.all():
        rows.append(
            [
                line.reference,
                line.product_name,
                line.unit_text,
                line.package_size,
                line.quantity,
                line.unit_price,
                line.vat_rate,
                tables.Amount(line_amount(line)),
            ]
        )
    totals = purchase_order.totals
    rows.append([])
    rows.append([_("Total excl. VAT"), *[""] * 6, tables.Amount(totals.excl_vat)])
    for rate in totals.by_rate:
        label = _("VAT %(rate)s") % {"rate": format_percent(rate.rate)}
        rows.append([label, *[""] * 6, tables.Amount(rate.vat)])
    rows.append([_("Total incl. VAT"), *[""] * 6, tables.Amount(totals.incl_vat)])
    title = _("Purchase order %(reference)s") % {"reference": purchase_order.reference}
    return tables.table_bytes(rows[0], rows[1:], "xlsx", title=title)


def purchase_order_file(purchase_order: PurchaseOrder, file_format: str) -> tuple[bytes, str]:
    """The order's file in ``file_format`` and its content type."""
    if file_format == PurchaseOrder.FileFormat.XLSX:
        return purchase_order_xlsx(purchase_order), tables.XLSX_TYPE
    return purchase_order_pdf(purchase_order), PDF_TYPE


def purchase_order_email_message(*, purchase_order_id: int) -> EmailMultiAlternatives:
    """The e-mail of a sent order to its supplier, with the order attached in the format
    chosen when sending; rendered by the worker in the organisation's language and time
    zone (the outbox row ``purchase-order:<pk>:sent`` names this renderer)."""
    organisation = (
        PurchaseOrder.objects.select_related("organisation").get(pk=purchase_order_id).organisation
    )
    with organisation_context(organisation):
        order = purchase_order_detail(organisation=organisation, pk=purchase_order_id)
        context = {**document_context(order), "site_url": settings.SITE_URL}
        subject = _("Purchase order %(reference)s from %(organisation)s") % {
            "reference": order.reference,
            "organisation": organisation.name,
        }
        body = render_to_string("supply/orders/email.txt", context)
        message = EmailMultiAlternatives(subject=subject, body=body, to=[order.sent_to])
        reply_to = organisation.contact_email
        if reply_to:
            message.reply_to = [reply_to]
        content, mimetype = purchase_order_file(order, order.file_format)
        message.attach(file_name(order, order.file_format), content, mimetype)
        return message
