"""Reads of the coop's shift pages: a member's "Mes services", the coordinators' lists of
members, dated shifts and counters, and whether the shift status stops a member ordering.

Every list here runs a fixed number of queries whatever its length (tested with N and M
rows); the status of each member is ``selectors.shift_status``, the one copy of the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cabas.orgs.models import Membership, Organisation
from cabas.orgs.selectors import member_search_q

from .models import CounterEntry, Exemption, ShiftMember, Signup, WorkPeriod, WorkSettings
from .selectors import ShiftStatus, shift_status, with_people, work_settings_of

# The statuses that stop a member ordering when the organisation asks for it
# (``WorkSettings.shift_status_required``). A member in alert still orders: the alert is the
# time given to do the make-up; once it has run out (or the counter fell to the threshold)
# the member is suspended, and the drive refuses their orders until they are up to date
# again or back in alert.
ORDERING_BLOCKED = frozenset({ShiftStatus.SUSPENDED})


# The statuses in words, for the pages and the drive's refusal.
STATUS_WORDS = {
    ShiftStatus.UP_TO_DATE: pgettext_lazy("shift status", "up to date"),
    ShiftStatus.ALERT: _("in alert: a make-up to do"),
    ShiftStatus.SUSPENDED: pgettext_lazy("shift status", "suspended"),
}


def today_of(organisation: Organisation, now: datetime) -> date:
    return timezone.localtime(now, organisation.tzinfo).date()


def status_of(shift_member: ShiftMember | None, settings: WorkSettings, today: date):
    return None if shift_member is None else shift_status(shift_member, settings, today)


def alert_ends_on(shift_member: ShiftMember, settings: WorkSettings) -> date | None:
    """The last day in alert before the suspension (None when the counter is not below 0)."""
    if shift_member.negative_since is None:
        return None
    return shift_member.negative_since + timedelta(days=settings.alert_days)


def ordering_blocked_status(*, organisation: Organisation, user, now: datetime):
    """The shift status that stops ``user`` ordering here, or None (rule off, not on the
    shifts, or not blocked). Used by ``cabas.orders.rules.member_check`` (web and API).
    When the organisation was read with its settings (``select_related("work_settings")``,
    as the API's shop reads and orders do), they are not read again."""
    if Organisation.work_settings.is_cached(organisation):
        settings = getattr(organisation, "work_settings", None)  # None: it has none
    else:
        settings = WorkSettings.objects.filter(organisation=organisation).first()
    if settings is None or not settings.shift_status_required or not user.is_authenticated:
        return None
    shift_member = ShiftMember.objects.filter(
        organisation=organisation, membership__user=user
    ).first()
    status = status_of(shift_member, settings, today_of(organisation, now))
    return status if status in ORDERING_BLOCKED else None


def _periods_with_people():
    return WorkPeriod.objects.shifts().select_related("task_type").prefetch_related(with_people())


def shifts_between(*, organisation: Organisation, first: datetime, last: datetime):
    """The dated shifts starting in [first, last), each with its people (``.people``)."""
    return list(
        _periods_with_people().filter(
            organisation=organisation, starts_at__gte=first, starts_at__lt=last
        )
    )


def shift_with_people(*, organisation: Organisation, pk: int) -> WorkPeriod | None:
    return _periods_with_people().filter(organisation=organisation, pk=pk).first()


def shift_members(*, organisation: Organisation, now: datetime) -> list[ShiftMember]:
    """Everyone on the shifts, each with ``.status`` (the one rule) for today."""
    settings = work_settings_of(organisation)
    today = today_of(organisation, now)
    members = list(
        ShiftMember.objects.filter(organisation=organisation)
        .select_related("membership__user", "template__task_type")
        .order_by("membership__user__last_name", "membership__user__first_name", "pk")
    )
    for member in members:
        member.status = shift_status(member, settings, today)
    return members


def members_not_on_shifts(*, organisation: Organisation, search: str = ""):
    """The active members not yet on the shifts, by name (those whose name or e-mail holds
    ``search`` when given)."""
    members = (
        Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE)
        .exclude(shift_member__isnull=False)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    return members.filter(member_search_q(search)) if search else members


def replacement_candidates(*, signup: Signup, search: str = ""):
    """Who may be recorded as having replaced ``signup``'s person on the day: the active
    members of its organisation not holding a place on its period, by name (those whose name
    or e-mail holds ``search`` when given). The page lists a search's few; whether one may
    is for ``signup_attendance_record`` to say."""
    on_it = Signup.objects.holding().filter(period_id=signup.period_id).values("membership_id")
    members = (
        Membership.objects.filter(
            organisation_id=signup.organisation_id, status=Membership.Status.ACTIVE
        )
        .exclude(pk__in=on_it)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    return members.filter(member_search_q(search)) if search else members


def counter_ledger(*, membership: Membership) -> list[CounterEntry]:
    return list(
        CounterEntry.objects.filter(membership=membership)
        .select_related("recorded_by", "signup__period__task_type")
        .order_by("-created_at", "-pk")
    )


def exemptions_of(*, membership: Membership) -> list[Exemption]:
    return list(Exemption.objects.filter(membership=membership).order_by("-starts_on", "-pk"))


def open_shifts(*, membership: Membership, now: datetime, limit: int = 60) -> list[WorkPeriod]:
    """Coming shifts with a place left that ``membership`` is not on, soonest first (whether
    the person may take one is for ``signup_create`` to say)."""
    mine = Signup.objects.holding().filter(membership=membership).values("period_id")
    return list(
        WorkPeriod.objects.shifts()
        .filter(
            organisation_id=membership.organisation_id,
            starts_at__gt=now,
            is_cancelled=False,
            taken__lt=F("places"),
        )
        .exclude(pk__in=mine)
        .select_related("task_type")
        .order_by("starts_at", "pk")[:limit]
    )


def cycles_served(*, membership: Membership, settings: WorkSettings, since: date) -> set[date]:
    """The first days of the cycles, from the one ``since`` falls in, in which ``membership``
    holds a shift: one shift per cycle is the rule while no make-up is owed (the service
    ``signup_create`` refuses a second; "Mes services" offers none)."""
    tz = membership.organisation.tzinfo
    first = settings.cycle_start(since)
    starts = Signup.objects.holding().filter(
        membership=membership,
        period__kind=WorkPeriod.Kind.SHIFT,
        period__starts_at__gte=datetime.combine(first, datetime.min.time(), tzinfo=tz),
    )
    return {
        settings.cycle_start(timezone.localtime(moment, tz).date())
        for moment in starts.values_list("period__starts_at", flat=True)
    }


def _mark_cycles_served(page: MyShifts, membership: Membership, today: date) -> None:
    """Each open shift says whether the member may take it (``cycle_served``: they already
    hold one in its cycle and owe no make-up), so the page offers no button that is refused."""
    # Read whatever the member's counter: the page's queries stay the same for every member.
    served = cycles_served(membership=membership, settings=page.settings, since=today)
    if page.shift_member.counter < 0:  # a make-up owed: a second shift in a cycle is welcome
        served = set()
    tz = membership.organisation.tzinfo
    for period in page.open_shifts:
        day = timezone.localtime(period.starts_at, tz).date()
        period.cycle_served = page.settings.cycle_start(day) in served


@dataclass
class MyShifts:
    """What "Mes services" shows one member."""

    settings: WorkSettings
    shift_member: ShiftMember | None
    status: ShiftStatus | None = None
    alert_ends_on: date | None = None
    mine: list[Signup] = field(default_factory=list)
    offers: list[Signup] = field(default_factory=list)
    open_shifts: list[WorkPeriod] = field(default_factory=list)
    exemptions: list[Exemption] = field(default_factory=list)


def my_shifts(*, membership: Membership, now: datetime) -> MyShifts:
    """A member's coming shifts, counter and status, exemptions, the shifts others offer
    and those with a place left."""
    organisation = membership.organisation
    settings = work_settings_of(organisation)
    shift_member = (
        ShiftMember.objects.filter(membership=membership).select_related("template").first()
    )
    page = MyShifts(settings=settings, shift_member=shift_member)
    if shift_member is None:
        return page
    today = today_of(organisation, now)
    page.status = shift_status(shift_member, settings, today)
    page.alert_ends_on = alert_ends_on(shift_member, settings)
    coming = Signup.objects.holding().filter(
        period__kind=WorkPeriod.Kind.SHIFT, period__ends_at__gt=now, period__is_cancelled=False
    )
    page.mine = list(
        coming.filter(membership=membership)
        .select_related("period__task_type")
        .order_by("period__starts_at", "pk")
    )
    mine_ids = [signup.period_id for signup in page.mine]
    page.offers = list(
        coming.filter(
            organisation=organisation,
            state=Signup.State.REPLACEMENT_WANTED,
            period__starts_at__gt=now,
        )
        .exclude(Q(membership=membership) | Q(period_id__in=mine_ids))
        .select_related("period__task_type", "membership__user")
        .order_by("period__starts_at", "pk")
    )
    page.open_shifts = open_shifts(membership=membership, now=now)
    _mark_cycles_served(page, membership, today)
    page.exemptions = list(
        Exemption.objects.filter(membership=membership, ends_on__gte=today).order_by("starts_on")
    )
    return page
