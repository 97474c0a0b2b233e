"""A receipt (``reports.Receipt``, one order's or a period's) as a PDF, laid out with
reportlab's platypus directly: the same parts, words and figures as the printed page
(``money/reports/_receipt.html``), without going through HTML and CSS. xhtml2pdf parsed the
page and styled each cell: about 2 ms a table row, a second for a year of weekly orders.

Everything a person wrote (names, products, references) is escaped for reportlab's
paragraph markup; amounts and quantities go through ``core.money``'s formatters; dates as the
templates' ``date:"j F Y"`` (in the current time zone)."""

from __future__ import annotations

import io
from functools import cache
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cabas.core.dates import date_text as date_format
from cabas.core.money import format_money, format_percent

from .reports.receipts import Receipt

MARGIN = 1.5 * cm
WIDTH = A4[0] - 2 * MARGIN
FONT, BOLD_FONT, SIZE, PADDING = "Helvetica", "Helvetica-Bold", 10, 3
GREY = colors.HexColor("#888888")
MUTED = colors.HexColor("#666666")

BODY = ParagraphStyle("body", fontName=FONT, fontSize=SIZE, leading=12.5)
H1 = ParagraphStyle("h1", BODY, fontName=BOLD_FONT, fontSize=16, leading=19, spaceAfter=6)
H2 = ParagraphStyle(
    "h2", BODY, fontName=BOLD_FONT, fontSize=12, leading=14, spaceBefore=12, spaceAfter=4
)
H3 = ParagraphStyle(
    "h3", BODY, fontName=BOLD_FONT, fontSize=10.5, leading=13, spaceBefore=8, spaceAfter=2
)
WARNING = ParagraphStyle(
    "warning", BODY, borderColor=colors.HexColor("#aa6600"), borderWidth=1, borderPadding=4,
    spaceBefore=6, spaceAfter=6,
)  # fmt: skip

TABLE = [
    ("FONT", (0, 0), (-1, -1), FONT, SIZE, 12.5),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
    ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ("LINEBELOW", (0, 0), (-1, -1), 0.5, GREY),
    ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
]


def _text(value, style=BODY) -> Paragraph:
    """A line of text: what people wrote is escaped for reportlab's markup."""
    return Paragraph(escape(str(value)), style)


@cache
def _cell_style(bold: bool, right: bool, muted: bool) -> ParagraphStyle:
    return ParagraphStyle(
        "cell", BODY, fontName=BOLD_FONT if bold else FONT,
        alignment=TA_RIGHT if right else TA_LEFT, textColor=MUTED if muted else colors.black,
    )  # fmt: skip


def _fit(text: str, width: float, *, bold=False, right=False, muted=False):
    """A table cell: the text as is where it fits on one line (drawn as a string: no markup
    read), else a paragraph that wraps (escaped). Most cells fit, and a paragraph costs about
    ten times a string to lay out."""
    font = BOLD_FONT if bold else FONT
    if "\n" not in text and stringWidth(text, font, SIZE) <= width - 2 * PADDING:
        return text
    return Paragraph(escape(text), _cell_style(bold, right, muted))


def _day(value) -> str:
    """A date or a moment as the templates' ``|date:"j F Y"`` shows it."""
    if hasattr(value, "tzinfo"):
        value = timezone.template_localtime(value)
    return date_format(value, "j F Y")


def _widths(widths: list) -> list[float]:
    """``None``: what the others leave of the page's width."""
    rest = WIDTH - sum(width for width in widths if width)
    return [width or rest for width in widths]


def _table(header, rows, widths, *, right: int, footer=(), bold=(), muted=()) -> Table:
    """A table of texts with its header row repeated on each page; the columns from
    ``right`` on are figures (aligned right); ``footer``: rows of a label spanning up to the
    last column and a figure; ``bold``: the (column, row) of cells in bold, ``muted``: rows
    in grey (rows counted from the header, 0)."""
    commands = [*TABLE, ("ALIGN", (right, 0), (-1, -1), "RIGHT")]
    body = [list(header), *rows]
    bold = {(column, 0) for column in range(len(header))} | set(bold)
    spans = {}
    for label, figure in footer:
        row = len(body)
        spans[row] = sum(widths[:-1])
        commands.append(("SPAN", (0, row), (-2, row)))
        bold.add((0, row))
        body.append([label, *[""] * (len(header) - 2), figure])
    commands += [("FONT", cell, cell, BOLD_FONT) for cell in bold]
    commands += [("TEXTCOLOR", (0, row), (-1, row), MUTED) for row in muted]
    for row, cells in enumerate(body):
        for column, text in enumerate(cells):
            width = spans[row] if column == 0 and row in spans else widths[column]
            cells[column] = _fit(
                text, width, bold=(column, row) in bold, right=column >= right, muted=row in muted
            )
    return Table(body, colWidths=widths, repeatRows=1, style=TableStyle(commands))


def _heading(receipt: Receipt, issued_on) -> list:
    if receipt.order:
        title = _("Receipt — order n° %(number)s") % {"number": receipt.order.number}
    else:
        title = _("Receipt from %(start)s to %(end)s") % {
            "start": _day(receipt.start),
            "end": _day(receipt.end),
        }
    organisation = receipt.organisation
    lines = [f"<b>{escape(organisation.name)}</b>"]
    lines += [escape(text) for text in (organisation.address, organisation.contact_email) if text]
    customer = f"{_('Customer:')} {receipt.customer_name} ({receipt.customer_email})"
    issued = _("Issued on %(date)s") % {"date": _day(issued_on)}
    story = [
        _text(title, H1),
        Paragraph("<br/>".join(lines), BODY),
        Spacer(0, 6),
        Paragraph(f"{escape(customer)}<br/>{escape(issued)}", BODY),
    ]
    if receipt.estimated:
        text = _("The amounts are estimates until the pickup is closed (weighed or missing items).")
        story.append(_text(text, WARNING))
    return story


