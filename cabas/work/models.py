"""The people who make distributions happen: duties at pickups and coop work shifts.

Why one model for both (``WorkPeriod``, "a time someone works"): a collective's duty
("préparation des paniers" at a pickup, 14:00–16:00, 3 places) and a coop's shift (Tuesday
of week B, 9:00–12:00, "réception", 4 places) are the same thing to the people doing them:
a task, a time, a number of places, people signed up, then present or absent. Sign-up,
withdrawal, "replacement wanted", swaps, attendance, reminders, the calendar feed and the
reports are written once. What differs is where a period comes from (``kind``: a
``DutyTemplate`` applied to a pickup, or a ``ShiftTemplate`` of the cycle) and what
attendance does afterwards (a shift moves the member's counter; a duty may earn a producer
a défraiement when its pickup closes).

Places are a counter on the period (``taken``), changed by conditional UPDATEs with a
CheckConstraint as a backstop, like the slots' places: a duty with 2 places never gets 3
people, whatever the concurrency.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cabas.core.models import TimeStampedModel
from cabas.sales.models import Weekday


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


class TaskType(TimeStampedModel):
    """What is done during a period: "préparation des paniers", "accueil", "caisse"."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="task_types"
    )
    name = models.CharField(_("name"), max_length=100)
    instructions = models.TextField(
        _("what to bring, what to know"), blank=True, help_text=_("Sent in the reminder.")
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("task type")
        verbose_name_plural = _("task types")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="tasktype_unique_name_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DutyTemplate(TimeStampedModel):
    """A duty every pickup needs: at one pickup point, or (no point) at every pickup of the
    organisation. Each new pickup gets its duties from these, so weekly sales need no click."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="duty_templates"
    )
    pickup_point = models.ForeignKey(
        "sales.PickupPoint",
        verbose_name=_("pickup point"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="duty_templates",
        help_text=_("Empty: every pickup point."),
    )
    task_type = models.ForeignKey(
        TaskType, verbose_name=_("task"), on_delete=models.PROTECT, related_name="+"
    )
    during_pickup = models.BooleanField(
        _("during the pickup's hours"),
        default=False,
        help_text=_("Otherwise from and until the times below, on the pickup's day."),
    )
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("until"), null=True, blank=True)
    places = models.PositiveSmallIntegerField(
        _("people needed"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["pickup_point", "start_time", "pk"]
        verbose_name = _("duty needed at each pickup")
        verbose_name_plural = _("duties needed at each pickup")
        constraints = [
            models.CheckConstraint(
                condition=Q(during_pickup=True)
                | Q(start_time__isnull=False, end_time__isnull=False, end_time__gt=F("start_time")),
                name="dutytemplate_has_hours",
                violation_error_message=_("Give the hours of the duty, or choose the pickup's."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_type} × {self.places}"


class ShiftTemplate(TimeStampedModel):
    """A shift that comes back every cycle: week (A, B…), day, hours, task, places."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="shift_templates"
    )
    week = models.PositiveSmallIntegerField(
        _("week of the cycle"), default=0, validators=[MaxValueValidator(11)]
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    task_type = models.ForeignKey(
        TaskType, verbose_name=_("task"), on_delete=models.PROTECT, related_name="+"
    )
    places = models.PositiveSmallIntegerField(
        _("places"), default=4, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["week", "weekday", "start_time", "pk"]
        verbose_name = _("shift of the cycle")
        verbose_name_plural = _("shifts of the cycle")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="shifttemplate_ends_after_start",
                violation_error_message=_("A shift must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{week_letter(self.week)} {Weekday(self.weekday).label} "
            f"{self.start_time:%H:%M}–{self.end_time:%H:%M} {self.task_type}"
        )


class WorkPeriodQuerySet(models.QuerySet):
    def duties(self):
        return self.filter(kind=WorkPeriod.Kind.DUTY)

    def shifts(self):
        return self.filter(kind=WorkPeriod.Kind.SHIFT)

    def upcoming(self, now):
        return self.filter(ends_at__gt=now, is_cancelled=False)

    def unfilled(self):
        return self.filter(taken__lt=F("places"))


class WorkPeriod(TimeStampedModel):
    """A time someone works: a duty at a pickup, or a dated shift of the coop's cycle."""

    class Kind(models.TextChoices):
        DUTY = "duty", _("duty")
        SHIFT = "shift", _("shift")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="work_periods"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    task_type = models.ForeignKey(
        TaskType, verbose_name=_("task"), on_delete=models.PROTECT, related_name="periods"
    )
    pickup = models.ForeignKey(
        "sales.Pickup",
        verbose_name=_("pickup"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="duties",
    )
    duty_template = models.ForeignKey(
        DutyTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="periods"
    )
    shift_template = models.ForeignKey(
        ShiftTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="periods"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    places = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    taken = models.PositiveSmallIntegerField(_("places taken"), default=0, editable=False)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    gap_alert_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = WorkPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("duty or shift")
        verbose_name_plural = _("duties and shifts")
        indexes = [models.Index(fields=["organisation", "starts_at"], name="workperiod_org_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=F("places")),
                name="workperiod_taken_within_places",
                violation_error_message=_("Every place of this duty is taken."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="workperiod_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind="shift") | Q(pickup__isnull=False), name="workperiod_duty_pickup"
            ),
            # Generation is idempotent: one period per template and pickup, or per template
            # and start.
            models.UniqueConstraint(
                fields=["duty_template", "pickup"],
                condition=Q(duty_template__isnull=False),
                name="workperiod_one_per_duty_template_and_pickup",
            ),
            models.UniqueConstraint(
                fields=["shift_template", "starts_at"],
                condition=Q(shift_template__isnull=False),
                name="workperiod_one_per_shift_template_and_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_type} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def remaining(self) -> int:
        return max(self.places - self.taken, 0)

    @property
    def hours(self) -> Decimal:
        seconds = Decimal((self.ends_at - self.starts_at).total_seconds())
        return (seconds / 3600).quantize(Decimal("0.01"))


class SignupQuerySet(models.QuerySet):
    def holding(self):
        """Sign-ups that hold a place (signed up, or looking for a replacement)."""
        return self.filter(state__in=Signup.HOLDING)


class Signup(TimeStampedModel):
    """A person on a period: signed up (or assigned), looking for a replacement, withdrawn,
    or handed over to the person who took their place; then their attendance."""

    class State(models.TextChoices):
        SIGNED = "signed", _("signed up")
        REPLACEMENT_WANTED = "replacement_wanted", _("replacement wanted")
        HANDED_OVER = "handed_over", _("replaced")
        WITHDRAWN = "withdrawn", _("withdrawn")

    HOLDING = (State.SIGNED, State.REPLACEMENT_WANTED)

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("not recorded")
        PRESENT = "present", _("present")
        EXCUSED = "excused", _("absent, excused")
        ABSENT = "absent", _("absent without notice")
        REPLACED = "replaced", _("replaced on the day")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="work_signups"
    )
    period = models.ForeignKey(WorkPeriod, on_delete=models.CASCADE, related_name="signups")
    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="work_signups"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default="signed")
    is_regular = models.BooleanField(
        _("regular shift"), default=False, help_text=_("Booked by the cycle, not by the person.")
    )
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    substitute = models.ForeignKey(
        "orgs.Membership",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who came instead, on the day."),
    )
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attendance_at = models.DateTimeField(null=True, blank=True)

    objects = SignupQuerySet.as_manager()

    class Meta:
        ordering = ["period", "created_at", "pk"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "membership"],
                condition=Q(state__in=["signed", "replacement_wanted"]),
                name="signup_one_holding_per_person_and_period",
                violation_error_message=_("This person is already on this duty."),
            ),
            models.CheckConstraint(
                condition=Q(attendance="replaced", substitute__isnull=False)
                | (~Q(attendance="replaced") & Q(substitute__isnull=True)),
                name="signup_replaced_has_substitute",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.period}"

    @property
    def holds_place(self) -> bool:
        return self.state in self.HOLDING


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
        return f"{self.membership} {self.amount}"
