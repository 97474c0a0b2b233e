"""Reads of the background work: the sign-ups whose reminder is due, the duties still
unfilled a few days before, and the sign-ups of a person's calendar feed."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet

from cabas.orgs.models import Membership, Organisation

from .models import CalendarFeed, Signup, WorkPeriod, WorkSettings

# What a person's calendar feed lists: the last weeks (what they did) and the coming months.
FEED_PAST = timedelta(weeks=4)
FEED_AHEAD = timedelta(weeks=26)


def days_before(starts_at: datetime, organisation: Organisation, days: int) -> datetime:
    """``days`` days before ``starts_at`` at the same wall-clock time ("the day before, at
    the hour of the duty"), whatever daylight saving does in between."""
    local = starts_at.astimezone(organisation.tzinfo)
    return (local.replace(tzinfo=None) - timedelta(days=days)).replace(tzinfo=organisation.tzinfo)


def _with_event(signups: QuerySet) -> QuerySet:
    """What an e-mail or an event of a sign-up shows, in the same query."""
    return signups.select_related(
        "organisation",
        "membership__user",
        "period__organisation",
        "period__task_type",
        "period__pickup__pickup_point",
    )


def reminders_due(
    *, organisation: Organisation, settings: WorkSettings, now: datetime
) -> list[Signup]:
    """The sign-ups holding a place whose reminder time has come (``reminder_days_before``
    days before, at the hour of the period) and whose period has not started; none when the
    setting is 0. Those already reminded are left to the outbox's key."""
    days = settings.reminder_days_before
    if days == 0:
        return []
    signups = _with_event(
        Signup.objects.holding().filter(
            organisation=organisation,
            membership__status=Membership.Status.ACTIVE,
            period__is_cancelled=False,
            period__starts_at__gt=now,
            # A day more than the setting: the exact wall-clock rule is applied below.
            period__starts_at__lte=now + timedelta(days=days + 1),
        )
    ).order_by("period__starts_at", "pk")
    return [
        signup
        for signup in signups
        if days_before(signup.period.starts_at, organisation, days) <= now
    ]


def gaps_due(*, organisation: Organisation, settings: WorkSettings, now: datetime):
    """The duties with places still free ``gap_alert_days_before`` days before (at the hour
    of the duty), not alerted yet, not started; none when the setting is 0."""
    days = settings.gap_alert_days_before
    if days == 0:
        return []
    periods = (
        WorkPeriod.objects.duties()
        .unfilled()
        .filter(
            organisation=organisation,
            is_cancelled=False,
            gap_alert_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=days + 1),
        )
        .select_related("organisation", "task_type", "pickup__pickup_point")
        .order_by("starts_at", "pk")
    )
    return [p for p in periods if days_before(p.starts_at, organisation, days) <= now]


def coordinators_of(organisation: Organisation) -> list[Membership]:
    """The active coordinators who have an e-mail address."""
    return list(
        Membership.objects.active()
        .filter(organisation=organisation, is_coordinator=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )


def feed_by_token(token: str) -> CalendarFeed | None:
    """The feed of ``token`` if its person is still an active member of an active
    organisation."""
    return (
        CalendarFeed.objects.filter(
            token=token,
            membership__status=Membership.Status.ACTIVE,
            organisation__is_active=True,
        )
        .select_related("organisation", "membership")
        .first()
    )


def feed_signups(*, feed: CalendarFeed, now: datetime) -> list[Signup]:
    """The person's sign-ups holding a place, from a few weeks ago to a few months ahead."""
    return list(
        _with_event(
            Signup.objects.holding().filter(
                organisation_id=feed.organisation_id,
                membership_id=feed.membership_id,
                period__is_cancelled=False,
                period__ends_at__gt=now - FEED_PAST,
                period__starts_at__lt=now + FEED_AHEAD,
            )
        ).order_by("period__starts_at", "pk")
    )
