"""The places and the rules that create sales: pickup points, the sales settings, closing
days, schedules and the drive's opening hours."""

from datetime import time, timedelta
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cabas.core.models import TimeStampedModel


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class SlotMode(models.TextChoices):
    """How a pickup limits the number of orders."""

    SLOTS = "slots", _("time slots, each with a capacity")
    CAPACITY = "capacity", _("one capacity for the whole pickup")
    UNLIMITED = "unlimited", _("unlimited")


class PickupPoint(TimeStampedModel):
    """A place where orders are collected: a village hall, a farm, the shop."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="pickup_points"
    )
    name = models.CharField(_("name"), max_length=150)
    address = models.CharField(_("address"), max_length=255)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    access_instructions = models.TextField(
        _("access instructions"),
        blank=True,
        help_text=_('e.g. "collect at the car boot, town-hall car park"'),
    )
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    car_boot_pickup = models.BooleanField(
        _("pickup from the car"),
        default=False,
        help_text=_(
            "Members waiting in their car say they have arrived (on the pickup's day) and a "
            "volunteer brings their order out."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("pickup point")
        verbose_name_plural = _("pickup points")

    def __str__(self) -> str:
        return self.name

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class SalesSettings(TimeStampedModel):
    """Per-organisation defaults for its sales (the organisation model belongs to orgs)."""

    organisation = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="sales_settings"
    )
    minimum_order_amount = models.DecimalField(
        _("minimum order amount"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Default for every sale; 0 means no minimum."),
    )

    class Meta:
        ordering = ["organisation"]
        verbose_name = _("sales settings")
        verbose_name_plural = _("sales settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_order_amount__gte=0),
                name="salessettings_minimum_not_negative",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class ClosingPeriod(TimeStampedModel):
    """Days when the organisation distributes nothing (holidays): schedules and the drive skip
    them."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="closing_periods"
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=150, blank=True)

    class Meta:
        ordering = ["first_day"]
        verbose_name = _("closing days")
        verbose_name_plural = _("closing days")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="closingperiod_last_day_after_first",
                violation_error_message=_("The last day cannot be before the first day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_day} – {self.last_day}"


class Schedule(TimeStampedModel):
    """A recurring rule creating one sale per cycle (every week or every N weeks), with its
    pickups; opening and cutoff are set relative to the first pickup of the cycle."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="schedules"
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("Used as the title of each sale, with its date.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    every_n_weeks = models.PositiveSmallIntegerField(_("every … weeks"), default=1)
    first_week = models.DateField(
        _("starting the week of"),
        help_text=_("With a sale every 2 weeks or more: the weeks are counted from this one."),
    )
    opens_days_before = models.PositiveSmallIntegerField(
        _("orders open … days before the first pickup"), default=7
    )
    opens_time = models.TimeField(_("at"), default=time(8, 0))
    closes_days_before = models.PositiveSmallIntegerField(
        _("orders close … days before the first pickup"), default=2
    )
    closes_time = models.TimeField(_("at"), default=time(23, 59))
    weeks_ahead = models.PositiveSmallIntegerField(_("prepare sales … weeks ahead"), default=4)
    minimum_order_amount = models.DecimalField(
        _("minimum order amount"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty to use the organisation's default."),
    )
    note_to_members = models.TextField(_("note to members"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(every_n_weeks__gte=1), name="schedule_every_n_weeks_positive"
            ),
            models.CheckConstraint(
                condition=Q(weeks_ahead__gte=1) & Q(weeks_ahead__lte=26),
                name="schedule_weeks_ahead_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlaceSettings(models.Model):
    """How a pickup counts its orders, the same for a schedule's pickup and a sale's: in slots
    (``slot_minutes`` long, ``slot_capacity`` orders each), one ``capacity`` for the whole
    pickup, or unlimited."""

    slot_mode = models.CharField(
        _("orders per pickup"), max_length=20, choices=SlotMode.choices, default=SlotMode.SLOTS
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), null=True, blank=True
    )
    slot_capacity = models.PositiveIntegerField(_("orders per slot"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("orders for the pickup"), null=True, blank=True)

    class Meta:
        abstract = True


class SchedulePickup(PlaceSettings, TimeStampedModel):
    """One pickup of each cycle of a schedule: a point, a weekday, hours and slot settings."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="pickups")
    pickup_point = models.ForeignKey(
        PickupPoint, verbose_name=_("pickup point"), on_delete=models.PROTECT, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts_time = models.TimeField(pgettext_lazy("time", "from"))
    ends_time = models.TimeField(pgettext_lazy("time", "to"))

    class Meta:
        ordering = ["weekday", "starts_time", "pickup_point__name"]
        verbose_name = _("pickup of a schedule")
        verbose_name_plural = _("pickups of a schedule")

    def __str__(self) -> str:
        return f"{self.pickup_point} · {self.get_weekday_display()} {self.starts_time:%H:%M}"


class Drive(TimeStampedModel):
    """Drive mode (cooperative grocery): one sale per opening day, its slots taken from the
    opening hours, each slot bookable until a lead time before it starts."""

    organisation = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="drive"
    )
    is_active = models.BooleanField(_("active"), default=True)
    name = models.CharField(_("name"), max_length=120, default="Drive")
    pickup_point = models.ForeignKey(
        PickupPoint, verbose_name=_("pickup point"), on_delete=models.PROTECT, related_name="+"
    )
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=15)
    slot_capacity = models.PositiveIntegerField(_("orders per slot"), default=1)
    lead_time_minutes = models.PositiveIntegerField(
        _("minimum time between ordering and the slot (minutes)"), default=120
    )
    days_ahead = models.PositiveSmallIntegerField(_("open slots … days ahead"), default=7)

    class Meta:
        ordering = ["organisation"]
        verbose_name = _("drive")
        verbose_name_plural = _("drives")
        constraints = [
            models.CheckConstraint(condition=Q(slot_minutes__gt=0), name="drive_slot_positive"),
            models.CheckConstraint(
                condition=Q(slot_capacity__gt=0), name="drive_slot_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(days_ahead__gte=1) & Q(days_ahead__lte=60),
                name="drive_days_ahead_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.organisation}"

    @property
    def lead_time(self) -> timedelta:
        return timedelta(minutes=self.lead_time_minutes)


class DriveHours(TimeStampedModel):
    """One opening range of the drive on a weekday (a day may have several)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="drive_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts_time = models.TimeField(pgettext_lazy("time", "from"))
    ends_time = models.TimeField(pgettext_lazy("time", "to"))

    class Meta:
        ordering = ["weekday", "starts_time"]
        verbose_name = _("drive opening hours")
        verbose_name_plural = _("drive opening hours")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "weekday", "starts_time"], name="drivehours_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_time__gt=F("starts_time")), name="drivehours_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_time:%H:%M}–{self.ends_time:%H:%M}"
