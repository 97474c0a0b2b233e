"""The work app's periodic sweep (``work_tick``): for every active organisation, make the
duties of the coming pickups and the shifts ahead, debit the dues of the cycles that ended,
and record the reminders and the coordinators' alerts that are due.

Every step is idempotent (unique constraints on generated periods and on a cycle's due,
outbox keys on e-mails, a conditional UPDATE on the alert's date), so it may run as often as
wanted, twice at once, or again after a worker died. How it runs periodically: the
``work_tick`` task queues its own next run (``cabas/work/tasks.py``), and the command of the
same name serves cron (docs/deployment.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from cabas.orgs.models import Organisation

from .. import selectors
from ..models import DutyTemplate, ShiftMember, ShiftTemplate, WorkPeriod
from .counters import cycles_close
from .generation import duties_generate, shifts_generate
from .reminders import gap_alerts_record, reminders_record

logger = logging.getLogger(__name__)


@dataclass
class WorkTickReport:
    duties: int = 0
    shifts: int = 0
    dues: int = 0
    reminders: int = 0
    gap_alerts: int = 0
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "duties": self.duties,
            "shifts": self.shifts,
            "dues": self.dues,
            "reminders": self.reminders,
            "gap_alerts": self.gap_alerts,
            "failed": self.failed,
        }


def work_tick(*, now: datetime) -> WorkTickReport:
    """Run the sweep for every active organisation that has duties or shifts. One
    organisation's error is logged and the others are still served (the next sweep tries
    it again)."""
    report = WorkTickReport()
    with_duties = set(
        DutyTemplate.objects.filter(is_active=True).values_list("organisation_id", flat=True)
    )
    with_shifts = set(
        ShiftTemplate.objects.filter(is_active=True).values_list("organisation_id", flat=True)
    )
    with_members = set(ShiftMember.objects.values_list("organisation_id", flat=True))
    with_periods = set(
        WorkPeriod.objects.filter(starts_at__gt=now, is_cancelled=False).values_list(
            "organisation_id", flat=True
        )
    )
    concerned = with_duties | with_shifts | with_members | with_periods
    for organisation in Organisation.objects.filter(pk__in=concerned, is_active=True).order_by(
        "pk"
    ):
        try:
            _organisation_tick(
                organisation,
                now=now,
                report=report,
                duties=organisation.pk in with_duties,
                shifts=organisation.pk in with_shifts,
                members=organisation.pk in with_members,
            )
        except Exception:
            logger.exception("Work sweep failed for organisation %s", organisation.pk)
            report.failed.append(organisation.slug)
    return report


def _organisation_tick(
    organisation: Organisation,
    *,
    now: datetime,
    report: WorkTickReport,
    duties: bool,
    shifts: bool,
    members: bool,
) -> None:
    settings = selectors.work_settings_of(organisation)
    if duties:
        report.duties += duties_generate(organisation=organisation, now=now)
    if shifts:
        report.shifts += len(shifts_generate(organisation=organisation, now=now))
    if members:
        report.dues += cycles_close(organisation=organisation, now=now)
    report.reminders += reminders_record(organisation=organisation, settings=settings, now=now)
    report.gap_alerts += gap_alerts_record(organisation=organisation, settings=settings, now=now)
