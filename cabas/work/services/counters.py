"""The coop's shift counters: who is on shifts (regular or flying), exemptions, the points
of each attendance, the cycle's due, and a coordinator's corrections.

The counter is the sum of a member's entries (``CounterEntry``: every change with who and
why), kept on ``ShiftMember.counter`` with ``F()`` in the transaction that writes the entry.

How a cycle adds up (the settings' defaults in brackets):

- each shift done: +``points_done`` [+1], to the person who actually worked;
- when a cycle ends, its shift is due: −1 (no due for a cycle the member was exempted in,
  nor for the cycle in which they joined the shifts);
- so a cycle with its shift done ends at 0; a shift missed *with notice* leaves the due
  unpaid: the cycle ends at −``points_missed`` [−1], a make-up to do; a shift missed
  *without notice* ends it at −``points_unexcused`` [−2]. (A missed shift writes its
  entry for the points beyond the unpaid due, none with the defaults when excused.)

The status (up to date, alert, suspended) is read from the counter and the date it went
below zero (``selectors.shift_status``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cabas.orgs.models import Membership, Organisation

from .. import errors, selectors
from ..models import CounterEntry, Exemption, ShiftMember, ShiftTemplate, Signup

Reason = CounterEntry.Reason


def counter_entry_add(
    *,
    membership_id: int,
    organisation_id: int,
    delta: int,
    reason: str,
    by=None,
    signup: Signup | None = None,
    cycle_start: date | None = None,
    note: str = "",
    now: datetime | None = None,
) -> CounterEntry | None:
    """The one writer of a counter: the entry, then the stored counter and the date it went
    below zero. A member not on shifts has no counter (returns None)."""
    now = now or timezone.now()
    member = ShiftMember.objects.filter(membership_id=membership_id).first()
    if member is None:
        return None
    entry = CounterEntry.objects.create(
        organisation_id=organisation_id,
        membership_id=membership_id,
        delta=delta,
        reason=reason,
        signup=signup,
        cycle_start=cycle_start,
        note=note[:200],
        recorded_by=by,
        created_at=now,
    )
    ShiftMember.objects.filter(pk=member.pk).update(counter=F("counter") + delta)
    member.refresh_from_db(fields=["counter", "negative_since"])
    today = timezone.localtime(now, member.organisation.tzinfo).date()
    if member.counter < 0 and member.negative_since is None:
        ShiftMember.objects.filter(pk=member.pk).update(negative_since=today)
    elif member.counter >= 0 and member.negative_since is not None:
        ShiftMember.objects.filter(pk=member.pk).update(negative_since=None)
    return entry


def attendance_points(signup: Signup) -> list[tuple[int, int, str]]:
    """(membership, points, reason) for a recorded attendance on a shift."""
    settings = selectors.work_settings_of(signup.period.organisation)
    attendance = signup.attendance
    if attendance == Signup.Attendance.PRESENT:
        return [(signup.membership_id, settings.points_done, Reason.DONE)]
    if attendance == Signup.Attendance.REPLACED:
        return [(signup.substitute_id, settings.points_done, Reason.DONE)]
    if attendance == Signup.Attendance.EXCUSED:
        # The cycle's due stays unpaid: that is the make-up to do.
        penalty = settings.points_missed - 1
        return [(signup.membership_id, -penalty, Reason.MISSED)] if penalty else []
    if attendance == Signup.Attendance.ABSENT:
        penalty = settings.points_unexcused - 1
        return [(signup.membership_id, -penalty, Reason.UNEXCUSED)] if penalty else []
    return []


@transaction.atomic
def counter_correct(
    *, membership: Membership, delta: int, note: str, by, now: datetime | None = None
) -> CounterEntry:
    """A coordinator's correction of a counter, with the reason written."""
    if not note.strip():
        raise errors.CorrectionNeedsNote()
    entry = counter_entry_add(
        membership_id=membership.pk,
        organisation_id=membership.organisation_id,
        delta=delta,
        reason=Reason.CORRECTION,
        note=note.strip(),
        by=by,
        now=now,
    )
    if entry is None:
        raise errors.NotOnShifts()
    return entry


@transaction.atomic
def shift_member_set(
    *,
    membership: Membership,
    regime: str,
    template: ShiftTemplate | None = None,
    starts_on: date | None = None,
    now: datetime | None = None,
) -> ShiftMember:
    """Put a member on the shifts (or change them): regular on ``template``, or flying."""
    now = now or timezone.now()
    if regime == ShiftMember.Regime.FLYING:
        template = None
    member, _created = ShiftMember.objects.update_or_create(
        membership=membership,
        defaults={
            "organisation_id": membership.organisation_id,
            "regime": regime,
            "template": template,
        },
        create_defaults={
            "organisation_id": membership.organisation_id,
            "regime": regime,
            "template": template,
            "starts_on": starts_on
            or timezone.localtime(now, membership.organisation.tzinfo).date(),
        },
    )
    member.full_clean()
    return member


def exemption_add(
    *, membership: Membership, starts_on: date, ends_on: date, reason: str = "", by=None
) -> Exemption:
    """Dates a member owes no shift (holidays, illness…)."""
    exemption = Exemption(
        organisation_id=membership.organisation_id,
        membership=membership,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        recorded_by=by,
    )
    exemption.full_clean()
    exemption.save()
    return exemption


def cycles_close(*, organisation: Organisation, now: datetime) -> int:
    """Debit the shift due for each cycle that has ended, once per member and cycle (the
    unique due per cycle makes a retried sweep harmless); no due for a cycle the member
    was exempted in, or that ended before they were on shifts. Returns how many dues."""
    settings = selectors.work_settings_of(organisation)
    today = timezone.localtime(now, organisation.tzinfo).date()
    length = timedelta(weeks=settings.cycle_weeks)
    current = settings.cycle_start(today)
    debited = 0
    members = ShiftMember.objects.filter(organisation=organisation, membership__status="active")
    for member in members.order_by("pk"):
        last_due = (
            CounterEntry.objects.filter(membership_id=member.membership_id, reason=Reason.DUE)
            .order_by("-cycle_start")
            .values_list("cycle_start", flat=True)
            .first()
        )
        # The cycle in which the member joined is free: dues start with the next one.
        cycle = settings.cycle_start(member.starts_on)
        if cycle < member.starts_on:
            cycle += length
        if last_due is not None:
            cycle = max(cycle, last_due + length)
        while cycle + length <= current:
            end = cycle + length - timedelta(days=1)
            if cycle >= member.starts_on and not selectors.exempt_between(
                member.membership_id, cycle, end
            ):
                debited += _due_debit(member, cycle, now)
            cycle += length
    return debited


def _due_debit(member: ShiftMember, cycle: date, now: datetime) -> int:
    try:
        with transaction.atomic():
            counter_entry_add(
                membership_id=member.membership_id,
                organisation_id=member.organisation_id,
                delta=-1,
                reason=Reason.DUE,
                cycle_start=cycle,
                now=now,
            )
    except IntegrityError:
        return 0
    return 1
