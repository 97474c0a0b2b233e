"""A coordinator's set-up of the duties: the settings, the task types, the duties every pickup
needs (templates), and one pickup's duties (a one-off duty, its places, cancelling it)."""

from __future__ import annotations

from datetime import datetime, time

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from cabas.notifications.services import outbox_message_record
from cabas.orgs.models import Organisation
from cabas.sales.models import Pickup, PickupPoint

from .. import errors
from ..models import DutyTemplate, Signup, TaskType, WorkPeriod, WorkSettings
from .generation import _wall_clock, duties_generate_for_pickup

# Builds a person's e-mail about a duty when the outbox sends it (in their language).
DUTY_EMAIL_RENDERER = "cabas.work.duty_emails.duty_email_message"

WORK_SETTINGS_FIELDS = tuple(
    field.name
    for field in WorkSettings._meta.concrete_fields
    if field.editable and field.name not in ("id", "organisation", "created_at", "updated_at")
)


@transaction.atomic
def work_settings_save(*, organisation: Organisation, **fields) -> WorkSettings:
    """Save the organisation's rules for duties, shifts and défraiement (created the first
    time); fields not given keep their value."""
    unknown = set(fields) - set(WORK_SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown work settings fields: {sorted(unknown)}")
    starts_on = fields.get("cycle_starts_on")
    if starts_on is not None and starts_on.weekday() != 0:
        raise errors.CycleStartNotMonday(field="cycle_starts_on")
    settings = WorkSettings.objects.filter(organisation=organisation).first()
    settings = settings or WorkSettings(organisation=organisation)
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    return settings


def _check_task_type_name(organisation: Organisation, name: str, exclude_pk: int | None) -> str:
    name = name.strip()
    if not name:
        raise errors.TaskTypeNameMissing(field="name")
    taken = TaskType.objects.filter(organisation=organisation, name__iexact=name)
    if taken.exclude(pk=exclude_pk).exists():
        raise errors.TaskTypeNameTaken(field="name")
    return name


def task_type_save(
    *,
    organisation: Organisation,
    name: str,
    instructions: str = "",
    task_type: TaskType | None = None,
) -> TaskType:
    """Add a task type, or change ``task_type``: a name unique in the organisation (whatever
    the case) and what to bring."""
    if task_type is not None and task_type.organisation_id != organisation.pk:
        raise ValueError("task type of another organisation")
    name = _check_task_type_name(organisation, name, task_type.pk if task_type else None)
    task_type = task_type or TaskType(organisation=organisation)
    task_type.name = name
    task_type.instructions = instructions.strip()
    try:
        with transaction.atomic():
            task_type.full_clean(validate_constraints=False)
            task_type.save()
    except IntegrityError as error:  # the same name saved at the same instant
        raise errors.TaskTypeNameTaken(field="name") from error
    return task_type


def task_type_delete(*, task_type: TaskType) -> None:
    """Delete a task type no duty, template or shift uses (refused otherwise: deactivate the
    templates instead, the past duties keep their task)."""
    try:
        with transaction.atomic():
            task_type.delete()
    except ProtectedError as error:
        raise errors.TaskTypeInUse(name=task_type.name) from error


def _check_hours(during_pickup: bool, start_time: time | None, end_time: time | None) -> None:
    if during_pickup:
        return
    if start_time is None or end_time is None:
        raise errors.DutyHoursMissing(field="start_time")
    if end_time <= start_time:
        raise errors.DutyEndsBeforeStart(field="end_time")


def _check_places(places: int) -> None:
    if not 1 <= places <= 50:
        raise errors.DutyPlacesOutOfRange(field="places")


def duty_template_save(
    *,
    organisation: Organisation,
    task_type: TaskType,
    pickup_point: PickupPoint | None = None,
    during_pickup: bool = False,
    start_time: time | None = None,
    end_time: time | None = None,
    places: int = 1,
    is_active: bool = True,
    template: DutyTemplate | None = None,
) -> DutyTemplate:
    """Add a duty every pickup needs (at ``pickup_point``, or at every point), or change
    ``template``. Its duties of the coming pickups are made by ``duties_generate`` (the
    view calls it); those already made follow its new hours and keep their places."""
    for owned in (task_type, pickup_point, template):
        if owned is not None and owned.organisation_id != organisation.pk:
            raise ValueError("object of another organisation")
    _check_hours(during_pickup, start_time, end_time)
    _check_places(places)
    template = template or DutyTemplate(organisation=organisation)
    template.task_type = task_type
    template.pickup_point = pickup_point
    template.during_pickup = during_pickup
    template.start_time = None if during_pickup else start_time
    template.end_time = None if during_pickup else end_time
    template.places = places
    template.is_active = is_active
    template.full_clean()
    template.save()
    return template


def duty_template_set_active(*, template: DutyTemplate, is_active: bool) -> DutyTemplate:
    """Stop (or start again) making a template's duties for new pickups; the duties already
    made stay, with the people on them (cancel one from its pickup's page)."""
    DutyTemplate.objects.filter(pk=template.pk).update(
        is_active=is_active, updated_at=timezone.now()
    )
    template.is_active = is_active
    return template


def duty_add(
    *,
    pickup: Pickup,
    task_type: TaskType,
    places: int,
    during_pickup: bool = False,
    start_time: time | None = None,
    end_time: time | None = None,
    now: datetime | None = None,
) -> WorkPeriod:
    """A one-off duty at one pickup (not from a template), on the pickup's day."""
    now = now or timezone.now()
    organisation = pickup.organisation
    if task_type.organisation_id != organisation.pk:
        raise ValueError("task type of another organisation")
    if pickup.ends_at <= now:
        raise errors.PickupOver()
    _check_hours(during_pickup, start_time, end_time)
    _check_places(places)
    if during_pickup:
        starts_at, ends_at = pickup.starts_at, pickup.ends_at
    else:
        day = timezone.localtime(pickup.starts_at, organisation.tzinfo).date()
        starts_at = _wall_clock(organisation, day, start_time)
        ends_at = _wall_clock(organisation, day, end_time)
    return WorkPeriod.objects.create(
        organisation=organisation,
        kind=WorkPeriod.Kind.DUTY,
        task_type=task_type,
        pickup=pickup,
        starts_at=starts_at,
        ends_at=ends_at,
        places=places,
    )


def duty_set_places(*, period: WorkPeriod, places: int) -> WorkPeriod:
    """Change how many people a duty needs; never below the places already taken (one
    conditional UPDATE: a sign-up at the same instant cannot slip under it)."""
    _check_places(places)
    if period.is_cancelled:
        raise errors.PeriodCancelled()
    changed = WorkPeriod.objects.filter(pk=period.pk, taken__lte=places).update(
        places=places, updated_at=timezone.now()
    )
    period.refresh_from_db(fields=["places", "taken"])
    if not changed:
        raise errors.PlacesBelowTaken(field="places", taken=period.taken)
    return period


@transaction.atomic
def duty_cancel(*, period: WorkPeriod, now: datetime | None = None) -> WorkPeriod:
    """Cancel a duty: nobody can sign up any more, the people on it are withdrawn and each
    is told by e-mail (once: one outbox row per duty and person)."""
    now = now or timezone.now()
    cancelled = WorkPeriod.objects.filter(pk=period.pk, is_cancelled=False).update(
        is_cancelled=True, taken=0, updated_at=now
    )
    if not cancelled:
        raise errors.PeriodCancelled()
    holding = Signup.objects.holding().filter(period_id=period.pk)
    people = list(holding.order_by("pk").values_list("membership_id", "membership__user__email"))
    holding.update(state=Signup.State.WITHDRAWN, updated_at=now)
    for membership_id, email in people:
        if email:
            outbox_message_record(
                key=f"work:duty-cancelled:{period.pk}:{membership_id}",
                to=email,
                organisation_id=period.organisation_id,
                renderer=DUTY_EMAIL_RENDERER,
                params={
                    "period_id": period.pk,
                    "membership_id": membership_id,
                    "event": "cancelled",
                },
            )
    period.refresh_from_db(fields=["is_cancelled", "taken", "updated_at"])
    return period


def duties_generate_for_pickups(*, pickup_ids: list[int]) -> int:
    """The duties of new pickups (the work task enqueued when sales creates pickups);
    idempotent, and a pickup deleted since is skipped. Returns how many duties were made."""
    pickups = Pickup.objects.filter(pk__in=pickup_ids).select_related("organisation")
    made = 0
    for pickup in pickups.order_by("pk"):
        made += len(duties_generate_for_pickup(pickup=pickup))
    return made


__all__ = [
    "duties_generate_for_pickups",
    "duty_add",
    "duty_cancel",
    "duty_set_places",
    "duty_template_save",
    "duty_template_set_active",
    "task_type_delete",
    "task_type_save",
    "work_settings_save",
]
