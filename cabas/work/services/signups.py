"""Taking and leaving places: sign up (or be assigned), withdraw in time, ask for a
replacement, take someone's place (a swap), and record who came.

The places are the period's ``taken`` counter, changed only by conditional UPDATEs
(``taken < places``) in the transaction that writes the sign-up: the last place of a duty
goes to exactly one person however many tap at once (raced in tests/test_races.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from cabas.orgs.models import Membership

from .. import errors, selectors, selectors_shifts
from ..lock_objects import signup_lock
from ..models import CounterEntry, ShiftMember, Signup, WorkPeriod, WorkSettings
from .counters import attendance_points, counter_entry_add

State = Signup.State
Attendance = Signup.Attendance


def _place_take(period: WorkPeriod) -> None:
    # Not cancelled, in the same conditional UPDATE: a duty cancelled after the caller read
    # it (``_check_open``) takes nobody.
    taken = WorkPeriod.objects.filter(
        pk=period.pk, taken__lt=F("places"), is_cancelled=False
    ).update(taken=F("taken") + 1)
    if not taken:
        if WorkPeriod.objects.filter(pk=period.pk, is_cancelled=True).exists():
            raise errors.PeriodCancelled()
        raise errors.PeriodFull()


def _place_free(period: WorkPeriod) -> None:
    WorkPeriod.objects.filter(pk=period.pk, taken__gt=0).update(taken=F("taken") - 1)


def _check_open(period: WorkPeriod, now: datetime) -> None:
    if period.is_cancelled:
        raise errors.PeriodCancelled()
    if period.starts_at <= now:
        raise errors.PeriodStarted()


def _check_may_sign_up(period: WorkPeriod, membership: Membership) -> None:
    """Duties: the organisation's audience. Shifts: registered members; one shift per
    cycle, more while a make-up is owed (counter below zero)."""
    settings = selectors.work_settings_of(period.organisation)
    if period.kind == WorkPeriod.Kind.DUTY:
        if not selectors.may_sign_up_for_duties(membership, settings):
            raise errors.NotAllowedToSignUp()
        return
    shift_member = ShiftMember.objects.filter(membership=membership).first()
    if shift_member is None or not membership.is_active:
        raise errors.NotOnShifts()
    if shift_member.counter < 0:
        return
    day = timezone.localtime(period.starts_at, period.organisation.tzinfo).date()
    served = selectors_shifts.cycles_served(membership=membership, settings=settings, since=day)
    if settings.cycle_start(day) in served:
        raise errors.ShiftAlreadyThisCycle()


def signup_create(
    *, period: WorkPeriod, membership: Membership, by=None, now: datetime | None = None
) -> Signup:
    """Sign ``membership`` up for ``period`` (``by``: the coordinator who assigns them, who
    may assign any active member). Refused when the period is full, started, cancelled, or
    the person is already on it or may not take it."""
    now = now or timezone.now()
    _check_open(period, now)
    if by is None:
        _check_may_sign_up(period, membership)
    elif not membership.is_active:
        raise errors.NotAllowedToSignUp()
    # A second tap on the last place says so, rather than "every place is taken" (the unique
    # constraint below still decides under a race).
    if Signup.objects.holding().filter(period=period, membership=membership).exists():
        raise errors.AlreadySignedUp()
    try:
        with transaction.atomic():
            _place_take(period)
            signup = Signup.objects.create(
                organisation_id=period.organisation_id,
                period=period,
                membership=membership,
                assigned_by=by,
            )
    except IntegrityError as error:
        raise errors.AlreadySignedUp() from error
    period.taken += 1
    return signup


def withdraw_deadline(signup: Signup, *, settings: WorkSettings | None = None) -> datetime:
    """Until when the person may withdraw (later, they ask for a replacement); ``settings``:
    the organisation's, when the caller already has them (a list of duties)."""
    settings = settings or selectors.work_settings_of(signup.period.organisation)
    return signup.period.starts_at - timedelta(hours=settings.withdraw_hours_before)


@transaction.atomic
def signup_withdraw(*, signup: Signup, now: datetime | None = None, by=None) -> Signup:
    """Leave a period and free the place, until the organisation's delay before it starts
    (a coordinator, ``by``, may withdraw anyone at any time before the start); later the
    person asks for a replacement instead."""
    now = now or timezone.now()
    signup = signup_lock(signup_id=signup.pk)
    if not signup.holds_place:
        raise errors.SignupNotHolding()
    _check_open(signup.period, now)
    if by is None and now > withdraw_deadline(signup):
        settings = selectors.work_settings_of(signup.period.organisation)
        raise errors.TooLateToWithdraw(hours=settings.withdraw_hours_before)
    signup.state = State.WITHDRAWN
    signup.save(update_fields=["state", "updated_at"])
    _place_free(signup.period)
    return signup


