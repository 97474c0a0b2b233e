"""Reads of a member's duty pages: the coming duties by day and pickup, with who is on them
and what this person may do there; their own duties; the few lines of their home page.

Each read is a constant number of queries, whatever the number of duties or people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.orgs.models import Membership, Organisation

from . import selectors
from .models import Signup, WorkPeriod, WorkSettings
from .services import withdraw_deadline

# How far ahead the duties page looks by default, and at most.
WEEKS_AHEAD = 6
WEEKS_AHEAD_MAX = 26
# How far ahead the home page counts the duties still looking for someone.
HOME_GAPS_AHEAD = timedelta(weeks=2)


def short_name(user) -> str:
    """What other members read of a person: "Léa M." (never their e-mail address)."""
    first, last = user.first_name.strip(), user.last_name.strip()
    if first and last:
        return f"{first} {last[0]}."
    return first or last or _("a member")


@dataclass
class DutyRow:
    period: WorkPeriod
    mine: Signup | None  # this person's sign-up holding a place, if any
    others: list[Signup]  # the other people holding a place, in sign-up order
    deadline: datetime | None  # until when this person may still withdraw (their sign-up)
    may_withdraw: bool = False
    may_sign_up: bool = False  # may this person take places of duties

    @property
    def remaining(self) -> int:
        return self.period.remaining

    @property
    def offered(self) -> list[Signup]:
        """Places others offer for replacement."""
        return [s for s in self.others if s.state == Signup.State.REPLACEMENT_WANTED]


@dataclass
class DutyPickup:
    pickup: object
    rows: list[DutyRow] = field(default_factory=list)


@dataclass
class DutyDay:
    day: date
    pickups: list[DutyPickup] = field(default_factory=list)


@dataclass
class DutyBoard:
    days: list[DutyDay]
    may_sign_up: bool
    settings: WorkSettings
    count: int


def coming_duties(*, organisation: Organisation, now: datetime, until: datetime | None = None):
    """Duties not cancelled, starting after ``now`` (and before ``until``), in time order,
    with their task, pickup and point."""
    duties = WorkPeriod.objects.duties().filter(
        organisation=organisation, is_cancelled=False, starts_at__gt=now
    )
    if until is not None:
        duties = duties.filter(starts_at__lt=until)
    return duties.select_related("task_type", "pickup__pickup_point").order_by(
        "starts_at", "pickup__pickup_point__name", "task_type__name", "pk"
    )


def _row(period: WorkPeriod, membership: Membership, settings: WorkSettings, now) -> DutyRow:
    for signup in period.holding:
        # Names are shared among the organisation's members only: not someone who left it.
        active = signup.membership.is_active
        signup.name = short_name(signup.membership.user) if active else _("a member")
    mine = next((s for s in period.holding if s.membership_id == membership.pk), None)
    others = [s for s in period.holding if s.membership_id != membership.pk]
    deadline = withdraw_deadline(mine, settings=settings) if mine else None
    return DutyRow(
        period=period,
        mine=mine,
        others=others,
        deadline=deadline,
        may_withdraw=deadline is not None and now <= deadline,
        may_sign_up=selectors.may_sign_up_for_duties(membership, settings),
    )


def duty_board(
    *, organisation: Organisation, membership: Membership, now: datetime, weeks: int = WEEKS_AHEAD
) -> DutyBoard:
    """The coming ``weeks`` of duties grouped by day (in the organisation's time zone) then
    pickup; three queries (the settings, the duties, the people on them)."""
    settings = selectors.work_settings_of(organisation)
    periods = coming_duties(
        organisation=organisation, now=now, until=now + timedelta(weeks=weeks)
    ).prefetch_related(selectors.with_people("holding"))
    days: list[DutyDay] = []
    by_pickup: dict[tuple[date, int], DutyPickup] = {}
    count = 0
    for period in periods:
        day = timezone.localtime(period.starts_at, organisation.tzinfo).date()
        if not days or days[-1].day != day:
            days.append(DutyDay(day))
        group = by_pickup.get((day, period.pickup_id))
        if group is None:
            group = by_pickup[(day, period.pickup_id)] = DutyPickup(period.pickup)
            days[-1].pickups.append(group)
        group.rows.append(_row(period, membership, settings, now))
        count += 1
    return DutyBoard(
        days=days,
        may_sign_up=selectors.may_sign_up_for_duties(membership, settings),
        settings=settings,
        count=count,
    )


def duty_row(*, period: WorkPeriod, membership: Membership, now: datetime) -> DutyRow:
    """One duty as the board shows it (after a change made in place)."""
    period = (
        WorkPeriod.objects.select_related("task_type", "pickup__pickup_point")
        .prefetch_related(selectors.with_people("holding"))
        .get(pk=period.pk)
    )
    settings = selectors.work_settings_of(period.organisation)
    return _row(period, membership, settings, now)


@dataclass
class MyDuties:
    upcoming: list[DutyRow]
    offered: list[DutyRow]  # others' places looking for a replacement this person may take
    done: int  # duties done (present, or came instead of someone on the day)
    may_sign_up: bool


def duties_done(*, membership: Membership) -> int:
    """How many duties the person did (for thanks): present on their sign-up, or came on
    the day in someone's place."""
    return Signup.objects.filter(
        Q(membership=membership, attendance=Signup.Attendance.PRESENT)
        | Q(substitute=membership, attendance=Signup.Attendance.REPLACED),
        organisation_id=membership.organisation_id,
        period__kind=WorkPeriod.Kind.DUTY,
    ).count()


def my_duties(*, membership: Membership, now: datetime) -> MyDuties:
    """The person's coming duties (with their replacement requests), the places others
    offer that they may take, and how many duties they did; five queries."""
    organisation = membership.organisation
    settings = selectors.work_settings_of(organisation)
    may_sign_up = selectors.may_sign_up_for_duties(membership, settings)
    mine_or_offered = Q(signups__membership=membership, signups__state__in=Signup.HOLDING)
    if may_sign_up:
        mine_or_offered |= Q(signups__state=Signup.State.REPLACEMENT_WANTED)
    periods = (
        coming_duties(organisation=organisation, now=now)
        .filter(pk__in=WorkPeriod.objects.filter(mine_or_offered).values("pk"))
        .prefetch_related(selectors.with_people("holding"))
    )
    upcoming, offered = [], []
    for period in periods:
        row = _row(period, membership, settings, now)
        if row.mine is not None:
            upcoming.append(row)
        elif row.offered:
            offered.append(row)
    return MyDuties(
        upcoming=upcoming,
        offered=offered,
        done=duties_done(membership=membership),
        may_sign_up=may_sign_up,
    )


@dataclass
class HomeDuties:
    next: list[Signup]  # the person's next duties (at most three)
    gaps: int  # duties of the next two weeks still looking for someone, when they may help


def home_duties(*, membership: Membership, now: datetime) -> HomeDuties:
    """The member home's block: three queries (the next duties, the settings, the gaps)."""
    organisation = membership.organisation
    next_duties = list(
        Signup.objects.holding()
        .filter(
            membership=membership,
            period__kind=WorkPeriod.Kind.DUTY,
            period__is_cancelled=False,
            period__starts_at__gt=now,
        )
        .select_related("period__task_type", "period__pickup__pickup_point")
        .order_by("period__starts_at", "period__pk")[:3]
    )
    settings = selectors.work_settings_of(organisation)
    gaps = 0
    if selectors.may_sign_up_for_duties(membership, settings):
        gaps = (
            coming_duties(organisation=organisation, now=now, until=now + HOME_GAPS_AHEAD)
            .unfilled()
            .exclude(pk__in=Signup.objects.holding().filter(membership=membership).values("period"))
            .count()
        )
    return HomeDuties(next=next_duties, gaps=gaps)
