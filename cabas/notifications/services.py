"""E-mails through the outbox, and the upkeep that lets a task survive a dead worker.

The outbox (``OutboxMessage``): an e-mail is recorded as a row in the transaction of the write
that causes it, and a task sends it once that transaction commits. Sending a row:

1. *Claim* it with one conditional UPDATE, committed before anything leaves: ``pending`` (or
   ``sending`` with a claim older than the lease, i.e. a worker that died) becomes
   ``sending`` with a new claim token and ``attempts + 1``. Two workers cannot both claim it.
2. Build and send the message, always with the row's own Message-ID.
3. Mark it ``sent`` with a second UPDATE that only matches our claim token. An error puts it
   back to ``pending`` (``failed`` after ``OUTBOX_MAX_ATTEMPTS``) with a later next attempt.

The one window no database can close is between "the SMTP server (or the file backend)
accepted the message" and step 3. A worker killed exactly there leaves the row ``sending``;
after the lease the sweep sends it again, with the *same* Message-ID. We choose this
(at least once) over marking the row ``sent`` before sending (at most once): a lost
confirmation or a producer's lost summary costs a member's order or a producer's trip, a
repeated one costs a second identical e-mail that mail clients and servers collapse by its
Message-ID. Everything else (a crash before the claim, during rendering, during the
SMTP dialogue, after the mark) gives exactly one send. The crash test measures the window.

Bulk e-mails (a coordinator's message, the reminders) are recorded ``at_most_once``: a row
left ``sending`` by a worker that died is not sent again but marked failed ("interrupted"),
because nobody should get a newsletter twice; transactional e-mails keep "at least once". An
address the provider reported as undeliverable (``deliverability``) is not sent to at all.

Tasks (``tasks_reap``): django-tasks-db marks a task RUNNING when a worker claims it and has
no lease of its own, so a killed worker left it RUNNING for ever. Each worker (our
``db_worker`` command) writes a heartbeat (``TaskWorker``) from a thread; a RUNNING task whose
worker has not been seen for ``TASKS_LEASE_SECONDS`` is made READY again, and any worker runs
it. Our tasks are idempotent (they check what is done, or go through the outbox).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
import uuid
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cabas.core.tasks import enqueue_on_commit

from . import tasks
from .deliverability import undeliverable_among
from .models import OutboxAttachment, OutboxMessage, TaskWorker

logger = logging.getLogger(__name__)

State = OutboxMessage.State
# The task's module_path, written out: this module and tasks.py import each other.
EMAIL_SEND_PATH = "cabas.notifications.tasks.email_send"
# The last errors of rows not sent on purpose (shown to coordinators as they are).
UNDELIVERABLE = "undeliverable: the provider reported this address; not sent"
INTERRUPTED = "interrupted: the worker stopped while sending it; not sent again (at most once)"


class WorkerLost(Exception):
    """A task whose worker died too many times while running it (it is not taken again)."""


@dataclasses.dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def _lease() -> timedelta:
    return timedelta(seconds=settings.TASKS_LEASE_SECONDS)


def _message_id() -> str:
    """A Message-ID of our own domain, drawn once per outbox row."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "cabas.localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


# --- The outbox ----------------------------------------------------------------------------


def outbox_message_record(
    *,
    key: str,
    to: str,
    organisation_id: int | None = None,
    renderer: str = "",
    params: dict | None = None,
    subject: str = "",
    body: str = "",
    html: str = "",
    from_email: str = "",
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[Attachment] | tuple[Attachment, ...] = (),
    enqueue: bool = True,
    not_before: datetime | None = None,
    at_most_once: bool = False,
) -> OutboxMessage:
    """Record one e-mail to one recipient, in the caller's transaction; its sending task is
    queued when that transaction commits (unless ``enqueue`` is false: the caller sends).
    With ``not_before``, nothing is queued: the sweep sends it once that time has come, and
    until then ``outbox_message_withdraw`` can take it back.

    The unique ``key`` refuses a second row of the same e-mail with an IntegrityError: a
    caller that may record it twice wraps the call in its own savepoint (as the summaries
    do); for the others a second row would be a bug, and the error says so."""
    message = OutboxMessage.objects.create(
        organisation_id=organisation_id,
        key=key,
        to=to,
        message_id=_message_id(),
        renderer=renderer,
        params=params or {},
        subject=subject[:500],
        body=body,
        html=html,
        from_email=from_email,
        reply_to=list(reply_to or []),
        headers=dict(headers or {}),
        at_most_once=at_most_once,
        # The sweep leaves a fresh row to its own task for one lease.
        next_attempt_at=not_before or timezone.now() + _lease(),
    )
    if attachments:
        OutboxAttachment.objects.bulk_create(
            OutboxAttachment(
                message=message, filename=a.filename, content=a.content, mimetype=a.mimetype
            )
            for a in attachments
        )
    if enqueue and not_before is None:
        enqueue_on_commit(tasks.email_send, outbox_id=message.pk)
    return message


