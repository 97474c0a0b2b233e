"""The outbox of e-mails, and the heartbeats of the task workers.

An e-mail is first a row (``OutboxMessage``), written in the same transaction as the business
write that causes it; the worker then sends it (``services.outbox_message_send``). See
docs/architecture.md ("The outbox") for the states and why a send is never skipped.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cabas.core.models import TimeStampedModel


class OutboxMessage(TimeStampedModel):
    """One e-mail to one recipient, from its record to its sending.

    ``key`` names the logical e-mail ("order:12:placed",
    "sale-summary:4:producer:7:lea@example.org"); it is unique, so the same e-mail is recorded
    once however often the code that records it runs.
    Either the content is stored (subject, body, html, attachments), or ``renderer`` (a dotted
    path) builds the message from ``params`` when it is sent. ``message_id`` is fixed at the
    record, so every attempt carries the same Message-ID header.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    key = models.CharField(_("key"), max_length=400, unique=True)
    to = models.EmailField(_("recipient"))
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    renderer = models.CharField(_("renderer"), max_length=200, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    body = models.TextField(_("body"), blank=True)
    html = models.TextField(_("HTML body"), blank=True)
    from_email = models.CharField(
        pgettext_lazy("e-mail sender", "from"), max_length=254, blank=True
    )
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    claim_token = models.UUIDField(_("claim"), null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # A bulk e-mail (a coordinator's message) is sent at most once: a row whose worker died
    # while sending it is not sent again but marked failed ("interrupted"), because it may
    # have left. Transactional e-mails keep the default (at least once, same Message-ID).
    at_most_once = models.BooleanField(_("at most once"), default=False)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            # The sweep reads the rows still to send, oldest first.
            models.Index(
                fields=["state", "next_attempt_at"],
                name="outbox_to_send_idx",
                condition=Q(state__in=["pending", "sending"]),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sending", "sent", "failed"]),
                name="outboxmessage_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="outboxmessage_sent_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.to} ({self.state})"


class OutboxAttachment(models.Model):
    """A file attached to a stored outbox e-mail (the summaries' CSV and XLSX)."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    mimetype = models.CharField(_("type"), max_length=100)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class TaskWorker(models.Model):
    """A running task worker (``manage.py db_worker``), seen alive at ``seen_at``.

    A worker writes its heartbeat every few seconds from a thread; a task left RUNNING by a
    worker not seen for a lease (``TASKS_LEASE_SECONDS``) is made READY again.
    """

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process"), default=0)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    seen_at = models.DateTimeField(_("seen at"), default=timezone.now)

    class Meta:
        ordering = ["-seen_at", "pk"]
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class UndeliverableAddress(TimeStampedModel):
    """An address the e-mail provider reported as not deliverable (a hard bounce, a spam
    complaint, a rejection): nothing is sent to it any more until a coordinator or the person
    clears it (``deliverability.address_deliverable_mark``)."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", _("bounced")
        COMPLAINED = "complained", _("marked as spam")
        REJECTED = "rejected", _("rejected by the provider")

    email = models.EmailField(_("e-mail address"), unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    provider = models.CharField(_("provider"), max_length=50, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("undeliverable address")
        verbose_name_plural = _("undeliverable addresses")

    def __str__(self) -> str:
        return f"{self.email} ({self.reason})"
