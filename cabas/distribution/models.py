"""After the cutoff and distribution day."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SummaryDispatch(models.Model):
    """One summary e-mail of a sale to one recipient, recorded with its outbox row.

    The unique constraints make the record idempotent: a retried or duplicated task finds the
    row and records nothing twice. The row says "this recipient is owed this summary"; the
    outbox row written in the same transaction (key ``sale-summary:<sale>:…``) says whether it
    was sent, and the outbox sends it even if the worker dies (see dispatch.py).
    """

    class RecipientKind(models.TextChoices):
        PRODUCER = "producer", _("producer")
        COORDINATOR = "coordinator", _("coordinator")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    sale = models.ForeignKey(
        "sales.Sale", on_delete=models.CASCADE, related_name="summary_dispatches"
    )
    recipient_kind = models.CharField(_("recipient"), max_length=20, choices=RecipientKind.choices)
    producer = models.ForeignKey(
        "catalog.Producer",
        verbose_name=_("producer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    email = models.EmailField(_("e-mail"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = _("summary e-mail")
        verbose_name_plural = _("summary e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["sale", "recipient_kind", "producer", "email"],
                name="summarydispatch_once_per_recipient",
            ),
            # NULLs are distinct in a unique index (SQLite, PostgreSQL before 15): the
            # coordinators' rows, which have no producer, need their own constraint.
            models.UniqueConstraint(
                fields=["sale", "recipient_kind", "email"],
                condition=Q(producer__isnull=True),
                name="summarydispatch_once_per_recipient_without_producer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sale_id} → {self.email}"
