"""The coordinators' reports on duties and shifts over a period: duties filled per pickup
point, what each person did (for thanks, and for reports), the shifts' attendance, the
members in alert or suspended, and the défraiements.

Every figure is a database aggregate (``values().annotate()``): a fixed number of queries
whatever the length of the period or the number of sign-ups. A period is from ``start`` to
``end`` inclusive, whole days in the organisation's time zone, and takes the duties and
shifts that start in it (not the cancelled ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum

from cabas.accounts.models import person_name
from cabas.core.money import ZERO, money_sum
from cabas.orgs.models import Membership, Organisation
from cabas.sales.models import Sale

from . import selectors
from .models import DutyCompensation, ShiftMember, Signup, WorkPeriod

Attendance = Signup.Attendance
HOUR = Decimal("0.01")


def period_bounds(organisation: Organisation, start: date, end: date) -> tuple[datetime, datetime]:
    """From ``start`` at midnight to the midnight after ``end``, in the organisation's time."""
    tz = organisation.tzinfo
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def _periods_in(organisation: Organisation, start: date, end: date, prefix: str = "") -> Q:
    first, after = period_bounds(organisation, start, end)
    return Q(
        **{
            f"{prefix}organisation": organisation,
            f"{prefix}starts_at__gte": first,
            f"{prefix}starts_at__lt": after,
            f"{prefix}is_cancelled": False,
        }
    )


def _hours(duration: timedelta | None) -> Decimal:
    if not duration:
        return Decimal("0.00")
    return (Decimal(duration.total_seconds()) / 3600).quantize(HOUR)


# --- Duties filled per pickup point ------------------------------------------------------------


@dataclass(frozen=True)
class PointDuties:
    point_name: str
    duties: int
    unfilled: int
    places: int
    taken: int

    @property
    def missing(self) -> int:
        return self.places - self.taken


def duties_by_point(*, organisation: Organisation, start: date, end: date) -> list[PointDuties]:
    """Per pickup point: the duties of the period, how many lacked people, the places and
    the places taken. One query."""
    rows = (
        WorkPeriod.objects.duties()
        .filter(_periods_in(organisation, start, end))
        .values("pickup__pickup_point_id", "pickup__pickup_point__name")
        .annotate(
            duties=Count("pk"),
            unfilled=Count("pk", filter=Q(taken__lt=F("places"))),
            places_sum=Sum("places"),
            taken_sum=Sum("taken"),
        )
        .order_by("pickup__pickup_point__name", "pickup__pickup_point_id")
    )
    return [
        PointDuties(
            point_name=row["pickup__pickup_point__name"],
            duties=row["duties"],
            unfilled=row["unfilled"],
            places=row["places_sum"],
            taken=row["taken_sum"],
        )
        for row in rows
    ]


# --- What each person did ----------------------------------------------------------------------


@dataclass
class PersonHistory:
    membership_id: int
    name: str
    done: int = 0  # present, or came in someone's place
    excused: int = 0
    absent: int = 0
    hours: Decimal = field(default_factory=lambda: Decimal("0.00"))


_DURATION = ExpressionWrapper(
    F("period__ends_at") - F("period__starts_at"), output_field=DurationField()
)
_NAME = ("{}__user__first_name", "{}__user__last_name", "{}__user__email")


def _names(relation: str) -> list[str]:
    return [part.format(relation) for part in _NAME]


def people_history(*, organisation: Organisation, start: date, end: date) -> list[PersonHistory]:
    """Per person, over the period's duties and shifts: the times they worked (present, or
    in someone's place on the day), their absences (excused, without notice) and the hours
    they worked. Two queries (the people on their own places, the substitutes)."""
    signups = Signup.objects.holding().filter(_periods_in(organisation, start, end, "period__"))
    present = Q(attendance=Attendance.PRESENT)
    own = (
        signups.values("membership_id", *_names("membership"))
        .annotate(
            done=Count("pk", filter=present),
            excused=Count("pk", filter=Q(attendance=Attendance.EXCUSED)),
            absent=Count("pk", filter=Q(attendance=Attendance.ABSENT)),
            duration=Sum(_DURATION, filter=present),
        )
        .order_by()
    )
    instead = (
        signups.filter(attendance=Attendance.REPLACED)
        .values("substitute_id", *_names("substitute"))
        .annotate(done=Count("pk"), duration=Sum(_DURATION))
        .order_by()
    )
    people: dict[int, PersonHistory] = {}
    for relation, rows in (("membership", own), ("substitute", instead)):
        for row in rows:
            key = row[f"{relation}_id"]
            person = people.setdefault(
                key, PersonHistory(key, person_name(*(row[n] for n in _names(relation))))
            )
            person.done += row["done"]
            person.excused += row.get("excused", 0)
            person.absent += row.get("absent", 0)
            person.hours += _hours(row["duration"])
    return sorted(people.values(), key=lambda p: (-p.hours, p.name.casefold(), p.membership_id))


