"""Everything at once (cron, worker): prepare the coming sales, open and close the due ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cabas.orgs.models import Organisation

from ..models import Drive, Schedule
from .clock import _now
from .drive import drive_generate
from .generated import GenerationReport
from .lifecycle import sales_lifecycle_sweep
from .schedules import schedule_generate


@dataclass
class TickReport:
    created: int = 0
    opened: int = 0
    closed: int = 0
    skipped: list[str] = field(default_factory=list)


def sales_generate_for_organisation(
    *, organisation: Organisation, now: datetime | None = None
) -> GenerationReport:
    """Run every active schedule and the drive of one organisation."""
    now = _now(now)
    report = GenerationReport()
    for schedule in Schedule.objects.filter(organisation=organisation, is_active=True):
        partial_report = schedule_generate(schedule=schedule, now=now)
        report.created += partial_report.created
        report.skipped += partial_report.skipped
    partial_report = drive_generate(organisation=organisation, now=now)
    report.created += partial_report.created
    report.skipped += partial_report.skipped
    return report


def sales_tick(*, now: datetime | None = None) -> TickReport:
    """Prepare the coming sales of every active organisation, then open and close every sale
    whose time has come. Safe to run as often as wanted (cron every minute)."""
    now = _now(now)
    report = TickReport()
    organisation_ids = set(
        Schedule.objects.filter(is_active=True).values_list("organisation_id", flat=True)
    ) | set(Drive.objects.filter(is_active=True).values_list("organisation_id", flat=True))
    for organisation in Organisation.objects.filter(pk__in=organisation_ids, is_active=True):
        generated = sales_generate_for_organisation(organisation=organisation, now=now)
        report.created += len(generated.created)
        report.skipped += generated.skipped
    sweep = sales_lifecycle_sweep(now=now)
    report.opened = len(sweep.opened)
    report.closed = len(sweep.closed)
    return report
