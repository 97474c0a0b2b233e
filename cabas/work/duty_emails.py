"""A person's e-mails about a duty, from a coordinator: the duty is cancelled, or a duty
lacks people and they could come. Rendered when the outbox sends them, in the person's
language (else the organisation's) and the organisation's time zone."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.core.dates import date_text
from cabas.orgs.context import organisation_context
from cabas.orgs.models import Membership

from . import ical
from .emails import _one_line
from .models import WorkPeriod

SUBJECTS = {
    "cancelled": lambda: _("Duty cancelled: %(task)s, %(day)s — %(organisation)s"),
    "appeal": lambda: _("Help wanted: %(task)s, %(day)s — %(organisation)s"),
}


def duty_email_message(*, period_id: int, membership_id: int, event: str) -> EmailMultiAlternatives:
    period = WorkPeriod.objects.select_related(
        "organisation", "task_type", "pickup__pickup_point"
    ).get(pk=period_id)
    membership = Membership.objects.select_related("user").get(pk=membership_id)
    organisation = period.organisation
    with organisation_context(organisation, language=membership.user.language or None):
        starts_at = timezone.localtime(period.starts_at)
        context = {
            "period": period,
            "event": event,
            "organisation": organisation,
            "point": period.pickup.pickup_point if period.pickup else None,
            "url": ical.work_url("work:duties", organisation),
        }
        subject = _one_line(
            SUBJECTS[event]()
            % {
                "task": period.task_type.name,
                "day": date_text(starts_at, "l j F"),
                "organisation": organisation.name,
            }
        )
        body = render_to_string("work/email/duty.txt", context)
        html = render_to_string("work/email/duty.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[membership.user.email])
    message.attach_alternative(html, "text/html")
    return message
