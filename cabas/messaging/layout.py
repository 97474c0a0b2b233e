"""The one layout of the e-mails sent to members by the messaging app: the organisation's
name and logo (attached inline, never fetched from a server: no remote image, no tracking
pixel, no click tracking), a plain-text and an HTML part, and for bulk e-mails the
one-click unsubscribe link and headers (RFC 8058)."""

from __future__ import annotations

import logging
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.html import conditional_escape

from cabas.notifications.deliverability import bulk_headers
from cabas.orgs.models import Organisation

from .unsubscribe import preferences_url, unsubscribe_url

logger = logging.getLogger(__name__)
LOGO_CID = "logo"
LOGO_TYPES = {"png": "png", "jpg": "jpeg", "jpeg": "jpeg", "gif": "gif", "webp": "webp"}


def _logo(organisation: Organisation) -> MIMEImage | None:
    """The organisation's logo as an inline part, or None (none, missing or unreadable)."""
    if not organisation.logo or not settings.EMAIL_INLINE_IMAGES:
        return None
    subtype = LOGO_TYPES.get(organisation.logo.name.rpartition(".")[2].lower())
    if subtype is None:
        return None
    try:
        with organisation.logo.open("rb") as file:
            data = file.read(2_000_001)
    except OSError:
        logger.warning("Logo of %s unreadable: sent without it", organisation.slug)
        return None
    if len(data) > 2_000_000:
        return None
    image = MIMEImage(data, _subtype=subtype)
    image.add_header("Content-ID", f"<{LOGO_CID}>")
    image.add_header("Content-Disposition", "inline", filename=f"logo.{subtype}")
    return image


def member_email(
    *,
    organisation: Organisation,
    to: str,
    subject: str,
    text: str,
    html: str,
    membership_id: int | None = None,
    unsubscribe_kind: str = "",
    reply_to: list[str] | None = None,
) -> EmailMultiAlternatives:
    """An e-mail to one member in the organisation's layout. ``text`` and ``html`` are the
    content (``html`` a SafeString rendered by a template; a plain str is escaped); with
    ``unsubscribe_kind`` ("announcements" or
    "reminders") it is a bulk e-mail: the footer links to the one-click unsubscribe and the
    headers say so. The caller renders inside ``organisation_context`` (language, time zone)."""
    unsubscribe = (
        unsubscribe_url(membership_id=membership_id, kind=unsubscribe_kind)
        if unsubscribe_kind and membership_id
        else ""
    )
    logo = _logo(organisation)
    context = {
        "organisation": organisation,
        "subject": subject,
        "text": text,
        "html": conditional_escape(html),  # a SafeString as it is; plain text escaped
        "logo_cid": LOGO_CID if logo else "",
        "unsubscribe_url": unsubscribe,
        "unsubscribe_kind": unsubscribe_kind,
        "preferences_url": preferences_url(slug=organisation.slug) if membership_id else "",
    }
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:300],
        body=render_to_string("messaging/email/layout.txt", context),
        to=[to],
        reply_to=reply_to or ([organisation.contact_email] if organisation.contact_email else None),
        headers=bulk_headers(unsubscribe_url=unsubscribe) if unsubscribe else None,
    )
    message.attach_alternative(
        render_to_string("messaging/email/layout.html", context), "text/html"
    )
    if logo is not None:
        message.mixed_subtype = "related"
        message.attach(logo)
    # django-anymail: never ask the provider to track opens or clicks (a provider whose API
    # has no such switch refuses the attribute: tracking is off in its own settings).
    if settings.EMAIL_TRACKING_SWITCH:
        message.track_opens = False
        message.track_clicks = False
    return message