@dataclasses.dataclass(frozen=True)
class Rendered:
    """One e-mail of ``outbox_messages_record_new``: rendered by ``renderer(**params)`` when
    it is sent."""

    key: str
    to: str
    renderer: str
    params: dict


def outbox_messages_record_new(
    *, messages: list[Rendered], organisation_id: int | None, at_most_once: bool = False
) -> list[int]:
    """Record, in bulk and in the caller's transaction, those of ``messages`` whose key is not
    taken yet (a key already recorded, even by a concurrent caller, is skipped: never an
    error); returns the new rows' ids. A constant number of queries whatever their number.
    Nothing is queued: the caller queues their sending (else the sweep sends them a lease
    later)."""
    if not messages:
        return []
    ids = {message.key: _message_id() for message in messages}
    lease_end = timezone.now() + _lease()
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                organisation_id=organisation_id,
                key=message.key,
                to=message.to,
                message_id=ids[message.key],
                renderer=message.renderer,
                params=message.params,
                at_most_once=at_most_once,
                next_attempt_at=lease_end,
            )
            for message in messages
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    # Ours are the rows carrying the Message-IDs drawn here (a taken key kept its own).
    return list(
        OutboxMessage.objects.filter(message_id__in=ids.values())
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def outbox_messages_send(*, outbox_ids: list[int]) -> int:
    """Send the outbox rows ``outbox_ids`` one after the other (each at most as
    ``outbox_message_send`` says); returns how many this call sent."""
    return sum(outbox_message_send(outbox_id=outbox_id) for outbox_id in outbox_ids)


def outbox_message_withdraw(*, key: str) -> bool:
    """Take back the e-mail ``key`` if it has not left (pending, or failed for good); True
    when it is withdrawn (or was never recorded), False when it was sent or is being sent —
    a send under way cannot be stopped (the conditional DELETE skips a row just claimed)."""
    OutboxMessage.objects.filter(key=key, state__in=[State.PENDING, State.FAILED]).delete()
    return not OutboxMessage.objects.filter(key=key).exists()


def outbox_email_record(
    *,
    message: EmailMessage,
    key: str,
    organisation_id: int | None = None,
    enqueue: bool = True,
) -> list[OutboxMessage]:
    """Record a rendered e-mail in the outbox, one row per recipient (``key``, or
    ``key:recipient`` when there are several); returns the rows."""
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                html = str(content)
    attachments = []
    for filename, content, mimetype in message.attachments:  # as attach() keeps them
        data = content.encode() if isinstance(content, str) else content
        attachments.append(Attachment(filename, data, mimetype or "application/octet-stream"))
    recipients = list(message.to)
    recorded = []
    for recipient in recipients:
        recorded.append(
            outbox_message_record(
                key=key if len(recipients) == 1 else f"{key}:{recipient}",
                to=recipient,
                organisation_id=organisation_id,
                subject=str(message.subject),
                body=str(message.body),
                html=html,
                from_email=message.from_email or "",
                reply_to=list(message.reply_to),
                headers={str(k): str(v) for k, v in message.extra_headers.items()},
                attachments=attachments,
                enqueue=enqueue,
            )
        )
    return recorded


def email_enqueue(message: EmailMessage, *, organisation_id: int | None = None) -> None:
    """Record a rendered e-mail in the outbox, in the caller's transaction; the worker sends
    it once the transaction commits (nothing when it rolls back)."""
    outbox_email_record(
        message=message, key=f"email:{uuid.uuid4().hex}", organisation_id=organisation_id
    )


def _email(message: OutboxMessage) -> EmailMessage:
    """The e-mail of a row: rendered now by its renderer, or rebuilt from what was stored."""
    if message.renderer:
        email = import_string(message.renderer)(**message.params)
    else:
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            from_email=message.from_email or None,
            reply_to=message.reply_to or None,
            headers=dict(message.headers),
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        for attachment in message.attachments.all():
            email.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    email.to = [message.to]
    email.cc = []
    email.bcc = []
    email.extra_headers["Message-ID"] = message.message_id
    return email


def _retry_delay(attempts: int) -> timedelta:
    return min(_lease() * (2 ** max(attempts - 1, 0)), timedelta(hours=6))


def outbox_message_send(*, outbox_id: int) -> bool:
    """Send one outbox e-mail if it is still to send (pending, or claimed by a worker that
    died a lease ago); True when this call sent it. See the module's docstring."""
    now = timezone.now()
    token = uuid.uuid4()
    claimed = (
        OutboxMessage.objects.filter(pk=outbox_id)
        .filter(
            Q(state=State.PENDING)
            | Q(state=State.SENDING, claimed_at__lt=now - _lease(), at_most_once=False)
        )
        .update(
            state=State.SENDING,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    if not claimed:
        return False  # sent, failed for good, or being sent by a live worker
    message = OutboxMessage.objects.get(pk=outbox_id)
    ours = OutboxMessage.objects.filter(pk=outbox_id, claim_token=token)
    if undeliverable_among([message.to]):
        ours.update(state=State.FAILED, last_error=UNDELIVERABLE, updated_at=timezone.now())
        return False
    try:
        _email(message).send()
    except Exception as error:
        failed = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        ours.update(
            state=State.FAILED if failed else State.PENDING,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=timezone.now() + _retry_delay(message.attempts),
            updated_at=timezone.now(),
        )
        logger.exception("E-mail %s not sent (attempt %d)", message.key, message.attempts)
        return False
    if not ours.update(state=State.SENT, sent_at=timezone.now(), updated_at=timezone.now()):
        # Our claim outlived the lease and another worker took the row over.
        logger.warning("E-mail %s was taken over while it was being sent", message.key)
    return True


def outbox_sweep(*, now: datetime, limit: int = 500) -> int:
    """Queue again the e-mails whose task was lost: pending rows past their next attempt (the
    process died between the commit and the enqueue, or a send failed) and rows left
    ``sending`` for a lease by a worker that died, unless a task of theirs is still waiting
    or running (a long queue is not a lost task). Returns how many were queued."""
    # A bulk row left "sending" by a dead worker may have left: it is not sent again.
    OutboxMessage.objects.filter(
        state=State.SENDING, at_most_once=True, claimed_at__lt=now - _lease()
    ).update(state=State.FAILED, last_error=INTERRUPTED, updated_at=now)
    due = list(
        OutboxMessage.objects.filter(
            Q(state=State.PENDING, next_attempt_at__lte=now)
            | Q(state=State.SENDING, claimed_at__lt=now - _lease())
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not due:
        return 0
    queued = {
        args_kwargs["kwargs"].get("outbox_id")
        for args_kwargs in (DBTaskResult.objects.ready() | DBTaskResult.objects.running())
        .filter(task_path=EMAIL_SEND_PATH)
        .values_list("args_kwargs", flat=True)
    }
    lost = [outbox_id for outbox_id in due if outbox_id not in queued]
    # Looked at again a lease later at the soonest.
    OutboxMessage.objects.filter(pk__in=due, state=State.PENDING).update(
        next_attempt_at=now + _lease()
    )
    for outbox_id in lost:
        tasks.email_send.enqueue(outbox_id=outbox_id)
    return len(lost)


# --- Task workers and their lease ----------------------------------------------------------


def task_worker_heartbeat(*, worker_id: str, now: datetime) -> None:
    """Record that this worker is alive now (and forget workers gone for a day)."""
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now, "hostname": socket.gethostname()[:255], "pid": os.getpid()},
        create_defaults={
            "started_at": now,
            "seen_at": now,
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )
    TaskWorker.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()


def tasks_reap(*, now: datetime) -> int:
    """Make READY again each RUNNING task whose worker has not been seen for a lease (a
    task of a worker without heartbeat: a lease after it started); a task whose workers
    died ``TASKS_MAX_ATTEMPTS`` times is marked FAILED instead. Returns how many."""
    lease_start = now - _lease()
    running = list(DBTaskResult.objects.running().values_list("pk", "worker_ids", "started_at"))
    if not running:
        return 0
    last_workers = {ids[-1] for _pk, ids, _started in running if ids}
    seen = dict(
        TaskWorker.objects.filter(worker_id__in=last_workers).values_list("worker_id", "seen_at")
    )
    reaped = 0
    for pk, worker_ids, started_at in running:
        last_seen = seen.get(worker_ids[-1]) if worker_ids else None
        if (last_seen or started_at or now) >= lease_start:
            continue
        # Only if no one touched it since we read it (another worker's reaper, a new claim).
        task = DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
        )
        if len(worker_ids) >= settings.TASKS_MAX_ATTEMPTS:
            reaped += task.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"WorkerLost: its worker died {len(worker_ids)} times while running it",
            )
        else:
            reaped += task.update(status=TaskResultStatus.READY)
    if reaped:
        logger.warning("%d task(s) of dead workers taken again", reaped)
    return reaped


def tasks_upkeep(*, worker_id: str, now: datetime | None = None) -> None:
    """What each worker does every few seconds: its heartbeat, taking back the tasks of dead
    workers, and queueing again the e-mails whose task was lost. Safe in several workers."""
    now = now or timezone.now()
    task_worker_heartbeat(worker_id=worker_id, now=now)
    tasks_reap(now=now)
    outbox_sweep(now=now)
