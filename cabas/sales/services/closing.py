"""Closing days: schedules and the drive prepare no sale on them."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from cabas.orgs.models import Organisation

from .. import errors
from ..models import ClosingPeriod


@transaction.atomic
def closing_period_create(
    *, organisation: Organisation, first_day: date, last_day: date, reason: str = ""
) -> ClosingPeriod:
    """Add closing days: schedules and the drive create nothing on them from now on (sales
    already created stay: edit or delete them)."""
    if last_day < first_day:
        raise errors.ClosingPeriodInvalid(field="last_day")
    return ClosingPeriod.objects.create(
        organisation=organisation, first_day=first_day, last_day=last_day, reason=reason
    )


@transaction.atomic
def closing_period_delete(*, closing_period: ClosingPeriod) -> None:
    """Remove closing days."""
    closing_period.delete()
