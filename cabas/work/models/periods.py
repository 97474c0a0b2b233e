"""What is done and when: task types, the templates that make duties and shifts, the dated
periods and the people signed up on them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cabas.core.models import TimeStampedModel
from cabas.sales.models import Weekday

from .rules import week_letter


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
    start_time = models.TimeField(pgettext_lazy("time", "from"), null=True, blank=True)
    end_time = models.TimeField(pgettext_lazy("time", "until"), null=True, blank=True)
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
    start_time = models.TimeField(pgettext_lazy("time", "from"))
    end_time = models.TimeField(pgettext_lazy("time", "until"))
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
        # "semaine A, mercredi 14:00–17:00, Mise en rayon": a bare "A mercredi" puzzled members.
        return _("week %(letter)s, %(day)s %(start)s–%(end)s, %(task)s") % {
            "letter": week_letter(self.week),
            "day": Weekday(self.weekday).label,
            "start": f"{self.start_time:%H:%M}",
            "end": f"{self.end_time:%H:%M}",
            "task": self.task_type,
        }


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
    starts_at = models.DateTimeField(pgettext_lazy("time", "from"))
    ends_at = models.DateTimeField(pgettext_lazy("time", "until"))
    places = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    taken = models.PositiveSmallIntegerField(_("places taken"), default=0, editable=False)
    is_cancelled = models.BooleanField(pgettext_lazy("shift", "cancelled"), default=False)
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
