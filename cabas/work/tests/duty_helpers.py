"""Duties at a pickup with people on them, for the check-in, défraiement and report tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from cabas.work import services
from cabas.work.models import Signup, WorkPeriod
from cabas.work.tests.factories import DutyFactory, ShiftPeriodFactory


def duty_at(
    pickup, *, hours: float = 2, places: int = 2, start: datetime | None = None, task=None
) -> WorkPeriod:
    """A duty of ``pickup`` (from its start unless ``start``), lasting ``hours``."""
    starts_at = start or pickup.starts_at
    extra = {"task_type": task} if task is not None else {}
    return DutyFactory(
        organisation=pickup.organisation,
        pickup=pickup,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        places=places,
        **extra,
    )


def shift_on(organisation, starts_at: datetime, *, hours: float = 3, places: int = 4):
    return ShiftPeriodFactory(
        organisation=organisation,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        places=places,
    )


def put_on(period: WorkPeriod, membership, *, by, attendance: str = "", substitute=None) -> Signup:
    """``membership`` assigned to ``period`` (before it starts), then its attendance."""
    signup = services.signup_create(
        period=period, membership=membership, by=by, now=period.starts_at - timedelta(days=3)
    )
    if attendance:
        signup = services.signup_attendance_record(
            signup=signup,
            attendance=attendance,
            substitute=substitute,
            by=by,
            now=period.ends_at,
        )
    return signup


def duty_signup_kwargs(world) -> dict:
    """A sign-up of the member persona on a duty of a pickup of organisation A."""
    from cabas.orders.tests.factories import open_shop

    shop = open_shop(organisation=world.org_a)
    signup = put_on(
        duty_at(shop.pickup), world.memberships["member"], by=world.users["coordinator"]
    )
    return {"slug": world.org_a.slug, "signup_id": signup.pk}
