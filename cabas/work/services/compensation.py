"""Défraiement: what the people who held a pickup's duties are credited when it closes.

Who: the sign-ups holding a place on the pickup's duties (not cancelled), unless recorded
absent (excused or not); a place taken over on the day counts for the substitute. Among them
the producers (a producer membership linked to a producer), or everyone when the
organisation says so. How much: ``per_run``, the amount once per person and pickup;
``per_hour``, the amount × the person's hours of duty at the pickup (rounded half up to the
cent). One ``DutyCompensation`` per person and pickup (unique constraint): closing again,
or a retry, credits nothing twice. Attendance changed after the close changes nothing here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from cabas.core.money import round_money
from cabas.orgs.models import Membership
from cabas.sales.models import Pickup

from .. import selectors
from ..models import Compensation, CompensationFor, DutyCompensation, Signup, WorkPeriod

Attendance = Signup.Attendance


def _hours_by_worker(pickup: Pickup) -> dict[int, Decimal]:
    """Each person who held a duty of the pickup, with their hours there."""
    signups = (
        Signup.objects.holding()
        .filter(period__pickup=pickup, period__kind=WorkPeriod.Kind.DUTY)
        .filter(period__is_cancelled=False)
        .exclude(attendance__in=(Attendance.EXCUSED, Attendance.ABSENT))
        .select_related("period")
        .order_by("pk")
    )
    hours: dict[int, Decimal] = defaultdict(Decimal)
    for signup in signups:
        worker = signup.substitute_id if signup.attendance == Attendance.REPLACED else None
        hours[worker or signup.membership_id] += signup.period.hours
    return hours


def pickup_compensations_credit(*, pickup: Pickup, now: datetime) -> list[DutyCompensation]:
    """Credit the défraiements of ``pickup``'s duties (see the module); returns the ones
    written now (none when the organisation gives none, or they were already credited)."""
    settings = selectors.work_settings_of(pickup.organisation)
    if settings.compensation == Compensation.NONE or settings.compensation_amount <= 0:
        return []
    hours = _hours_by_worker(pickup)
    people = Membership.objects.filter(pk__in=list(hours), organisation_id=pickup.organisation_id)
    if settings.compensation_for == CompensationFor.PRODUCERS:
        people = people.filter(is_producer=True, producer__isnull=False)
    done = set(
        DutyCompensation.objects.filter(pickup=pickup).values_list("membership_id", flat=True)
    )
    credits = []
    for person in people.exclude(pk__in=done).order_by("pk"):
        if settings.compensation == Compensation.PER_RUN:
            amount = settings.compensation_amount
        else:
            amount = round_money(settings.compensation_amount * hours[person.pk])
        credits.append(
            DutyCompensation(
                organisation_id=pickup.organisation_id,
                pickup=pickup,
                sale_id=pickup.sale_id,
                membership=person,
                producer_id=person.producer_id if person.is_producer else None,
                hours=hours[person.pk],
                amount=amount,
                rule=settings.compensation,
            )
        )
    # A concurrent close of the same pickup is refused by its lock; the constraint backs it.
    return DutyCompensation.objects.bulk_create(credits, ignore_conflicts=True)
