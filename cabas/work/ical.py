"""Duties and shifts as calendar events (iCalendar, with the icalendar library): the one
event of a sign-up, attached to its reminder and listed in the person's calendar feed.

An event's UID is stable per period and person (``work-<period>-<membership>@cabas``): the
reminder's attachment and the feed describe the same event, and a calendar that subscribed
to the feed updates it when the period moves instead of showing it twice. Times are written
on the organisation's wall clock with its VTIMEZONE, as the e-mails show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Signup, WorkPeriod


def period_place(period: WorkPeriod) -> str:
    """Where the period happens, in words: the pickup point, else the organisation."""
    if period.pickup_id:
        return period.pickup.pickup_point.name
    return period.organisation.name


def period_address(period: WorkPeriod) -> str:
    if period.pickup_id:
        point = period.pickup.pickup_point
        town = " ".join(p for p in (point.postcode, point.town) if p)
        return ", ".join(p for p in (point.name, point.address, town) if p)
    return ", ".join(p for p in (period.organisation.name, period.organisation.address) if p)


def work_url(name: str, organisation) -> str:
    """The full address of a work page of the organisation by its URL name; its public page
    when that name is not there (the pages are built by parts: ``work:my_duties``,
    ``work:my_shifts``, ``work:gaps``)."""
    try:
        path = reverse(name, kwargs={"slug": organisation.slug})
    except NoReverseMatch:
        path = reverse("site:public", kwargs={"slug": organisation.slug})
    return settings.SITE_URL + path


def period_page_url(period: WorkPeriod) -> str:
    """The person's duties (or shifts) page."""
    name = "work:my_duties" if period.kind == WorkPeriod.Kind.DUTY else "work:my_shifts"
    return work_url(name, period.organisation)


def signup_event(signup: Signup, *, stamp: datetime) -> Event:
    """The calendar event of one sign-up (period, task type, pickup point and organisation
    selected with it)."""
    period = signup.period
    zone = period.organisation.tzinfo
    url = period_page_url(period)
    instructions = []
    if period.pickup_id and period.pickup.pickup_point.access_instructions:
        instructions.append(period.pickup.pickup_point.access_instructions)
    if period.task_type.instructions:
        instructions.append(period.task_type.instructions)
    event = Event()
    event.add("uid", f"work-{period.pk}-{signup.membership_id}@cabas")
    event.add("dtstamp", stamp)
    event.add("dtstart", timezone.localtime(period.starts_at, zone))
    event.add("dtend", timezone.localtime(period.ends_at, zone))
    event.add(
        "summary",
        _("%(task)s — %(place)s") % {"task": period.task_type.name, "place": period_place(period)},
    )
    event.add("location", period_address(period))
    event.add("description", "\n\n".join([*instructions, url]))
    event.add("url", url)
    return event


def calendar_of(signups: Iterable[Signup], *, name: str, stamp: datetime) -> bytes:
    """A calendar of the sign-ups' events, with the time zones they use."""
    calendar = Calendar()
    calendar.add("prodid", "-//Cabas//work//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for signup in signups:
        calendar.add_component(signup_event(signup, stamp=stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
