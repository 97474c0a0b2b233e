"""Reads of a coordinator's duty pages: task types, templates, one pickup's duties, the gaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from cabas.orgs.models import Membership, Organisation
from cabas.sales.models import Pickup

from . import selectors
from .models import DutyTemplate, Signup, TaskType, WorkPeriod


def task_types(organisation: Organisation) -> QuerySet[TaskType]:
    return TaskType.objects.filter(organisation=organisation).order_by("name", "pk")


def duty_templates(organisation: Organisation) -> QuerySet[DutyTemplate]:
    """The templates, those of every point first, then by point and hours."""
    return (
        DutyTemplate.objects.filter(organisation=organisation)
        .select_related("task_type", "pickup_point")
        .order_by("pickup_point__name", "pickup_point", "start_time", "pk")
    )


def _with_people(periods: QuerySet[WorkPeriod]) -> QuerySet[WorkPeriod]:
    return periods.select_related("task_type").prefetch_related(selectors.with_people())


def pickup_duties(pickup: Pickup) -> QuerySet[WorkPeriod]:
    """A pickup's duties (cancelled ones too, marked), each with ``people`` on it."""
    return _with_people(WorkPeriod.objects.duties().filter(pickup=pickup)).order_by(
        "starts_at", "task_type__name", "pk"
    )


@dataclass
class Gap:
    period: WorkPeriod
    missing: int
    candidates: list[Membership]  # who may be assigned: allowed, not on it yet
    reachable: int  # how many of them an appeal reaches (they have an e-mail address)


def duty_gaps(organisation: Organisation, now: datetime) -> list[Gap]:
    """The coming duties with places left, soonest first, each with the members who could
    fill it. Three queries whatever the number of gaps."""
    periods = list(
        _with_people(
            WorkPeriod.objects.duties()
            .filter(organisation=organisation)
            .upcoming(now)
            .unfilled()
            .filter(starts_at__gt=now)
        )
        .select_related("pickup__pickup_point")
        .order_by("starts_at", "pk")
    )
    audience = list(_audience(organisation)) if periods else []
    gaps = []
    for period in periods:
        on_it = {signup.membership_id for signup in period.people}
        candidates = [member for member in audience if member.pk not in on_it]
        gaps.append(
            Gap(
                period=period,
                missing=period.remaining,
                candidates=candidates,
                reachable=sum(1 for member in candidates if member.user.email),
            )
        )
    return gaps


def _audience(organisation: Organisation) -> QuerySet[Membership]:
    settings = selectors.work_settings_of(organisation)
    return (
        selectors.duty_audience(organisation, settings)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email", "pk")
    )


def assign_candidates(period: WorkPeriod) -> QuerySet[Membership]:
    """Who a coordinator may put on ``period``: allowed to take duties, not on it yet."""
    on_it = Signup.objects.holding().filter(period=period).values("membership_id")
    return _audience(period.organisation).exclude(pk__in=on_it)


def appeal_recipients(period: WorkPeriod) -> QuerySet[Membership]:
    """Who an appeal for ``period`` goes to: the candidates with an e-mail address."""
    return assign_candidates(period).exclude(user__email="")