@transaction.atomic
def signup_ask_replacement(
    *, signup: Signup, wanted: bool = True, now: datetime | None = None
) -> Signup:
    """Offer one's place to others (``wanted``), or take the offer back. The person keeps
    the place, and the duty, until someone takes it."""
    now = now or timezone.now()
    signup = signup_lock(signup_id=signup.pk)
    if not signup.holds_place:
        raise errors.SignupNotHolding()
    _check_open(signup.period, now)
    signup.state = State.REPLACEMENT_WANTED if wanted else State.SIGNED
    signup.save(update_fields=["state", "updated_at"])
    return signup


def signup_take_over(
    *, signup: Signup, membership: Membership, now: datetime | None = None
) -> Signup:
    """Take the place someone offered: the offer becomes "replaced", the new person holds
    the place (the count of places does not change), and counters will follow them."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            offered = signup_lock(signup_id=signup.pk)
            if offered.state != State.REPLACEMENT_WANTED:
                raise errors.NoReplacementWanted()
            if offered.membership_id == membership.pk:
                raise errors.CannotReplaceYourself()
            _check_open(offered.period, now)
            _check_may_take_over(offered.period, membership)
            offered.state = State.HANDED_OVER
            offered.save(update_fields=["state", "updated_at"])
            taken = Signup.objects.create(
                organisation_id=offered.organisation_id,
                period=offered.period,
                membership=membership,
                replaces=offered,
            )
    except IntegrityError as error:
        raise errors.AlreadySignedUp() from error
    return taken


def _check_may_take_over(period: WorkPeriod, membership: Membership) -> None:
    settings = selectors.work_settings_of(period.organisation)
    if period.kind == WorkPeriod.Kind.DUTY:
        if not selectors.may_sign_up_for_duties(membership, settings):
            raise errors.NotAllowedToSignUp()
    elif not membership.is_active or not ShiftMember.objects.filter(membership=membership).exists():
        raise errors.NotOnShifts()


@transaction.atomic
def signup_attendance_record(
    *,
    signup: Signup,
    attendance: str,
    by,
    substitute: Membership | None = None,
    now: datetime | None = None,
) -> Signup:
    """Record whether the person came (present, excused, absent without notice, or replaced
    on the day by ``substitute``). For a shift the counters follow the person who worked;
    recording again with another value reverses the previous points first (logged as a
    correction), and the same value again changes nothing."""
    now = now or timezone.now()
    attendance = Attendance(attendance)
    if attendance == Attendance.REPLACED and substitute is None:
        raise errors.SubstituteMissing()
    if attendance == Attendance.REPLACED and (
        substitute.organisation_id != signup.organisation_id
        or substitute.pk == signup.membership_id
    ):
        raise errors.SubstituteInvalid()
    signup = signup_lock(signup_id=signup.pk)
    if not signup.holds_place:
        raise errors.SignupNotHolding()
    # A new replacement must be free to work: active, not on this shift. One recorded earlier
    # stays valid when the record is saved again (an old shift corrected after they left).
    if (
        attendance == Attendance.REPLACED
        and substitute.pk != signup.substitute_id
        and (
            substitute.status != Membership.Status.ACTIVE
            or Signup.objects.holding()
            .filter(period_id=signup.period_id, membership_id=substitute.pk)
            .exists()
        )
    ):
        raise errors.SubstituteUnavailable()
    substitute_id = substitute.pk if attendance == Attendance.REPLACED else None
    if signup.attendance == attendance and signup.substitute_id == substitute_id:
        return signup
    signup.attendance = attendance
    signup.substitute_id = substitute_id
    signup.attendance_by = by
    signup.attendance_at = now
    signup.save(
        update_fields=["attendance", "substitute", "attendance_by", "attendance_at", "updated_at"]
    )
    if signup.period.kind == signup.period.Kind.SHIFT:
        _attendance_points(signup, by=by, now=now)
    return signup


def _attendance_points(signup: Signup, *, by, now: datetime) -> None:
    """Reverse the points of the previous record of this sign-up, then give the new ones."""
    given = CounterEntry.objects.filter(signup=signup).values_list("membership_id", "delta")
    owed: dict[int, int] = {}
    for membership_id, delta in given:
        owed[membership_id] = owed.get(membership_id, 0) + delta
    for membership_id in sorted(owed):
        if owed[membership_id]:
            counter_entry_add(
                membership_id=membership_id,
                organisation_id=signup.organisation_id,
                delta=-owed[membership_id],
                reason="correction",
                signup=signup,
                note=gettext("attendance corrected"),
                by=by,
                now=now,
            )
    for membership_id, delta, reason in attendance_points(signup):
        counter_entry_add(
            membership_id=membership_id,
            organisation_id=signup.organisation_id,
            delta=delta,
            reason=reason,
            signup=signup,
            by=by,
            now=now,
        )