# --- Shifts: attendance and members' status ----------------------------------------------------


@dataclass(frozen=True)
class ShiftAttendance:
    recorded: int
    present: int
    excused: int
    absent: int

    @property
    def rate(self) -> Decimal | None:
        """The share of recorded shifts that were done (in person or by a substitute), %."""
        if not self.recorded:
            return None
        return (Decimal(100) * self.present / self.recorded).quantize(Decimal("0.1"))


def shift_attendance(*, organisation: Organisation, start: date, end: date) -> ShiftAttendance:
    """The period's shift sign-ups with a recorded attendance, and how they went. One query."""
    totals = (
        Signup.objects.holding()
        .filter(_periods_in(organisation, start, end, "period__"), period__kind="shift")
        .aggregate(
            recorded=Count("pk", filter=~Q(attendance=Attendance.UNKNOWN)),
            present=Count("pk", filter=Q(attendance__in=(Attendance.PRESENT, Attendance.REPLACED))),
            excused=Count("pk", filter=Q(attendance=Attendance.EXCUSED)),
            absent=Count("pk", filter=Q(attendance=Attendance.ABSENT)),
        )
    )
    return ShiftAttendance(**totals)


@dataclass(frozen=True)
class MemberStatus:
    name: str
    counter: int
    status: selectors.ShiftStatus
    negative_since: date | None


def members_not_up_to_date(*, organisation: Organisation, today: date) -> list[MemberStatus]:
    """The active members on shifts in alert or suspended today (``selectors.shift_status``;
    a counter at zero or above is up to date, so only the others are read). Two queries."""
    settings = selectors.work_settings_of(organisation)
    members = (
        ShiftMember.objects.filter(
            organisation=organisation,
            counter__lt=0,
            membership__status=Membership.Status.ACTIVE,
        )
        .select_related("membership__user")
        .order_by("counter", "membership__user__last_name", "pk")
    )
    return [
        MemberStatus(
            name=person_name(
                member.membership.user.first_name,
                member.membership.user.last_name,
                member.membership.user.email,
            ),
            counter=member.counter,
            status=selectors.shift_status(member, settings, today),
            negative_since=member.negative_since,
        )
        for member in members
    ]


# --- Défraiements -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompensationRow:
    membership_id: int
    name: str
    producer_id: int | None
    producer_name: str
    pickups: int
    hours: Decimal
    amount: Decimal


def _compensation_rows(queryset) -> list[CompensationRow]:
    rows = (
        queryset.values("membership_id", *_names("membership"), "producer_id", "producer__name")
        .annotate(
            pickups=Count("pickup_id", distinct=True),
            hours_sum=money_sum(Sum("hours")),
            amount_sum=money_sum(Sum("amount")),
        )
        .order_by("producer__name", "membership__user__last_name", "membership_id")
    )
    return [
        CompensationRow(
            membership_id=row["membership_id"],
            name=person_name(*(row[n] for n in _names("membership"))),
            producer_id=row["producer_id"],
            producer_name=row["producer__name"] or "",
            pickups=row["pickups"],
            hours=row["hours_sum"],
            amount=row["amount_sum"],
        )
        for row in rows
    ]


def compensations_by_person(
    *, organisation: Organisation, start: date, end: date
) -> list[CompensationRow]:
    """The défraiements of the pickups of the period, per person (and their producer). One
    query."""
    first, after = period_bounds(organisation, start, end)
    return _compensation_rows(
        DutyCompensation.objects.filter(
            organisation=organisation, pickup__starts_at__gte=first, pickup__starts_at__lt=after
        )
    )


def sale_compensations(*, sale: Sale) -> list[CompensationRow]:
    """The défraiements of a sale's pickups, per person. One query."""
    return _compensation_rows(DutyCompensation.objects.filter(sale=sale))


def total(values) -> Decimal:
    return sum(values, ZERO)
