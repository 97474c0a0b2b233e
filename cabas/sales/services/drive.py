"""Drive mode: one sale per opening day, its hours cut into slots, each bookable until the
lead time before it starts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from cabas.core.dates import date_text
from cabas.orgs.models import Organisation

from .. import errors, lock_objects
from ..models import Drive, DriveHours, PickupPoint, Sale, SlotMode, Weekday
from .clock import _now, closed_days, local_date, wall_clock
from .generated import GenerationReport, PlannedPickup, generated_sale_create
from .pickups import _check_slot_settings


@transaction.atomic
def drive_configure(
    *,
    organisation: Organisation,
    pickup_point: PickupPoint,
    slot_minutes: int = 15,
    slot_capacity: int = 1,
    lead_time_minutes: int = 120,
    days_ahead: int = 7,
    name: str = "Drive",
    is_active: bool = True,
    now: datetime | None = None,
) -> Drive:
    """Set up drive mode: where members collect, slot length and capacity, the minimum time
    between ordering and a slot, how many days ahead slots are open. The opening hours must
    still be divisible by the slot length."""
    if pickup_point.organisation_id != organisation.pk:
        raise errors.OtherOrganisation(field="pickup_point")
    if not pickup_point.is_active:
        raise errors.PickupPointUnavailable(field="pickup_point")
    if slot_minutes is None or slot_minutes < 1:
        raise errors.SlotSettingsMissing(field="slot_minutes")
    if slot_capacity is None or slot_capacity < 1:
        raise errors.CapacityNotPositive(field="slot_capacity")
    if lead_time_minutes is None or lead_time_minutes < 0:
        raise errors.QuantityInvalid(field="lead_time_minutes")
    if not 1 <= days_ahead <= 60:
        raise errors.ScheduleInvalid(
            _("Slots can be opened 1 to 60 days ahead."), field="days_ahead"
        )
    hours = DriveHours.objects.filter(organisation=organisation)
    _check_drive_ranges(
        organisation,
        [(h.weekday, h.starts_time, h.ends_time) for h in hours],
        slot_minutes=slot_minutes,
    )
    drive, _created = Drive.objects.update_or_create(
        organisation=organisation,
        defaults={
            "pickup_point": pickup_point,
            "slot_minutes": slot_minutes,
            "slot_capacity": slot_capacity,
            "lead_time_minutes": lead_time_minutes,
            "days_ahead": days_ahead,
            "name": name,
            "is_active": is_active,
        },
    )
    if drive.is_active:
        drive_generate(organisation=organisation, now=now)
    return drive


def _check_drive_ranges(
    organisation: Organisation,
    ranges: Sequence[tuple[int, time, time]],
    *,
    slot_minutes: int,
) -> None:
    by_day: dict[int, list[tuple[time, time]]] = defaultdict(list)
    sample = date(2026, 1, 5)  # a Monday
    for weekday, starts, ends in ranges:
        day = sample + timedelta(days=weekday)
        _check_slot_settings(
            organisation,
            starts_at=wall_clock(organisation, day, starts),
            ends_at=wall_clock(organisation, day, ends),
            slot_mode=SlotMode.SLOTS,
            slot_minutes=slot_minutes,
            slot_capacity=1,
            capacity=None,
        )
        by_day[weekday].append((starts, ends))
    for weekday, day_ranges in by_day.items():
        day_ranges.sort()
        for (first_start, first_end), (second_start, second_end) in zip(
            day_ranges, day_ranges[1:], strict=False
        ):
            if second_start < first_end:
                raise errors.DriveHoursOverlap(
                    day=str(Weekday(weekday).label),
                    first=f"{first_start:%H:%M}-{first_end:%H:%M}",
                    second=f"{second_start:%H:%M}-{second_end:%H:%M}",
                )


def _drive_hours_replace(
    organisation: Organisation,
    hours: dict[int, Sequence[tuple[time, time]]],
    *,
    slot_minutes: int,
) -> list[DriveHours]:
    ranges = [
        (weekday, starts, ends) for weekday, day in sorted(hours.items()) for starts, ends in day
    ]
    _check_drive_ranges(organisation, ranges, slot_minutes=slot_minutes)
    DriveHours.objects.filter(organisation=organisation).delete()
    return DriveHours.objects.bulk_create(
        DriveHours(organisation=organisation, weekday=weekday, starts_time=starts, ends_time=ends)
        for weekday, starts, ends in ranges
    )


@transaction.atomic
def drive_hours_set(
    *,
    organisation: Organisation,
    hours: dict[int, Sequence[tuple[time, time]]],
    now: datetime | None = None,
) -> list[DriveHours]:
    """Replace the drive's opening hours: ``{weekday: [(start, end), ...]}`` (0 = Monday).
    Ranges of a day must not overlap and the slot length must divide each of them. Days
    already prepared keep their slots; the next ones follow the new hours."""
    drive = Drive.objects.filter(organisation=organisation).first()
    created = _drive_hours_replace(
        organisation, hours, slot_minutes=drive.slot_minutes if drive else 15
    )
    if drive is not None and drive.is_active:
        drive_generate(organisation=organisation, now=now)
    return created


@transaction.atomic
def drive_save(
    *,
    organisation: Organisation,
    hours: dict[int, Sequence[tuple[time, time]]],
    pickup_point: PickupPoint,
    slot_minutes: int,
    slot_capacity: int,
    lead_time_minutes: int,
    days_ahead: int,
    name: str = "Drive",
    is_active: bool = True,
    now: datetime | None = None,
) -> Drive:
    """The drive screen in one go: opening hours and settings, all or nothing."""
    if slot_minutes is None or slot_minutes < 1:
        raise errors.SlotSettingsMissing(field="slot_minutes")
    _drive_hours_replace(organisation, hours, slot_minutes=slot_minutes)
    return drive_configure(
        organisation=organisation,
        pickup_point=pickup_point,
        slot_minutes=slot_minutes,
        slot_capacity=slot_capacity,
        lead_time_minutes=lead_time_minutes,
        days_ahead=days_ahead,
        name=name,
        is_active=is_active,
        now=now,
    )


@transaction.atomic
def drive_generate(*, organisation: Organisation, now: datetime | None = None) -> GenerationReport:
    """Prepare one drive sale per opening day in the next ``days_ahead`` days (idempotent,
    closing days skipped). Each opening range becomes a pickup with its slots; a slot is
    bookable until the lead time before it starts, and the sale closes when the last slot no
    longer can be booked."""
    now = _now(now)
    report = GenerationReport()
    drive = lock_objects.active_drive_lock(organisation_id=organisation.pk)
    if drive is None:
        return report
    hours: dict[int, list[DriveHours]] = defaultdict(list)
    for opening in DriveHours.objects.filter(organisation=organisation):
        hours[opening.weekday].append(opening)
    if not hours:
        return report
    today = local_date(organisation, now)
    days = [today + timedelta(days=n) for n in range(drive.days_ahead)]
    existing = set(
        Sale.objects.filter(
            organisation=organisation, kind=Sale.Kind.DRIVE, occurrence_date__in=days
        ).values_list("occurrence_date", flat=True)
    )
    closed = closed_days(organisation, days[0], days[-1])
    for day in days:
        if day in existing or day in closed or day.weekday() not in hours:
            continue
        _drive_day_create(drive, organisation, day, hours[day.weekday()], report, now)
    return report


def _drive_day_create(
    drive: Drive,
    organisation: Organisation,
    day: date,
    hours: list[DriveHours],
    report: GenerationReport,
    now: datetime,
) -> None:
    """The drive sale of one opening day, unless its last slot can no longer be booked."""
    planned = [
        PlannedPickup(
            label=date_text(day),
            pickup_point=drive.pickup_point,
            starts_at=wall_clock(organisation, day, opening.starts_time),
            ends_at=wall_clock(organisation, day, opening.ends_time),
            slot_mode=SlotMode.SLOTS,
            slot_minutes=drive.slot_minutes,
            slot_capacity=drive.slot_capacity,
            lead_time=drive.lead_time,
        )
        for opening in sorted(hours, key=lambda opening: opening.starts_time)
    ]
    # The sale closes when its last slot is no longer bookable (Pickup.bookable_until of
    # the last slot's start; the pickups do not exist yet).
    last_slot_starts = planned[-1].ends_at - timedelta(minutes=drive.slot_minutes)
    closes_at = last_slot_starts - drive.lead_time
    if closes_at <= now:
        return
    opens_at = min(
        wall_clock(organisation, day - timedelta(days=drive.days_ahead), time(0, 0)),
        closes_at - timedelta(minutes=1),
    )
    generated_sale_create(
        report=report,
        now=now,
        pickups=planned,
        organisation=organisation,
        title=f"{drive.name} · {day:%d/%m/%Y}",
        kind=Sale.Kind.DRIVE,
        opens_at=opens_at,
        closes_at=closes_at,
        occurrence_date=day,
    )
