"""Every write of a coordinator's message: the draft, sending it (its recipients fixed once),
and the batches the worker sends.

Sending, step by step (docs/architecture.md, "Messages to members"):

1. ``message_send`` locks the draft, fixes its recipients (one ``MessageRecipient`` per
   person, unique per message: the people who turned the messages off or whose address is
   undeliverable are recorded as such and not sent), marks it ``sending`` and queues the
   first batch when the transaction commits.
2. ``message_batch_send`` (the worker) takes the next ``batch_size`` recipients in order:
   first those recorded in the outbox but not sent yet (a batch cut by a crash), then new ones,
   for which it records one outbox row each (key ``message:<id>:<recipient>``, unique) in one
   transaction; then it sends them one by one through the outbox's claim, and queues the next
   batch ``batch_interval_seconds`` later. When no one is left, the message is ``sent``.
3. A worker killed at any instant: its task is taken again after the lease and goes on from
   what the rows say. The outbox rows are *at most once*: one being sent when the worker died
   may have left, so it is not sent again but shown as failed ("interrupted"). Nobody gets a
   message twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cabas.core.tasks import enqueue_on_commit
from cabas.notifications.models import OutboxMessage
from cabas.notifications.services import outbox_message_record, outbox_message_send
from cabas.orgs.models import Organisation

from . import audiences, errors, tasks
from . import lock_objects as locks
from .emails import RENDERER
from .models import Audience, Message, MessageRecipient, MessagingSettings

# What an attachment may be: its extension, and the first bytes every such file starts with
# (a renamed program or web page is refused, whatever its name says).
ATTACHMENT_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    # OpenDocument and Office Open XML files are ZIP archives.
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}
ATTACHMENT_MAX_MB = 5
# The audience fields each audience keeps (the others are cleared).
AUDIENCE_FIELDS = {
    Audience.PICKUP_POINT: {"pickup_point"},
    Audience.SALE: {"sale", "pickup", "slot"},
    Audience.NOT_ORDERED: {"sale"},
    Audience.ON_DUTY: {"sale"},
    Audience.SHIFT_STATUS: {"shift_status"},
}
_WHAT = {
    "pickup_point": gettext_lazy("pickup point"),
    "sale": gettext_lazy("sale"),
    "shift_status": gettext_lazy("shift status"),
    "audience": gettext_lazy("audience"),
}


def messaging_settings_of(organisation: Organisation) -> MessagingSettings:
    """The organisation's settings (the defaults, unsaved, when it has none yet)."""
    found = MessagingSettings.objects.filter(organisation=organisation).first()
    return found or MessagingSettings(organisation=organisation)


def _check_audience(message: Message, now: datetime) -> None:
    """The audience's choices are complete and all of the message's organisation."""
    keep = AUDIENCE_FIELDS.get(message.audience, set())
    for field in ("pickup_point", "sale", "pickup", "slot"):
        if field not in keep:
            setattr(message, field, None)
    if "shift_status" not in keep:
        message.shift_status = ""
    organisation_id = message.organisation_id
    for field in ("pickup_point", "sale", "pickup", "slot"):
        chosen = getattr(message, field)
        if chosen is not None and chosen.organisation_id != organisation_id:
            raise errors.AudienceElsewhere(field=field)
    if message.slot is not None and message.slot.pickup_id != message.pickup_id:
        message.pickup = message.slot.pickup
    if message.pickup is not None and message.pickup.sale_id != message.sale_id:
        raise errors.PickupNotInSale(field="slot" if message.slot else "pickup")
    try:
        audiences.audience_members(message, now=now)
    except audiences.AudienceIncomplete as missing:
        what = str(missing)
        raise errors.AudienceIncomplete(field=what, what=_WHAT.get(what, what)) from None


def _check_announcement(message: Message, now: datetime) -> None:
    message.announcement = " ".join(message.announcement.split())
    if message.announce_until is None:
        return
    if not message.announcement:
        raise errors.AnnouncementWithoutText(field="announcement")
    if message.announce_until <= now:
        raise errors.AnnouncementInThePast(field="announce_until")


