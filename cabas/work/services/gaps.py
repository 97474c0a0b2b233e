"""Filling a duty that lacks people: the coordinator's appeal to everyone who could come."""

from __future__ import annotations

import re
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from cabas.notifications.services import outbox_message_record

from .. import errors, selectors_manage
from ..models import WorkPeriod
from .manage import DUTY_EMAIL_RENDERER
from .signups import _check_open

# The one-time token of the page the appeal was sent from (a double click, a retry: the same).
_APPEAL_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")


def duty_gap_appeal(*, period: WorkPeriod, appeal: str, now: datetime | None = None) -> int:
    """E-mail everyone who may take ``period`` and is not on it yet, asking them to sign up.
    One outbox row per duty, person and appeal (``appeal``: the form's one-time token), so a
    double click or a retried request sends nothing twice. Returns how many were recorded now."""
    now = now or timezone.now()
    if not _APPEAL_TOKEN.fullmatch(appeal or ""):
        raise errors.AppealFormExpired()
    if period.kind != WorkPeriod.Kind.DUTY:
        raise ValueError("appeals are for duties")
    _check_open(period, now)
    if period.taken >= period.places:
        raise errors.DutyNoGap()
    recorded = 0
    for membership_id, email in selectors_manage.appeal_recipients(period).values_list(
        "pk", "user__email"
    ):
        try:
            with transaction.atomic():
                outbox_message_record(
                    key=f"work:duty-appeal:{period.pk}:{membership_id}:{appeal}",
                    to=email,
                    organisation_id=period.organisation_id,
                    renderer=DUTY_EMAIL_RENDERER,
                    params={
                        "period_id": period.pk,
                        "membership_id": membership_id,
                        "event": "appeal",
                    },
                )
        except IntegrityError:
            continue  # this appeal already reached this person
        recorded += 1
    return recorded
