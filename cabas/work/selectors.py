"""Reads of the work app: settings, the shift status, who may sign up."""

from __future__ import annotations

import enum
from datetime import date, timedelta

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from cabas.orgs.models import Membership, Organisation

from .models import DutyAudience, Exemption, ShiftMember, Signup, WorkPeriod, WorkSettings


def work_settings_of(organisation: Organisation) -> WorkSettings:
    """The organisation's settings (the defaults, unsaved, when it has none yet)."""
    found = WorkSettings.objects.filter(organisation=organisation).first()
    return found or WorkSettings(organisation=organisation)


class ShiftStatus(enum.StrEnum):
    UP_TO_DATE = "up_to_date"
    ALERT = "alert"
    SUSPENDED = "suspended"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self])


_STATUS_LABELS = {
    ShiftStatus.UP_TO_DATE: _("up to date"),
    ShiftStatus.ALERT: _("alert: a make-up to do"),
    ShiftStatus.SUSPENDED: _("suspended"),
}


def shift_status(shift_member: ShiftMember, settings: WorkSettings, today: date) -> ShiftStatus:
    """Up to date at zero or above; in alert below zero; suspended at or below the
    suspension threshold, or when the counter stayed below zero longer than the alert
    period. The one copy of the rule (pages, reports, the drive's check)."""
    counter = shift_member.counter
    if counter >= 0:
        return ShiftStatus.UP_TO_DATE
    if counter <= settings.suspended_at:
        return ShiftStatus.SUSPENDED
    since = shift_member.negative_since
    if since is not None and today > since + timedelta(days=settings.alert_days):
        return ShiftStatus.SUSPENDED
    return ShiftStatus.ALERT


def shift_status_filter(status: ShiftStatus, settings: WorkSettings, today: date) -> Q:
    """``shift_status`` as a filter on ShiftMember rows (the same rule, for lists and
    audiences: up to date, alert, suspended)."""
    late = Q(negative_since__lt=today - timedelta(days=settings.alert_days))
    suspended = Q(counter__lte=settings.suspended_at) | (Q(counter__lt=0) & late)
    if status == ShiftStatus.UP_TO_DATE:
        return Q(counter__gte=0)
    if status == ShiftStatus.SUSPENDED:
        return suspended
    return Q(counter__lt=0) & ~suspended


def may_sign_up_for_duties(membership: Membership, settings: WorkSettings) -> bool:
    """Volunteers and coordinators, or every active member when the organisation opens its
    duties to all."""
    if not membership.is_active:
        return False
    if settings.duties_open_to == DutyAudience.MEMBERS:
        return True
    return membership.is_volunteer or membership.is_coordinator


def duty_audience(organisation: Organisation, settings: WorkSettings):
    """The members who may take the organisation's duties: ``may_sign_up_for_duties`` as a
    query (the same rule, for lists: the gaps' "Affecter" and appeals)."""
    members = Membership.objects.filter(organisation=organisation).active()
    if settings.duties_open_to == DutyAudience.MEMBERS:
        return members
    return members.filter(Q(is_volunteer=True) | Q(is_coordinator=True))


def exempt_between(membership_id: int, first: date, last: date) -> bool:
    """Is the member exempted on any day from ``first`` to ``last`` (inclusive)?"""
    return Exemption.objects.filter(
        membership_id=membership_id, starts_on__lte=last, ends_on__gte=first
    ).exists()


def with_people(to_attr: str = "people") -> Prefetch:
    """The one prefetch of "a period with its people": its sign-ups holding a place, with
    the person and their substitute, in sign-up order, on ``period.<to_attr>``."""
    return Prefetch(
        "signups",
        queryset=Signup.objects.holding()
        .select_related("membership__user", "substitute__user")
        .order_by("created_at", "pk"),
        to_attr=to_attr,
    )


def pickup_duties(*, pickup) -> list[WorkPeriod]:
    """The pickup's duties (not cancelled) for its check-in page, each with ``holders``: its
    sign-ups holding a place, with the person and the substitute. Two queries."""
    return list(
        WorkPeriod.objects.duties()
        .filter(pickup=pickup, is_cancelled=False)
        .select_related("task_type")
        .prefetch_related(with_people("holders"))
        .order_by("starts_at", "pk")
    )


def substitutes_for(*, organisation: Organisation):
    """Who may be recorded as having replaced someone on a duty on the day: the people who
    may take its duties (``duty_audience``: the volunteers and coordinators, or every member
    when the duties are open to all). A short list on a phone, not the whole membership; a
    member who helped without the role gets it from a coordinator first."""
    return (
        duty_audience(organisation, work_settings_of(organisation))
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )


__all__ = [
    "ShiftStatus",
    "duty_audience",
    "pickup_duties",
    "substitutes_for",
    "exempt_between",
    "may_sign_up_for_duties",
    "shift_status",
    "work_settings_of",
]
