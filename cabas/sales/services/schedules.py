"""Schedules: recurring rules that prepare the order cycles of the coming weeks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cabas.core.dates import date_text
from cabas.orgs.models import Organisation

from .. import errors, lock_objects
from ..models import PickupPoint, Sale, Schedule, SchedulePickup, SlotMode, Weekday
from .clock import _now, closed_days, local_date, wall_clock
from .generated import GenerationReport, PlannedPickup, generated_sale_create
from .lifecycle import _check_minimum
from .pickups import _check_slot_settings


@dataclass(frozen=True)
class SchedulePickupSpec:
    """One pickup of each cycle of a schedule (input of ``schedule_create``/``_update``)."""

    pickup_point: PickupPoint
    weekday: int
    starts_time: time
    ends_time: time
    slot_mode: str = SlotMode.SLOTS
    slot_minutes: int | None = 15
    slot_capacity: int | None = 10
    capacity: int | None = None


def _check_schedule(
    organisation: Organisation,
    *,
    every_n_weeks: int,
    weeks_ahead: int,
    opens_days_before: int,
    opens_time: time,
    closes_days_before: int,
    closes_time: time,
    pickups: Sequence[SchedulePickupSpec],
) -> None:
    if not 1 <= every_n_weeks <= 52:
        raise errors.ScheduleInvalid(_("Choose a sale every 1 to 52 weeks."), field="every_n_weeks")
    if not 1 <= weeks_ahead <= 26:
        raise errors.ScheduleInvalid(
            _("Sales can be prepared 1 to 26 weeks ahead."), field="weeks_ahead"
        )
    if (opens_days_before, -opens_time.hour * 60 - opens_time.minute) <= (
        closes_days_before,
        -closes_time.hour * 60 - closes_time.minute,
    ):
        raise errors.SaleDatesInvalid(field="closes_days_before")
    if not pickups:
        raise errors.ScheduleHasNoPickup()
    _check_schedule_pickups(organisation, pickups)
    _check_cutoff_before_first_pickup(
        organisation, pickups, closes_days_before=closes_days_before, closes_time=closes_time
    )


# Schedules are checked on a sample week: only the local times matter.
_SAMPLE_MONDAY = date(2026, 1, 5)


def _check_schedule_pickups(
    organisation: Organisation, pickups: Sequence[SchedulePickupSpec]
) -> None:
    """Each pickup at an active point of the organisation, its slots filling its hours, and no
    two at the same point overlapping on the same weekday."""
    for spec in pickups:
        if spec.pickup_point.organisation_id != organisation.pk:
            raise errors.OtherOrganisation(field="pickups")
        if not spec.pickup_point.is_active:
            raise errors.PickupPointUnavailable(field="pickups")
        day = _SAMPLE_MONDAY + timedelta(days=spec.weekday)
        _check_slot_settings(
            organisation,
            starts_at=wall_clock(organisation, day, spec.starts_time),
            ends_at=wall_clock(organisation, day, spec.ends_time),
            slot_mode=spec.slot_mode,
            slot_minutes=spec.slot_minutes,
            slot_capacity=spec.slot_capacity,
            capacity=spec.capacity,
        )
    for i, first in enumerate(pickups):
        for second in pickups[i + 1 :]:
            if (
                first.pickup_point.pk == second.pickup_point.pk
                and first.weekday == second.weekday
                and first.starts_time < second.ends_time
                and second.starts_time < first.ends_time
            ):
                raise errors.PickupOverlap(
                    field="pickups",
                    point=first.pickup_point.name,
                    starts_at=f"{Weekday(first.weekday).label} {first.starts_time:%H:%M}",
                    ends_at=f"{first.ends_time:%H:%M}",
                )


def _check_cutoff_before_first_pickup(
    organisation: Organisation,
    pickups: Sequence[SchedulePickupSpec],
    *,
    closes_days_before: int,
    closes_time: time,
) -> None:
    """The cutoff must come before the first pickup of the cycle."""
    first = min(pickups, key=lambda spec: (spec.weekday, spec.starts_time))
    first_day = _SAMPLE_MONDAY + timedelta(days=first.weekday)
    closes_at = wall_clock(
        organisation, first_day - timedelta(days=closes_days_before), closes_time
    )
    if closes_at > wall_clock(organisation, first_day, first.starts_time):
        raise errors.PickupBeforeCutoff(
            field="closes_days_before",
            closes_at=f"{Weekday(closes_at.weekday()).label} {closes_time:%H:%M}",
        )


SCHEDULE_FIELDS = (
    "name",
    "is_active",
    "every_n_weeks",
    "first_week",
    "opens_days_before",
    "opens_time",
    "closes_days_before",
    "closes_time",
    "weeks_ahead",
    "minimum_order_amount",
    "note_to_members",
)


def _schedule_save(schedule: Schedule, pickups: Sequence[SchedulePickupSpec]) -> Schedule:
    _check_minimum(schedule.minimum_order_amount)
    _check_schedule(
        schedule.organisation,
        every_n_weeks=schedule.every_n_weeks,
        weeks_ahead=schedule.weeks_ahead,
        opens_days_before=schedule.opens_days_before,
        opens_time=schedule.opens_time,
        closes_days_before=schedule.closes_days_before,
        closes_time=schedule.closes_time,
        pickups=pickups,
    )
    schedule.save()
    SchedulePickup.objects.filter(schedule=schedule).delete()
    SchedulePickup.objects.bulk_create(
        SchedulePickup(
            organisation_id=schedule.organisation_id,
            schedule=schedule,
            pickup_point=spec.pickup_point,
            weekday=spec.weekday,
            starts_time=spec.starts_time,
            ends_time=spec.ends_time,
            slot_mode=spec.slot_mode,
            slot_minutes=spec.slot_minutes if spec.slot_mode == SlotMode.SLOTS else None,
            slot_capacity=spec.slot_capacity if spec.slot_mode == SlotMode.SLOTS else None,
            capacity=spec.capacity if spec.slot_mode == SlotMode.CAPACITY else None,
        )
        for spec in pickups
    )
    return schedule


@transaction.atomic
def schedule_create(
    *,
    organisation: Organisation,
    name: str,
    first_week: date,
    pickups: Sequence[SchedulePickupSpec],
    every_n_weeks: int = 1,
    opens_days_before: int = 7,
    opens_time: time = time(8, 0),
    closes_days_before: int = 2,
    closes_time: time = time(23, 59),
    weeks_ahead: int = 4,
    minimum_order_amount: Decimal | None = None,
    note_to_members: str = "",
    is_active: bool = True,
    now: datetime | None = None,
) -> Schedule:
    """Create a recurring rule and prepare its sales for the next ``weeks_ahead`` weeks.

    Each cycle is one sale; its pickups happen on their weekdays of that week; orders open
    ``opens_days_before`` days before the first pickup at ``opens_time`` and close
    ``closes_days_before`` days before it at ``closes_time`` (local time)."""
    schedule = Schedule(
        organisation=organisation,
        name=name,
        first_week=first_week,
        every_n_weeks=every_n_weeks,
        opens_days_before=opens_days_before,
        opens_time=opens_time,
        closes_days_before=closes_days_before,
        closes_time=closes_time,
        weeks_ahead=weeks_ahead,
        minimum_order_amount=minimum_order_amount,
        note_to_members=note_to_members,
        is_active=is_active,
    )
    _schedule_save(schedule, pickups)
    if schedule.is_active:
        schedule_generate(schedule=schedule, now=now)
    return schedule


@transaction.atomic
def schedule_update(
    *, schedule: Schedule, pickups: Sequence[SchedulePickupSpec], now=None, **fields
) -> Schedule:
    """Change a schedule. Sales already created keep their dates and pickups (edit them one
    by one); the next generated ones follow the new rule."""
    schedule = lock_objects.schedule_lock(schedule_id=schedule.pk)
    for name, value in fields.items():
        if name not in SCHEDULE_FIELDS:
            raise TypeError(f"unknown schedule field: {name}")
        setattr(schedule, name, value)
    _schedule_save(schedule, pickups)
    if schedule.is_active:
        schedule_generate(schedule=schedule, now=now)
    return schedule


@transaction.atomic
def schedule_delete(*, schedule: Schedule) -> None:
    """Delete a schedule; the sales it created stay."""
    schedule.delete()


def _week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@transaction.atomic
def schedule_generate(*, schedule: Schedule, now: datetime | None = None) -> GenerationReport:
    """Create the sales of the schedule's cycles whose first pickup is in the next
    ``weeks_ahead`` weeks. Idempotent (one sale per schedule and week); skips closing days,
    cycles whose cutoff has passed, and a pickup that would overlap another at its point."""
    now = _now(now)
    report = GenerationReport()
    schedule = lock_objects.schedule_lock(schedule_id=schedule.pk)
    organisation = Organisation.objects.get(pk=schedule.organisation_id)
    specs = list(schedule.pickups.select_related("pickup_point"))
    if not schedule.is_active or not specs:
        return report
    this_monday = _week_monday(local_date(organisation, now))
    weeks = [this_monday + timedelta(weeks=w) for w in range(schedule.weeks_ahead + 1)]
    existing = set(
        Sale.objects.filter(schedule=schedule, occurrence_date__in=weeks).values_list(
            "occurrence_date", flat=True
        )
    )
    closed = closed_days(organisation, weeks[0], weeks[-1] + timedelta(days=6))
    anchor = _week_monday(schedule.first_week)
    for monday in weeks:
        index = (monday - anchor).days // 7
        if index < 0 or index % schedule.every_n_weeks or monday in existing:
            continue
        planned = _cycle_pickups(organisation, specs, monday, closed, report)
        if planned:
            _cycle_sale_create(schedule, organisation, monday, planned, report, now)
    return report


def _cycle_pickups(
    organisation: Organisation,
    specs: Sequence[SchedulePickup],
    monday: date,
    closed: set[date],
    report: GenerationReport,
) -> list[PlannedPickup]:
    """The pickups of the cycle of the week of ``monday``, but those on closing days."""
    planned = []
    for spec in specs:
        day = monday + timedelta(days=spec.weekday)
        if day in closed:
            report.skipped.append(
                _("%(point)s on %(day)s: closing day")
                % {"point": spec.pickup_point.name, "day": date_text(day)}
            )
            continue
        planned.append(
            PlannedPickup(
                label=spec.pickup_point.name,
                pickup_point=spec.pickup_point,
                starts_at=wall_clock(organisation, day, spec.starts_time),
                ends_at=wall_clock(organisation, day, spec.ends_time),
                slot_mode=spec.slot_mode,
                slot_minutes=spec.slot_minutes,
                slot_capacity=spec.slot_capacity,
                capacity=spec.capacity,
            )
        )
    return planned


def _cycle_sale_create(
    schedule: Schedule,
    organisation: Organisation,
    monday: date,
    planned: list[PlannedPickup],
    report: GenerationReport,
    now: datetime,
) -> None:
    """The cycle's sale, unless its first pickup is beyond the horizon or its cutoff passed."""
    first_start = min(pickup.starts_at for pickup in planned)
    if first_start >= now + timedelta(weeks=schedule.weeks_ahead):
        return
    first_day = local_date(organisation, first_start)
    opens_at = wall_clock(
        organisation, first_day - timedelta(days=schedule.opens_days_before), schedule.opens_time
    )
    closes_at = wall_clock(
        organisation,
        first_day - timedelta(days=schedule.closes_days_before),
        schedule.closes_time,
    )
    if closes_at <= now:
        return
    generated_sale_create(
        report=report,
        now=now,
        pickups=planned,
        organisation=organisation,
        title=f"{schedule.name} · {first_day:%d/%m/%Y}",
        kind=Sale.Kind.ORDER_CYCLE,
        opens_at=opens_at,
        closes_at=closes_at,
        minimum_order_amount=schedule.minimum_order_amount,
        note_to_members=schedule.note_to_members,
        schedule=schedule,
        occurrence_date=monday,
    )
