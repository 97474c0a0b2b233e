"""The people's side: members on shifts, their exemptions and counter ledger, their calendar
feeds and the défraiements credited to them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cabas.core.models import TimeStampedModel
from cabas.core.money import format_money

from .periods import ShiftTemplate, Signup
from .rules import Compensation


class ShiftMember(TimeStampedModel):
    """A coop member's place in the shifts: regular (one template each cycle) or flying
    (any shift, one per cycle), with their counter kept beside its ledger (``CounterEntry``)."""

    class Regime(models.TextChoices):
        REGULAR = "regular", _("regular")
        FLYING = "flying", _("flying")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="shift_members"
    )
    membership = models.OneToOneField(
        "orgs.Membership", on_delete=models.CASCADE, related_name="shift_member"
    )
    regime = models.CharField(
        _("kind"), max_length=10, choices=Regime.choices, default=Regime.FLYING
    )
    template = models.ForeignKey(
        ShiftTemplate,
        verbose_name=_("regular shift"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="regulars",
    )
    counter = models.IntegerField(_("counter"), default=0, editable=False)
    negative_since = models.DateField(_("below zero since"), null=True, blank=True, editable=False)
    starts_on = models.DateField(
        _("shifts due from"),
        help_text=_("Shifts are due from the first cycle starting on or after this day."),
    )

    class Meta:
        ordering = ["membership"]
        verbose_name = _("member on shifts")
        verbose_name_plural = _("members on shifts")
        constraints = [
            models.CheckConstraint(
                condition=Q(regime="flying") | Q(template__isnull=False),
                name="shiftmember_regular_has_template",
                violation_error_message=_("A regular member needs their shift of the cycle."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.membership)


class Exemption(TimeStampedModel):
    """Dates a member owes no shift: holidays, illness, parental leave…"""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="shift_exemptions"
    )
    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="shift_exemptions"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="exemption_ends_after_start",
                violation_error_message=_("An exemption ends on or after its first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.starts_on}–{self.ends_on}"


class CounterEntry(models.Model):
    """One change of a member's shift counter, with who and why. The counter is their sum."""

    class Reason(models.TextChoices):
        DUE = "due", _("shift due for the cycle")
        DONE = "done", _("shift done")
        MISSED = "missed", _("shift missed, excused")
        UNEXCUSED = "unexcused", _("shift missed without notice")
        CORRECTION = "correction", _("correction")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="shift_counter_entries"
    )
    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="shift_counter_entries"
    )
    delta = models.SmallIntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    signup = models.ForeignKey(
        Signup, on_delete=models.SET_NULL, null=True, blank=True, related_name="counter_entries"
    )
    cycle_start = models.DateField(_("cycle"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("date"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("counter change")
        verbose_name_plural = _("counter changes")
        constraints = [
            # A cycle's due is debited once.
            models.UniqueConstraint(
                fields=["membership", "cycle_start"],
                condition=Q(reason="due"),
                name="counterentry_one_due_per_cycle",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.delta:+d} ({self.reason})"


def _calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(TimeStampedModel):
    """A person's secret calendar address (iCal) of their duties and shifts; revoking it
    draws a new token, so the old address answers 404."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="work_calendar_feeds"
    )
    membership = models.OneToOneField(
        "orgs.Membership", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_calendar_token, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.membership)


class DutyCompensation(TimeStampedModel):
    """A défraiement credited to a person for their duties at one pickup, when it closes."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="duty_compensations"
    )
    pickup = models.ForeignKey(
        "sales.Pickup", on_delete=models.CASCADE, related_name="duty_compensations"
    )
    sale = models.ForeignKey("sales.Sale", on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="duty_compensations"
    )
    producer = models.ForeignKey(
        "catalog.Producer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    rule = models.CharField(_("rule"), max_length=20, choices=Compensation.choices)

    class Meta:
        ordering = ["pickup", "membership"]
        verbose_name = _("défraiement")
        verbose_name_plural = _("défraiements")
        constraints = [
            models.UniqueConstraint(
                fields=["pickup", "membership"], name="dutycompensation_once_per_pickup_person"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="dutycompensation_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} {format_money(self.amount)}"
