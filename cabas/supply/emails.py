"""The supply team's weekly e-mail, rendered when it is recorded, in the recipient's
language (else the organisation's) and the organisation's time zone; the outbox stores the
rendered message."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from cabas.orgs.context import organisation_context
from cabas.orgs.models import Membership, Organisation

from .alerts import WeeklyDigest


def page_url(organisation: Organisation, *names: str) -> str:
    """The full address of the first of these pages that exists (the supply pages are
    built by parts: the suggestions page may not be there yet)."""
    for name in names:
        try:
            return settings.SITE_URL + reverse(name, kwargs={"slug": organisation.slug})
        except NoReverseMatch:
            continue
    return settings.SITE_URL + reverse("catalog:stock_list", kwargs={"slug": organisation.slug})


def weekly_email(
    organisation: Organisation, recipient: Membership, *, digest: WeeklyDigest, week: date
) -> EmailMultiAlternatives:
    user = recipient.user
    with organisation_context(organisation, language=user.language or None):
        context = {
            "organisation": organisation,
            "digest": digest,
            "week": week,
            "stock_url": page_url(organisation, "catalog:stock_list"),
            "orders_url": page_url(organisation, "supply:suggestions", "supply:cover"),
        }
        subject = _(
            "Supply — %(org)s: below their minimum %(low)s, orders to prepare %(suppliers)s"
        ) % {
            "low": len(digest.below_minimum),
            "suppliers": len(digest.to_order),
            "org": organisation.name,
        }
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("supply/email/weekly.txt", context),
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string("supply/email/weekly.html", context), "text/html"
        )
        return message
