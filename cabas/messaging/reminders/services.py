"""The reminders' periodic sweep (``messaging_tick``), the e-mail about a pickup point that
moved, and the coordinators' settings.

"Done once" is the outbox's unique key (``reminder:sale-opened:<sale>:<membership>``,
``reminder:last-call:<sale>:<membership>``, ``reminder:pickup:<order>``,
``changes:point:<point>:<version>:<order>``): each sweep computes who is due, in bulk, and
records only the keys not taken yet, so a sweep run twice, at once, or again after its
worker died records nothing new. A moment missed while nothing ran is caught up while it
still means something: a sale-opened e-mail while the sale takes orders, the last call
before the cutoff, the pickup reminder before the pickup starts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from cabas.core.tasks import enqueue_on_commit
from cabas.notifications.services import Rendered, outbox_messages_record_new
from cabas.orgs.models import Organisation
from cabas.sales.models import PickupPoint

from ..models import MessagingSettings, ReminderText
from . import emails, selectors, tasks_send, texts

logger = logging.getLogger(__name__)


@dataclass
class MessagingTickReport:
    sale_opened: int = 0
    last_call: int = 0
    pickup: int = 0
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "sale_opened": self.sale_opened,
            "last_call": self.last_call,
            "pickup": self.pickup,
            "failed": self.failed,
        }


def _record(due: list[selectors.Due], *, organisation_id: int, at_most_once: bool) -> int:
    """Record the e-mails of ``due`` not recorded yet and queue their sending (one task);
    returns how many are new."""
    with transaction.atomic():
        ids = outbox_messages_record_new(
            messages=[Rendered(row.key, row.to, emails.RENDERER, row.params) for row in due],
            organisation_id=organisation_id,
            at_most_once=at_most_once,
        )
        if ids:
            enqueue_on_commit(tasks_send.reminders_send, outbox_ids=ids)
    return len(ids)


def _organisation_tick(
    organisation: Organisation, settings: MessagingSettings, *, now: datetime, report
) -> None:
    # Bulk e-mails: one whose worker died while sending it is not sent again.
    record = {"organisation_id": organisation.pk, "at_most_once": True}
    for sale in selectors.order_cycles_taking_orders(organisation, now):
        if settings.sale_opened_on:
            due = selectors.sale_opened_due(sale=sale, settings=settings)
            report.sale_opened += _record(due, **record)
        if settings.last_call_on and selectors.last_call_window_open(
            sale=sale, settings=settings, now=now
        ):
            report.last_call += _record(selectors.last_call_due(sale=sale), **record)
    if settings.pickup_reminder_on:
        due = selectors.pickup_reminders_due(organisation=organisation, settings=settings, now=now)
        report.pickup += _record(due, **record)


def messaging_tick(*, now: datetime) -> MessagingTickReport:
    """Record the reminders due at ``now`` in every active organisation. One organisation's
    error is logged and the others are still served (the next sweep tries it again)."""
    report = MessagingTickReport()
    own = {s.organisation_id: s for s in MessagingSettings.objects.all()}
    for organisation in Organisation.objects.filter(is_active=True).order_by("pk"):
        settings = own.get(organisation.pk) or MessagingSettings(organisation=organisation)
        try:
            _organisation_tick(organisation, settings, now=now, report=report)
        except Exception:
            logger.exception("Reminders sweep failed for organisation %s", organisation.pk)
            report.failed.append(organisation.slug)
    return report


def pickup_point_moved_notify(*, pickup_point_id: int, now: datetime) -> int:
    """E-mail the members whose order is to collect at the point's pickups not over yet
    that the point moved (its new address and access instructions), once per order and
    change; nothing when the organisation turned these e-mails off. Returns how many."""
    point = PickupPoint.objects.select_related("organisation").filter(pk=pickup_point_id).first()
    if point is None or not texts.settings_of(point.organisation).changes_on:
        return 0
    due = selectors.point_moved_due(point=point, now=now)
    # About the member's own order: sent at least once, like the order e-mails.
    return _record(due, organisation_id=point.organisation_id, at_most_once=False)


# --- The coordinators' settings ------------------------------------------------------------

SETTINGS_FIELDS = (
    "batch_size",
    "batch_interval_seconds",
    "sale_opened_on",
    "sale_opened_recent_sales",
    "last_call_on",
    "last_call_hours",
    "pickup_reminder_on",
    "pickup_reminder_days_before",
    "pickup_reminder_hour",
    "changes_on",
)


@transaction.atomic
def messaging_settings_save(
    *, organisation: Organisation, words: dict[tuple[str, str], texts.Words], **fields
) -> MessagingSettings:
    """Save the organisation's messaging settings (created the first time) and its words
    per reminder and language (``words[(kind, language)]``; both parts empty: our default
    words again). A placeholder the reminder does not know is refused, nothing saved."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown messaging settings fields: {sorted(unknown)}")
    for (kind, language), written in words.items():
        if kind not in texts.PLACEHOLDERS or language not in texts.LANGUAGES:
            raise ValueError(f"unknown reminder text {kind!r} {language!r}")
        for part in (written.subject, written.text):
            if texts.unknown_placeholders(kind, part):
                raise ValueError(f"unknown placeholder in {kind} {language}")
    settings = MessagingSettings.objects.filter(organisation=organisation).first()
    settings = settings or MessagingSettings(organisation=organisation)
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    for (kind, language), written in words.items():
        subject, text = written.subject.strip(), written.text.strip()
        found = {"organisation": organisation, "kind": kind, "language": language}
        if not subject and not text:
            ReminderText.objects.filter(**found).delete()
            continue
        ReminderText.objects.update_or_create(**found, defaults={"subject": subject, "text": text})
    return settings