def _orders(receipt: Receipt) -> list:
    story = [_text(pgettext("noun", "Order") if receipt.order else _("Orders"), H2)]
    if not receipt.orders:
        return [*story, _text(_("No order collected or billed in this period."))]
    header = [_("N°"), _("Sale"), _("Pickup"), _("Status"), _("Amount incl. VAT")]
    widths = _widths([1.6 * cm, None, 5.2 * cm, 2.6 * cm, 3 * cm])
    rows = [
        [
            "" if order.number is None else str(order.number),
            order.sale_title,
            f"{order.pickup_point_name}, {_day(order.pickup_starts_at)}",
            str(order.status_label),
            format_money(order.total),
        ]
        for order in receipt.orders
    ]
    return [*story, _table(header, rows, widths, right=4)]


def _producers(receipt: Receipt) -> list:
    if not receipt.producers:
        return []
    story = [_text(_("By producer"), H2)]
    header = [_("Product"), _("Quantity"), _("VAT rate"), _("Amount incl. VAT")]
    widths = _widths([None, 3.6 * cm, 2.6 * cm, 3 * cm])
    missing = _("missing")
    excl, incl = _("Total excl. VAT"), _("Total incl. VAT")
    for producer in receipt.producers:
        rows, muted = [], []
        for index, line in enumerate(producer.lines, start=1):
            name = line.product_name
            if line.is_missing:
                name = f"{name} ({missing})"
                muted.append(index)
            rows.append(
                [
                    name,
                    line.quantity_text,
                    format_percent(line.vat_rate),
                    format_money(line.amount_incl_vat),
                ]
            )
        footer = [
            (excl, format_money(producer.amount_excl_vat)),
            (incl, format_money(producer.amount_incl_vat)),
        ]
        heading = _text(producer.producer_name, H3)
        heading.keepWithNext = True
        story += [heading, _table(header, rows, widths, right=1, footer=footer, muted=muted)]
    return story + _vat_totals(receipt)


def _vat_totals(receipt: Receipt) -> list:
    header = [_("VAT rate"), _("Excl. VAT"), _("VAT"), _("Incl. VAT")]
    rows = [
        [
            format_percent(total.vat_rate),
            format_money(total.amount_excl_vat),
            format_money(total.vat),
            format_money(total.amount_incl_vat),
        ]
        for total in receipt.vat_totals
    ]
    last = len(rows) + 1
    rows.append(
        [
            _("Total"),
            format_money(receipt.amount_excl_vat),
            format_money(receipt.vat),
            format_money(receipt.amount_incl_vat),
        ]
    )
    widths = _widths([None, 3.2 * cm, 3.2 * cm, 3.2 * cm])
    table = _table(header, rows, widths, right=1, bold=[(0, last), (3, last)])
    return [_text(_("Totals by VAT rate"), H2), table]


def _payment_for(payment) -> str:
    if payment.order_number:
        return _("order n° %(number)s (%(sale)s)") % {
            "number": payment.order_number,
            "sale": payment.sale_title,
        }
    return _("membership fee") if payment.is_membership_fee else _("your account")


def _payments(receipt: Receipt) -> list:
    story = [_text(_("Payments"), H2)]
    if receipt.payments:
        header = [_("Date"), _("Paid by"), _("For"), _("Amount")]
        widths = _widths([3.2 * cm, 5 * cm, None, 3 * cm])
        rows = []
        for payment in receipt.payments:
            paid_by = payment.method_label
            if payment.reference:
                paid_by = f"{paid_by} ({payment.reference})"
            rows.append(
                [
                    _day(payment.created_at),
                    paid_by,
                    _payment_for(payment),
                    format_money(payment.amount),
                ]
            )
        footer = [(_("Total paid"), format_money(receipt.paid))]
        story.append(_table(header, rows, widths, right=3, footer=footer))
    elif receipt.order:
        story.append(_text(_("No payment recorded for this order.")))
    else:
        story.append(_text(_("No payment recorded in this period.")))
    if receipt.balance > 0:
        text = _(
            "Your account today: a credit of %(amount)s (used for the next orders)."
        ) % {"amount": format_money(receipt.credit)}  # fmt: skip
    elif receipt.balance < 0:
        text = _("Your account today: %(amount)s to pay.") % {"amount": format_money(receipt.owed)}
    else:
        text = _("Your account today: nothing to pay, no credit.")
    return [*story, Spacer(0, 8), _text(text)]


def receipt_story(receipt: Receipt, *, issued_on) -> list:
    """The receipt's flowables, in the order of the printed page."""
    return [
        *_heading(receipt, issued_on),
        *_orders(receipt),
        *_producers(receipt),
        *_payments(receipt),
    ]


def receipt_pdf(receipt: Receipt, *, issued_on, title: str) -> bytes:
    """The receipt as a PDF document (A4, 1.5 cm margins)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=title, author=receipt.organisation.name,
    )  # fmt: skip
    document.build(receipt_story(receipt, issued_on=issued_on))
    return buffer.getvalue()
