"""The reminders' e-mails, rendered when the outbox sends them (``RENDERER`` with the row's
params): the sale, the order and the place as they are at that moment, in the recipient's
language (else the organisation's) and on the organisation's clock, in the members' layout
(``layout.member_email``; the reminders with their unsubscribe link, a change of pickup
point without: it concerns an order)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone

from cabas.orders import selectors as order_selectors
from cabas.orders.models import Order
from cabas.orders.notifications import arrived_url, order_url
from cabas.orgs.context import organisation_context
from cabas.orgs.models import Membership
from cabas.sales.models import Pickup, Sale

from ..layout import member_email
from . import texts

RENDERER = "cabas.messaging.reminders.emails.reminder_email"
Kind = texts.Kind


def _when(moment: datetime) -> str:
    """A date and time on the active clock, in the active language."""
    return dateformat.format(timezone.localtime(moment), "l j F, H:i")


def pickup_when(order: Order) -> str:
    """The order's slot (else its pickup's hours): "Friday 5 December, 17:00–17:15"."""
    starts = order.slot.starts_at if order.slot else order.pickup.starts_at
    ends = order.slot.ends_at if order.slot else order.pickup.ends_at
    return f"{_when(starts)}–{dateformat.format(timezone.localtime(ends), 'H:i')}"


def _render(kind: str, context: dict, *, organisation, language: str) -> tuple[str, str, str]:
    """The subject, text and HTML of a reminder: the organisation's words (placeholders
    filled) then the facts, by the one template."""
    words = texts.words_for(organisation=organisation, kind=kind, language=language)
    values = {key: str(value) for key, value in context.pop("values").items()}
    context |= {"kind": kind, "words": texts.fill(words.text, values)}
    text = render_to_string("messaging/reminders/email/reminder.txt", context).strip()
    html = render_to_string("messaging/reminders/email/reminder.html", context)
    return texts.fill(words.subject, values), text, html


def _sale_email(kind: str, *, sale_id: int, membership_id: int) -> EmailMultiAlternatives:
    membership = Membership.objects.select_related("user", "organisation").get(pk=membership_id)
    organisation = membership.organisation
    sale = Sale.objects.get(pk=sale_id, organisation=organisation)
    with organisation_context(organisation, language=membership.user.language or None):
        language = membership.user.language or organisation.language
        pickups = list(
            Pickup.objects.filter(sale=sale).select_related("pickup_point").order_by("starts_at")
        )
        shop_url = settings.SITE_URL + reverse(
            "orders:sale_shop", kwargs={"slug": organisation.slug, "sale_id": sale.pk}
        )
        context = {
            "sale": sale,
            "pickups": pickups,
            "shop_url": shop_url,
            "values": {
                "organisation": organisation.name,
                "sale": sale.title,
                "cutoff": _when(sale.closes_at),
            },
        }
        subject, text, html = _render(kind, context, organisation=organisation, language=language)
        return member_email(
            organisation=organisation, to=membership.user.email, subject=subject, text=text,
            html=html, membership_id=membership.pk, unsubscribe_kind="reminders",
        )  # fmt: skip


def _order_email(kind: str, *, order_id: int, membership_id: int | None) -> EmailMultiAlternatives:
    order = order_selectors.order_detail(order_id=order_id)
    organisation = order.organisation
    point = order.pickup.pickup_point
    with organisation_context(organisation, language=order.user.language or None):
        language = order.user.language or organisation.language
        when = pickup_when(order)
        context = {
            "order": order,
            "point": point,
            "when": when,
            "order_url": order_url(order),
            "arrived_url": arrived_url(order),
            "values": {
                "organisation": organisation.name,
                "sale": order.sale.title,
                "point": point.name,
                "pickup": when,
            },
        }
        subject, text, html = _render(kind, context, organisation=organisation, language=language)
        return member_email(
            organisation=organisation, to=order.user.email, subject=subject, text=text,
            html=html, membership_id=membership_id,
            unsubscribe_kind="reminders" if membership_id else "",
        )  # fmt: skip


def reminder_email(
    *,
    kind: str,
    sale_id: int | None = None,
    membership_id: int | None = None,
    order_id: int | None = None,
) -> EmailMultiAlternatives:
    """The e-mail of one reminder (the outbox's renderer)."""
    if kind in (Kind.SALE_OPENED, Kind.LAST_CALL):
        return _sale_email(kind, sale_id=sale_id, membership_id=membership_id)
    if kind == Kind.PICKUP:
        return _order_email(kind, order_id=order_id, membership_id=membership_id)
    if kind == Kind.CHANGES:
        return _order_email(kind, order_id=order_id, membership_id=None)
    raise ValueError(f"unknown reminder {kind!r}")
