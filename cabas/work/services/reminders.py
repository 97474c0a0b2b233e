"""The e-mails the sweep records: each person's reminder before their duty or shift, and
the coordinators' alert about a duty still unfilled a few days before.

Recorded once, however often the sweep (or a retried task) runs: each e-mail is an outbox
row with a unique key (``work-reminder:<period>:<membership>``,
``work-gap:<period>:<membership>``), written in its own savepoint; a second run finds the
key taken and records nothing. A person who takes over a place after a swap has their own
key, so they are reminded too; a withdrawn or handed-over sign-up holds no place and is not.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from cabas.notifications.models import OutboxMessage
from cabas.notifications.services import outbox_email_record
from cabas.orgs.models import Organisation

from .. import emails
from .. import selectors_calendar as calendar_selectors
from ..models import Signup, WorkPeriod, WorkSettings


def reminder_key(signup: Signup) -> str:
    return f"work-reminder:{signup.period_id}:{signup.membership_id}"


def gap_alert_key(period: WorkPeriod, membership_id: int) -> str:
    return f"work-gap:{period.pk}:{membership_id}"


def reminders_record(*, organisation: Organisation, settings: WorkSettings, now: datetime) -> int:
    """Record the reminder of every sign-up whose time has come and that has none yet.
    Returns how many were recorded now."""
    due = calendar_selectors.reminders_due(organisation=organisation, settings=settings, now=now)
    keys = {reminder_key(signup): signup for signup in due if signup.membership.user.email}
    recorded = set(OutboxMessage.objects.filter(key__in=keys).values_list("key", flat=True))
    made = 0
    for key, signup in keys.items():
        if key in recorded:
            continue
        message = emails.reminder_email(signup, now=now)
        made += _record_once(message, key=key, organisation_id=organisation.pk)
    return made


def _record_once(message, *, key: str, organisation_id: int) -> bool:
    """Record the e-mail unless its key is taken (another sweep recorded it meanwhile)."""
    try:
        with transaction.atomic():
            outbox_email_record(message=message, key=key, organisation_id=organisation_id)
    except IntegrityError:
        return False
    return True


def gap_alerts_record(*, organisation: Organisation, settings: WorkSettings, now: datetime) -> int:
    """Alert every coordinator, once per duty, about the duties still unfilled
    ``gap_alert_days_before`` days before; the duty keeps the date (``gap_alert_sent_at``).
    Returns how many duties were alerted now."""
    periods = calendar_selectors.gaps_due(organisation=organisation, settings=settings, now=now)
    if not periods:
        return 0
    coordinators = calendar_selectors.coordinators_of(organisation)
    alerted = 0
    for period in periods:
        signups = list(
            Signup.objects.holding()
            .filter(period=period)
            .select_related("membership__user")
            .order_by("created_at", "pk")
        )
        # Rendered before the period's row is held by the UPDATE below.
        messages = [
            (
                gap_alert_key(period, coordinator.pk),
                emails.gap_alert_email(period, coordinator, signups=signups),
            )
            for coordinator in coordinators
        ]
        with transaction.atomic():
            # The conditional UPDATE is the "once": of two sweeps, one marks the duty.
            marked = WorkPeriod.objects.filter(pk=period.pk, gap_alert_sent_at__isnull=True).update(
                gap_alert_sent_at=now
            )
            if not marked:
                continue
            for key, message in messages:
                _record_once(message, key=key, organisation_id=organisation.pk)
        alerted += 1
    return alerted
