"""The supply team's weekly e-mail, and the supply app's periodic sweep (``supply_tick``)
that records it.

Once per week per organisation, on the settings' weekday in the organisation's time zone:
a conditional UPDATE of ``SupplySettings.alert_last_week`` (the week's Monday) claims the
week, and the e-mails are recorded in the same transaction with outbox keys
``supply-weekly:<organisation>:<ISO week>:<user>``: of two sweeps one claims the week, and a
crash before the commit leaves neither the claim nor an e-mail (the next sweep sends them);
after it, both (nothing is sent twice). The ``supply_tick`` task queues its own next run
(``cabas/supply/tasks.py``); the command of the same name serves cron.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cabas.catalog.models import Product
from cabas.notifications.services import outbox_email_record
from cabas.orgs.context import organisation_context
from cabas.orgs.models import Membership, Organisation

from .. import emails
from ..alerts import settings_or_default, weekly_digest
from ..models import SupplySettings

logger = logging.getLogger(__name__)


@dataclass
class SupplyTickReport:
    weekly_emails: int = 0
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"weekly_emails": self.weekly_emails, "failed": self.failed}


def weekly_key(organisation: Organisation, week: date, user_id: int) -> str:
    year, number, _day = week.isocalendar()
    return f"supply-weekly:{organisation.pk}:{year}-W{number:02d}:{user_id}"


def supply_team_of(organisation: Organisation) -> list[Membership]:
    """Who reads the weekly e-mail: the active supply team members with an e-mail address,
    or the coordinators when the organisation has no supply team."""
    active = (
        Membership.objects.active()
        .filter(organisation=organisation)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    return list(active.filter(is_supply=True)) or list(active.filter(is_coordinator=True))


def _settings_row(organisation: Organisation) -> SupplySettings:
    """The organisation's settings row (made with the defaults when missing: the claim of
    the week is an UPDATE of it)."""
    try:
        with transaction.atomic():
            settings, _created = SupplySettings.objects.get_or_create(organisation=organisation)
    except IntegrityError:  # made meanwhile by another sweep
        settings = SupplySettings.objects.get(organisation=organisation)
    return settings


def supply_weekly_alert_record(*, organisation: Organisation, now: datetime) -> int:
    """Record the weekly e-mail to each of the supply team if today (in the organisation's
    time zone) is the settings' weekday and this week's was not recorded yet; nothing when
    nothing is below its minimum or to order. Returns how many e-mails were recorded."""
    with organisation_context(organisation):
        today = timezone.localtime(now).date()
        settings = settings_or_default(organisation)
        if today.isoweekday() != settings.alert_weekday:
            return 0
        week = today - timedelta(days=today.isoweekday() - 1)
        if settings.alert_last_week is not None and settings.alert_last_week >= week:
            return 0
        digest = weekly_digest(organisation=organisation, today=today, settings=settings)
    # Rendered before the settings' row is held by the UPDATE below.
    messages = []
    if not digest.is_empty:
        messages = [
            (
                weekly_key(organisation, week, member.user_id),
                emails.weekly_email(organisation, member, digest=digest, week=week),
            )
            for member in supply_team_of(organisation)
        ]
    settings = _settings_row(organisation)
    recorded = 0
    with transaction.atomic():
        claimed = (
            SupplySettings.objects.filter(pk=settings.pk)
            .filter(Q(alert_last_week__isnull=True) | Q(alert_last_week__lt=week))
            .update(alert_last_week=week)
        )
        if not claimed:
            return 0
        for key, message in messages:
            recorded += _record_once(message, key=key, organisation_id=organisation.pk)
    return recorded


def _record_once(message, *, key: str, organisation_id: int) -> bool:
    """Record the e-mail unless its key is taken (the week's e-mail was already recorded
    for this person, e.g. after the settings' week was set back by hand)."""
    try:
        with transaction.atomic():
            outbox_email_record(message=message, key=key, organisation_id=organisation_id)
    except IntegrityError:
        return False
    return True


def supply_tick(*, now: datetime) -> SupplyTickReport:
    """The sweep for every active cooperative that keeps shop-stock products. One
    organisation's error is logged and the others are still served (the next sweep tries
    it again)."""
    report = SupplyTickReport()
    with_stock = Product.objects.filter(stock_mode=Product.StockMode.SHOP).values("organisation_id")
    organisations = Organisation.objects.filter(
        pk__in=with_stock, is_active=True, kind=Organisation.Kind.COOPERATIVE
    ).order_by("pk")
    for organisation in organisations:
        try:
            report.weekly_emails += supply_weekly_alert_record(organisation=organisation, now=now)
        except Exception:
            logger.exception("Supply sweep failed for organisation %s", organisation.pk)
            report.failed.append(organisation.slug)
    return report
