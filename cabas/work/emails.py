"""The e-mails of duties and shifts: the reminder to each person on a period (with the
event as an .ics file), and the alert to coordinators about a duty still unfilled.

Rendered when they are recorded (the sweep), in the recipient's language (else the
organisation's) and the organisation's time zone; the outbox stores the rendered message.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cabas.orgs.context import organisation_context
from cabas.orgs.models import Membership

from . import ical
from .models import Signup, WorkPeriod


def _one_line(text: str) -> str:
    """A subject on one line, whatever the names in it hold (a header cannot break)."""
    return " ".join(text.split())


def _period_context(period: WorkPeriod) -> dict:
    return {
        "period": period,
        "organisation": period.organisation,
        "point": period.pickup.pickup_point if period.pickup_id else None,
        "place": ical.period_place(period),
        "url": ical.period_page_url(period),
        "site_url": settings.SITE_URL,
    }


def reminder_email(signup: Signup, *, now: datetime) -> EmailMultiAlternatives:
    """The reminder of one sign-up (its period, task type, point and person selected)."""
    period = signup.period
    user = signup.membership.user
    with organisation_context(period.organisation, language=user.language or None):
        context = {
            **_period_context(period),
            "calendar_url": ical.work_url("work:calendar", period.organisation),
        }
        if period.kind == WorkPeriod.Kind.DUTY:
            subject = _("Reminder: your duty “%(task)s” at %(place)s — %(organisation)s")
        else:
            subject = _("Reminder: your shift “%(task)s” — %(organisation)s")
        subject %= {
            "task": period.task_type.name,
            "place": context["place"],
            "organisation": period.organisation.name,
        }
        message = EmailMultiAlternatives(
            subject=_one_line(subject),
            body=render_to_string("work/email/reminder.txt", context),
            to=[user.email],
        )
        html = render_to_string("work/email/reminder.html", context)
        message.attach_alternative(html, "text/html")
        calendar = ical.calendar_of([signup], name=period.organisation.name, stamp=now)
        if period.kind == WorkPeriod.Kind.DUTY:
            filename = _("duty-%(number)s.ics") % {"number": period.pk}
        else:
            filename = _("shift-%(number)s.ics") % {"number": period.pk}
        message.attach(filename, calendar, "text/calendar")
        return message


def gap_alert_email(
    period: WorkPeriod, coordinator: Membership, *, signups: list[Signup]
) -> EmailMultiAlternatives:
    """The alert to one coordinator: this duty still has free places (who is on it)."""
    user = coordinator.user
    with organisation_context(period.organisation, language=user.language or None):
        context = {
            **_period_context(period),
            "signups": signups,
            "missing": period.places - period.taken,
            "manage_url": ical.work_url("work:gaps", period.organisation),
        }
        subject = _("Duty still unfilled: “%(task)s” at %(place)s — %(organisation)s") % {
            "task": period.task_type.name,
            "place": context["place"],
            "organisation": period.organisation.name,
        }
        message = EmailMultiAlternatives(
            subject=_one_line(subject),
            body=render_to_string("work/email/gap_alert.txt", context),
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string("work/email/gap_alert.html", context), "text/html"
        )
        return message