def attachment_check(upload) -> None:
    """An attachment is a PDF, a JPEG or PNG image or an office document (by its name and
    its first bytes) of at most ``ATTACHMENT_MAX_MB``."""
    signatures = ATTACHMENT_SIGNATURES.get(PurePath(upload.name).suffix.lower())
    refused = errors.AttachmentRefused(field="attachment", size=ATTACHMENT_MAX_MB)
    if signatures is None or upload.size > ATTACHMENT_MAX_MB * 1024 * 1024:
        raise refused
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise refused


@transaction.atomic
def message_save(
    *,
    organisation: Organisation,
    by,
    message: Message | None = None,
    now: datetime | None = None,
    attachment=None,
    remove_attachment: bool = False,
    **fields,
) -> Message:
    """Write or change a draft: its subject, text, audience (complete and of this
    organisation), announcement (text and a date to come) and attachment."""
    now = now or timezone.now()
    if message is None:
        message = Message(organisation=organisation, created_by=by)
    else:
        message = locks.message_lock(message_id=message.pk)
        if message.organisation_id != organisation.pk:
            raise errors.AudienceElsewhere()
        if message.state != Message.State.DRAFT:
            raise errors.MessageNotDraft()
    for name, value in fields.items():
        setattr(message, name, value)
    message.subject = " ".join(message.subject.split())
    _check_audience(message, now)
    _check_announcement(message, now)
    if remove_attachment and message.attachment:
        message.attachment.delete(save=False)
        message.attachment_name = ""
    if attachment is not None:
        attachment_check(attachment)
        message.attachment_name = PurePath(attachment.name).name[:200]
        message.attachment.save(f"message{PurePath(attachment.name).suffix.lower()}",
                                attachment, save=False)  # fmt: skip
    message.full_clean(exclude=["attachment"])
    message.save()
    return message


@transaction.atomic
def message_delete(*, message: Message) -> None:
    """Delete a draft (a sent message stays: it is its recipients' archive)."""
    message = locks.message_lock(message_id=message.pk)
    if message.state != Message.State.DRAFT:
        raise errors.MessageNotDraft()
    attachment = message.attachment
    if attachment:
        name, storage = attachment.name, attachment.storage
        transaction.on_commit(lambda: storage.delete(name))
    message.delete()


def _recipients_fix(message: Message, now: datetime) -> int:
    """Record the message's recipients from its audience, now (one per person)."""
    people = audiences.with_delivery(audiences.audience_members(message, now=now)).values_list(
        "pk", "user__email", "accepts_announcements", "undeliverable"
    )
    skipped = MessageRecipient.Skipped
    rows = [
        MessageRecipient(
            organisation_id=message.organisation_id,
            message=message,
            membership_id=membership_id,
            email=email.lower(),
            skipped=(
                skipped.UNSUBSCRIBED
                if not accepts
                else skipped.UNDELIVERABLE
                if undeliverable
                else skipped.NO
            ),
        )
        for membership_id, email, accepts, undeliverable in people
        if email
    ]
    MessageRecipient.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def message_send(*, message: Message, by, now: datetime | None = None) -> Message:
    """Send a draft to its audience as it is now: its recipients are fixed, then the worker
    sends them in batches. A second click finds it sent and changes nothing."""
    now = now or timezone.now()
    message = locks.message_lock(message_id=message.pk)
    if message.state != Message.State.DRAFT:
        raise errors.MessageNotDraft()
    _check_audience(message, now)
    _check_announcement(message, now)
    count = _recipients_fix(message, now)
    if not count:
        raise errors.NoRecipient()
    message.state = Message.State.SENDING
    message.sent_by = by
    message.sent_at = now
    message.recipient_count = count
    message.save()
    enqueue_on_commit(tasks.message_batch_send, message_id=message.pk)
    return message


@transaction.atomic
def message_announcement_end(*, message: Message, now: datetime | None = None) -> Message:
    """Stop showing a message's announcement now (a change of plan, a mistake)."""
    now = now or timezone.now()
    message = locks.message_lock(message_id=message.pk)
    if message.announce_until is not None and message.announce_until > now:
        message.announce_until = now
        message.save(update_fields=["announce_until", "updated_at"])
    return message


