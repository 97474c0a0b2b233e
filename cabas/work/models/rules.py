"""The organisation's rules for duties, shifts, counters and défraiement."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cabas.core.models import TimeStampedModel


class DutyAudience(models.TextChoices):
    VOLUNTEERS = "volunteers", _("volunteers (and coordinators)")
    MEMBERS = "members", _("all members")


class Compensation(models.TextChoices):
    NONE = "none", _("no défraiement")
    PER_RUN = "per_run", _("an amount per distribution run")
    PER_HOUR = "per_hour", _("an amount per hour of duty")


class CompensationFor(models.TextChoices):
    PRODUCERS = "producers", _("producers on duty")
    EVERYONE = "everyone", _("everyone on duty")


def _cycle_start_default() -> date:
    return date(2024, 1, 1)  # a Monday: week A of every cycle counted from it


class WorkSettings(TimeStampedModel):
    """Per-organisation rules for duties, shifts, counters and défraiement."""

    organisation = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="work_settings"
    )
    # Duties
    duties_open_to = models.CharField(
        _("duties are open to"),
        max_length=20,
        choices=DutyAudience.choices,
        default=DutyAudience.VOLUNTEERS,
    )
    withdraw_hours_before = models.PositiveIntegerField(
        _("withdrawal possible until (hours before)"),
        default=48,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("Later, the person must find a replacement."),
    )
    reminder_days_before = models.PositiveIntegerField(
        _("reminder (days before)"), default=1, validators=[MaxValueValidator(60)]
    )
    gap_alert_days_before = models.PositiveIntegerField(
        _("alert coordinators of an unfilled duty (days before)"),
        default=3,
        validators=[MaxValueValidator(60)],
    )
    # Shifts
    cycle_weeks = models.PositiveSmallIntegerField(
        _("weeks in a cycle"), default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    cycle_starts_on = models.DateField(
        _("first day of a week A"),
        default=_cycle_start_default,
        help_text=_("A Monday; the cycles follow each other from it."),
    )
    shifts_ahead_weeks = models.PositiveSmallIntegerField(
        _("shifts prepared ahead (weeks)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
    )
    points_done = models.PositiveSmallIntegerField(_("points for a shift done"), default=1)
    points_missed = models.PositiveSmallIntegerField(
        _("points lost for a missed shift (excused: a make-up to do)"), default=1
    )
    points_unexcused = models.PositiveSmallIntegerField(
        _("points lost for a missed shift without notice"), default=2
    )
    suspended_at = models.SmallIntegerField(
        _("suspended at or below"),
        default=-2,
        validators=[MaxValueValidator(-1)],
        help_text=_("A counter at or below this number suspends the member."),
    )
    alert_days = models.PositiveSmallIntegerField(
        _("days in alert before suspension"),
        default=28,
        help_text=_("A member whose counter stays below zero longer than this is suspended."),
    )
    shift_status_required = models.BooleanField(
        _("only members up to date with their shifts may order"), default=False
    )
    # Défraiement
    compensation = models.CharField(
        _("défraiement"), max_length=20, choices=Compensation.choices, default=Compensation.NONE
    )
    compensation_amount = models.DecimalField(
        _("défraiement amount"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    compensation_for = models.CharField(
        _("défraiement for"),
        max_length=20,
        choices=CompensationFor.choices,
        default=CompensationFor.PRODUCERS,
    )

    class Meta:
        verbose_name = _("duties and shifts settings")
        verbose_name_plural = _("duties and shifts settings")

    def __str__(self) -> str:
        return str(self.organisation)

    def cycle_week(self, day: date) -> int:
        """Which week of the cycle ``day`` falls in (0 is week A)."""
        return ((day - self.cycle_starts_on).days // 7) % self.cycle_weeks

    def cycle_start(self, day: date) -> date:
        """The first day of the cycle ``day`` falls in."""
        length = 7 * self.cycle_weeks
        return day - timedelta(days=(day - self.cycle_starts_on).days % length)


def week_letter(index: int) -> str:
    return "ABCDEFGHIJKL"[index]
