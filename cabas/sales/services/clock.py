"""Time helpers of the sales services: the clock (``now`` given or the server's), wall-clock
times in the organisation's time zone (kept right across daylight-saving changes), how times
and quantities are shown in messages, and the organisation's closing days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import formats, timezone

from cabas.orgs.models import Organisation

from ..models import ClosingPeriod


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def wall_clock(organisation: Organisation, day: date, at: time) -> datetime:
    """The aware datetime of a local date and time in the organisation's timezone."""
    return datetime.combine(day, at, tzinfo=organisation.tzinfo)


def local_date(organisation: Organisation, moment: datetime) -> date:
    return timezone.localtime(moment, organisation.tzinfo).date()


def _show_datetime(organisation: Organisation, moment: datetime) -> str:
    local = timezone.localtime(moment, organisation.tzinfo)
    return formats.date_format(local, "SHORT_DATETIME_FORMAT")


def _show_time(organisation: Organisation, moment: datetime) -> str:
    return timezone.localtime(moment, organisation.tzinfo).strftime("%H:%M")


def _same_minute(first: datetime, second: datetime) -> bool:
    return first.replace(second=0, microsecond=0) == second.replace(second=0, microsecond=0)


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def closed_days(organisation: Organisation, first: date, last: date) -> set[date]:
    """The organisation's closing days between two dates (inclusive)."""
    days: set[date] = set()
    periods = ClosingPeriod.objects.filter(
        organisation=organisation, first_day__lte=last, last_day__gte=first
    )
    for period in periods:
        day = max(period.first_day, first)
        while day <= min(period.last_day, last):
            days.add(day)
            day += timedelta(days=1)
    return days