@dataclass(frozen=True)
class BatchReport:
    sent: int
    left: int
    done: bool


def _batch_take(message_id: int, size: int) -> list[int]:
    """The outbox rows of the next batch: recorded but not sent yet (a batch a crash cut
    short), then new rows for the next recipients, recorded in one transaction under the
    message's lock (two batches at once never take the same person)."""
    pending = list(
        MessageRecipient.objects.filter(
            message_id=message_id, outbox__state=OutboxMessage.State.PENDING
        )
        .order_by("pk")
        .values_list("outbox_id", flat=True)[:size]
    )
    if len(pending) >= size:
        return pending
    with transaction.atomic():
        message = locks.message_lock(message_id=message_id)
        todo = list(
            MessageRecipient.objects.filter(message=message, outbox__isnull=True, skipped="")
            .order_by("pk")
            .values_list("pk", "email")[: size - len(pending)]
        )
        for recipient_id, email in todo:
            outbox = outbox_message_record(
                key=f"message:{message.pk}:{recipient_id}",
                to=email,
                organisation_id=message.organisation_id,
                renderer=RENDERER,
                params={"recipient_id": recipient_id},
                enqueue=False,
                at_most_once=True,
            )
            MessageRecipient.objects.filter(pk=recipient_id).update(outbox=outbox)
            pending.append(outbox.pk)
    return pending


def _work_left(message_id: int) -> int:
    return MessageRecipient.objects.filter(
        Q(outbox__isnull=True, skipped="") | Q(outbox__state=OutboxMessage.State.PENDING),
        message_id=message_id,
    ).count()


def message_batch_send(*, message_id: int, now: datetime | None = None) -> BatchReport:
    """Send the next batch of a message (the worker's task), then queue the next one
    ``batch_interval_seconds`` later, or mark the message sent when no one is left. Safe to
    run again after a crash and in two workers at once (see the module's docstring)."""
    message = Message.objects.select_related("organisation").filter(pk=message_id).first()
    if message is None or message.state != Message.State.SENDING:
        return BatchReport(sent=0, left=0, done=True)
    config = messaging_settings_of(message.organisation)
    sent = 0
    for outbox_id in _batch_take(message_id, config.batch_size):
        sent += outbox_message_send(outbox_id=outbox_id)
    left = _work_left(message_id)
    now = now or timezone.now()
    if left:
        _next_batch_queue(message_id, now + timedelta(seconds=config.batch_interval_seconds))
    else:
        Message.objects.filter(pk=message_id, state=Message.State.SENDING).update(
            state=Message.State.SENT, finished_at=now, updated_at=now
        )
    return BatchReport(sent=sent, left=left, done=not left)


def _next_batch_queue(message_id: int, run_after: datetime) -> None:
    """Queue the next batch at ``run_after``; a backend that cannot defer (the tests'
    immediate one) runs it now."""
    if tasks.message_batch_send.get_backend().supports_defer:
        enqueue_on_commit(tasks.message_batch_send, message_id=message_id, run_after=run_after)
    else:
        enqueue_on_commit(tasks.message_batch_send, message_id=message_id)


def messages_resume(*, now: datetime) -> int:
    """Queue a batch again for each message still sending whose chain of batches was lost
    (no batch waiting or running for a lease): the periodic sweep calls it. Returns how many."""
    from django_tasks_db.models import DBTaskResult

    sending = list(
        Message.objects.filter(state=Message.State.SENDING, sent_at__lt=now - _lease()).values_list(
            "pk", flat=True
        )
    )
    if not sending:
        return 0
    queued = {
        args_kwargs["kwargs"].get("message_id")
        for args_kwargs in (DBTaskResult.objects.ready() | DBTaskResult.objects.running())
        .filter(task_path=tasks.MESSAGE_BATCH_SEND_PATH)
        .values_list("args_kwargs", flat=True)
    }
    lost = [pk for pk in sending if pk not in queued]
    for pk in lost:
        tasks.message_batch_send.enqueue(message_id=pk)
    return len(lost)


def _lease() -> timedelta:
    return timedelta(seconds=settings.TASKS_LEASE_SECONDS)
