"""Making the dated periods: a pickup's duties from the duty templates, and the coop's shifts
from the cycle's templates, ahead of time (with the regular members booked on theirs).

Times are wall-clock times in the organisation's time zone: a duty 14:00–16:00 or a shift
9:00–12:00 stays at 14:00 or 9:00 across a daylight-saving change. Both generations are
idempotent (unique constraints per template and pickup, or per template and start), so the
worker's sweep and a retried task make nothing twice.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from cabas.orgs.models import Organisation
from cabas.sales.models import Pickup

from .. import selectors
from ..models import (
    DutyTemplate,
    Exemption,
    ShiftMember,
    ShiftTemplate,
    Signup,
    WorkPeriod,
    WorkSettings,
)


def _wall_clock(organisation: Organisation, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=organisation.tzinfo)


def _insert_once(period: WorkPeriod) -> WorkPeriod | None:
    """Save a generated period unless its template already made it (savepoint)."""
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError:
        return None
    return period


def _duty_hours(template: DutyTemplate, pickup: Pickup) -> tuple[datetime, datetime]:
    """When a template's duty is, at ``pickup``: the pickup's hours, or the template's hours
    on the pickup's local day."""
    if template.during_pickup:
        return pickup.starts_at, pickup.ends_at
    organisation = pickup.organisation
    day = timezone.localtime(pickup.starts_at, organisation.tzinfo).date()
    return (
        _wall_clock(organisation, day, template.start_time),
        _wall_clock(organisation, day, template.end_time),
    )


def _duties_follow(pickup: Pickup, existing: list[WorkPeriod]) -> None:
    """A pickup moved (other hours, day or point), or a template's hours changed: the coming
    duties made from templates follow (past ones keep what happened). A duty whose template
    serves another point now goes when nobody is on it (kept, for the coordinator to
    decide, when someone is)."""
    now = timezone.now()
    for period in existing:
        if period.starts_at <= now:
            continue
        template = period.duty_template
        if template.pickup_point_id not in (None, pickup.pickup_point_id):
            if period.taken == 0:
                period.delete()
            continue
        starts_at, ends_at = _duty_hours(template, pickup)
        if (period.starts_at, period.ends_at) != (starts_at, ends_at):
            WorkPeriod.objects.filter(pk=period.pk).update(
                starts_at=starts_at, ends_at=ends_at, updated_at=timezone.now()
            )


def duties_generate_for_pickup(*, pickup: Pickup) -> list[WorkPeriod]:
    """The duties a pickup needs, from the active templates of its point and of every point;
    the ones made before follow the pickup if it moved. Returns the periods made now (none
    when they already exist)."""
    organisation = pickup.organisation
    templates = DutyTemplate.objects.filter(
        Q(pickup_point=pickup.pickup_point_id) | Q(pickup_point__isnull=True),
        organisation=organisation,
        is_active=True,
    ).order_by("pk")
    # The sweep passes by every coming pickup each time: skip what exists without an insert.
    existing = list(
        WorkPeriod.objects.filter(pickup=pickup, duty_template__isnull=False).select_related(
            "duty_template"
        )
    )
    _duties_follow(pickup, existing)
    made_before = {period.duty_template_id for period in existing}
    made = []
    for template in templates:
        if template.pk in made_before:
            continue
        starts_at, ends_at = _duty_hours(template, pickup)
        period = _insert_once(
            WorkPeriod(
                organisation=organisation,
                kind=WorkPeriod.Kind.DUTY,
                task_type_id=template.task_type_id,
                pickup=pickup,
                duty_template=template,
                starts_at=starts_at,
                ends_at=ends_at,
                places=template.places,
            )
        )
        if period is not None:
            made.append(period)
    return made


def duties_generate(*, organisation: Organisation, now: datetime, weeks: int = 8) -> int:
    """The duties of every coming pickup of the organisation (the sweep's catch-up)."""
    pickups = (
        Pickup.objects.filter(
            organisation=organisation,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(weeks=weeks),
        )
        .exclude(sale__status__in=_PAST_SALE_STATUSES)
        .order_by("starts_at", "pk")
    )
    return sum(len(duties_generate_for_pickup(pickup=pickup)) for pickup in pickups)


# Sales whose pickups are over.
_PAST_SALE_STATUSES = ("distributed", "archived")


def shift_dates(settings: WorkSettings, template: ShiftTemplate, first: date, last: date):
    """The dates of ``template`` from ``first`` to ``last``: its weekday, in its week of
    each cycle."""
    offset = 7 * template.week + template.weekday
    cycle = settings.cycle_start(first)
    length = timedelta(weeks=settings.cycle_weeks)
    while cycle <= last:
        day = cycle + timedelta(days=offset)
        if first <= day <= last:
            yield day
        cycle += length


def shifts_generate(*, organisation: Organisation, now: datetime) -> list[WorkPeriod]:
    """The dated shifts of the coming weeks (``shifts_ahead_weeks``), each new one with its
    regular members booked (unless exempted that day). Returns the periods made now."""
    settings = selectors.work_settings_of(organisation)
    today = timezone.localtime(now, organisation.tzinfo).date()
    last = today + timedelta(weeks=settings.shifts_ahead_weeks)
    templates = ShiftTemplate.objects.filter(organisation=organisation, is_active=True)
    made = []
    for template in templates.order_by("pk"):
        # The sweep comes back often: skip the shifts that exist without an insert.
        existing = set(
            WorkPeriod.objects.filter(shift_template=template, starts_at__gt=now).values_list(
                "starts_at", flat=True
            )
        )
        for day in shift_dates(settings, template, today, last):
            starts_at = _wall_clock(organisation, day, template.start_time)
            if starts_at <= now or starts_at in existing:
                continue
            with transaction.atomic():
                period = _insert_once(
                    WorkPeriod(
                        organisation=organisation,
                        kind=WorkPeriod.Kind.SHIFT,
                        task_type_id=template.task_type_id,
                        shift_template=template,
                        starts_at=starts_at,
                        ends_at=_wall_clock(organisation, day, template.end_time),
                        places=template.places,
                    )
                )
                if period is not None:
                    _regulars_book(period, day)
                    made.append(period)
    return made


def _regulars_book(period: WorkPeriod, day: date) -> None:
    """Book the template's regular members on a new shift, as many as it has places, in the
    order they joined the template; the exempted ones are skipped."""
    regulars = (
        ShiftMember.objects.filter(
            template_id=period.shift_template_id,
            regime=ShiftMember.Regime.REGULAR,
            membership__status="active",
            starts_on__lte=day,
        )
        # One exemption covering the day (two conditions in one exclude() across a
        # multi-valued relation may match two different exemptions).
        .exclude(
            Exists(
                Exemption.objects.filter(
                    membership_id=OuterRef("membership_id"), starts_on__lte=day, ends_on__gte=day
                )
            )
        )
        .order_by("pk")
        .values_list("membership_id", flat=True)[: period.places]
    )
    signups = [
        Signup(
            organisation_id=period.organisation_id,
            period=period,
            membership_id=membership_id,
            is_regular=True,
        )
        for membership_id in regulars
    ]
    if signups:
        Signup.objects.bulk_create(signups)
        WorkPeriod.objects.filter(pk=period.pk).update(taken=F("taken") + len(signups))
        period.taken = len(signups)
