"""Messages from the coordinators to an audience of members, and the settings of the
automatic reminders.

A message is written as a draft; sending it fixes its recipients (``MessageRecipient``, one
row per person, unique), then the worker sends them in batches through the outbox, one
outbox row per recipient (``services.message_batch_send``): a restarted worker never sends
twice to the same person. See docs/architecture.md ("Messages to members").
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cabas.core.models import TimeStampedModel


class Audience(models.TextChoices):
    ALL_MEMBERS = "all", _("All members")
    PICKUP_POINT = "point", _("Customers of a pickup point")
    SALE = "sale", _("Customers of a sale (or of one of its pickups or slots)")
    NOT_ORDERED = "not_ordered", _("Members who have not ordered in a sale yet")
    PRODUCERS = "producers", _("Producers")
    VOLUNTEERS = "volunteers", _("Volunteers")
    ON_DUTY = "on_duty", _("People on duty in a sale")
    SHIFT_STATUS = "shift_status", _("Members in a shift status")


class Message(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("message", "draft")
        SENDING = "sending", pgettext_lazy("message", "sending")
        SENT = "sent", pgettext_lazy("message", "sent")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="messages"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Simple formatting: **bold**, *italics*, lists starting with “- ”, links "
            "written as https://…; an empty line starts a new paragraph."
        ),
    )
    attachment = models.FileField(
        _("attachment"), upload_to="messages/%Y/%m/", blank=True, max_length=255
    )
    attachment_name = models.CharField(_("attachment's name"), max_length=200, blank=True)
    audience = models.CharField(
        _("who receives it"), max_length=20, choices=Audience.choices, default=Audience.ALL_MEMBERS
    )
    pickup_point = models.ForeignKey(
        "sales.PickupPoint",
        verbose_name=_("pickup point"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sale = models.ForeignKey(
        "sales.Sale",
        verbose_name=_("sale"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    pickup = models.ForeignKey(
        "sales.Pickup",
        verbose_name=_("pickup"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    slot = models.ForeignKey(
        "sales.Slot",
        verbose_name=_("slot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    shift_status = models.CharField(_("shift status"), max_length=20, blank=True)
    # A short text shown on the shop and the home page of the message's recipients until then.
    announcement = models.CharField(_("announcement"), max_length=300, blank=True)
    announce_until = models.DateTimeField(_("shown until"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished on"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["organisation", "state"], name="message_org_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(sent_at__isnull=False),
                name="message_sent_has_date",
            ),
            models.CheckConstraint(
                condition=Q(announce_until__isnull=True) | ~Q(announcement=""),
                name="message_announcement_has_text",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def announce_last_day(self):
        """The last day the announcement shows (``announce_until`` is the next midnight, in
        the active time zone: the organisation's on its pages)."""
        if self.announce_until is None:
            return None
        return timezone.localtime(self.announce_until - timedelta(microseconds=1)).date()


class MessageRecipient(models.Model):
    """One person a sent message is for: fixed when it is sent, once per person."""

    class Skipped(models.TextChoices):
        NO = "", _("to send")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        UNDELIVERABLE = "undeliverable", _("undeliverable address")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    email = models.EmailField(_("e-mail address"))
    skipped = models.CharField(
        _("not sent because"), max_length=20, choices=Skipped.choices, default="", blank=True
    )
    outbox = models.OneToOneField(
        "notifications.OutboxMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            # Never twice to the same person for one message.
            models.UniqueConstraint(fields=["message", "email"], name="message_recipient_once"),
            models.UniqueConstraint(
                fields=["message", "membership"], name="message_recipient_membership_once"
            ),
        ]
        indexes = [
            # The batches read the recipients still without an outbox row, in order.
            models.Index(
                fields=["message", "id"],
                name="message_recipient_todo_idx",
                condition=Q(outbox__isnull=True, skipped=""),
            )
        ]

    def __str__(self) -> str:
        return self.email


class MessagingSettings(TimeStampedModel):
    """How fast messages leave, and which automatic reminders the organisation sends."""

    organisation = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="messaging_settings"
    )
    batch_size = models.PositiveIntegerField(
        _("e-mails per batch"),
        default=50,
        help_text=_("Your e-mail provider may limit how many e-mails leave per minute."),
    )
    batch_interval_seconds = models.PositiveIntegerField(_("seconds between batches"), default=60)
    sale_opened_on = models.BooleanField(_("e-mail when a sale opens"), default=True)
    sale_opened_recent_sales = models.PositiveIntegerField(
        _("to the members who ordered in the last … sales"),
        default=0,
        help_text=_("0: to every member."),
    )
    last_call_on = models.BooleanField(_("last call before the cutoff"), default=True)
    last_call_hours = models.PositiveIntegerField(_("hours before the cutoff"), default=24)
    pickup_reminder_on = models.BooleanField(_("pickup reminder"), default=True)
    pickup_reminder_days_before = models.PositiveIntegerField(_("days before"), default=1)
    pickup_reminder_hour = models.PositiveIntegerField(_("at (hour)"), default=18)
    changes_on = models.BooleanField(_("e-mail the members whose pickup changes"), default=True)

    class Meta:
        verbose_name = _("messaging settings")
        verbose_name_plural = _("messaging settings")
        constraints = [
            models.CheckConstraint(condition=Q(batch_size__gte=1), name="messaging_batch_size_min"),
            models.CheckConstraint(
                condition=Q(pickup_reminder_hour__lte=23), name="messaging_reminder_hour_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class ReminderText(TimeStampedModel):
    """An organisation's own words for an automatic reminder, in one language (else the
    default text is used). The facts (dates, place, order) are always added after it."""

    class Kind(models.TextChoices):
        SALE_OPENED = "sale_opened", _("Sale opened")
        LAST_CALL = "last_call", _("Last call")
        PICKUP = "pickup", _("Pickup reminder")
        CHANGES = "changes", _("Pickup changed")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="reminder_texts"
    )
    kind = models.CharField(_("reminder"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["kind", "language"]
        verbose_name = _("reminder text")
        verbose_name_plural = _("reminder texts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "language"], name="reminder_text_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.language})"
