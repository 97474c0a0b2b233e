"""Sales, their pickups and slots, and what they offer.

Counters (``Slot.booked``, ``Pickup.booked``, ``SaleItem.quantity_ordered``) are only ever
changed with conditional ``UPDATE``s and ``F()`` expressions (see ``services/booking.py``), and
the database refuses a counter above its limit (check constraints), so a bug becomes an error,
never an overbooked slot.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import DateTimeField, ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cabas.core.models import TimeStampedModel

from .plans import PickupPoint, PlaceSettings, Schedule, SlotMode


def taking_orders_q(now, prefix: str = "") -> Q:
    """The one rule "the sale takes orders now", as a filter on a sale reached through
    ``prefix`` (e.g. ``"pickup__sale__"``): open, already opened, before its cutoff."""
    return Q(
        **{
            f"{prefix}status": Sale.Status.OPEN,
            f"{prefix}opens_at__lte": now,
            f"{prefix}closes_at__gt": now,
        }
    )


class SaleQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def taking_orders(self, now):
        """Sales that take orders at ``now`` (see ``Sale.takes_orders``)."""
        return self.filter(taking_orders_q(now))

    def due_to_open(self, now):
        return self.filter(status=Sale.Status.SCHEDULED, opens_at__lte=now, closes_at__gt=now)

    def due_to_close(self, now):
        return self.filter(status__in=[Sale.Status.SCHEDULED, Sale.Status.OPEN], closes_at__lte=now)


class Sale(TimeStampedModel):
    """One order cycle: opens, closes at the cutoff, then is distributed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        OPEN = "open", _("open")
        CLOSED = "closed", pgettext_lazy("sale", "closed")
        DISTRIBUTED = "distributed", _("distributed")
        ARCHIVED = "archived", _("archived")

    class Kind(models.TextChoices):
        ORDER_CYCLE = "order_cycle", _("order cycle")
        DRIVE = "drive", _("drive day")

    # Once closed, the dates are history: summaries and orders refer to them.
    DATES_LOCKED = (Status.CLOSED, Status.DISTRIBUTED, Status.ARCHIVED)

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="sales"
    )
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.ORDER_CYCLE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    opens_at = models.DateTimeField(_("orders open at"))
    closes_at = models.DateTimeField(_("orders close at (cutoff)"))
    minimum_order_amount = models.DecimalField(
        _("minimum order amount"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty to use the organisation's default."),
    )
    note_to_members = models.TextField(_("note to members"), blank=True)
    schedule = models.ForeignKey(
        Schedule,
        verbose_name=_("schedule"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sales",
    )
    # The cycle a generator made this sale for (Monday of the week, or the drive day): makes
    # generation idempotent.
    occurrence_date = models.DateField(null=True, blank=True, editable=False)
    excluded_producers = models.ManyToManyField(
        "catalog.Producer", verbose_name=_("excluded producers"), blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    after_cutoff_at = models.DateTimeField(
        _("after-cutoff work done at"), null=True, blank=True, editable=False
    )

    objects = SaleQuerySet.as_manager()

    class Meta:
        ordering = ["-closes_at"]
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="sale_closes_after_opening",
                violation_error_message=_("The sale must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(minimum_order_amount__isnull=True) | Q(minimum_order_amount__gte=0),
                name="sale_minimum_not_negative",
            ),
            models.UniqueConstraint(
                fields=["schedule", "occurrence_date"],
                condition=Q(schedule__isnull=False),
                name="sale_one_per_schedule_cycle",
            ),
            models.UniqueConstraint(
                fields=["organisation", "occurrence_date"],
                condition=Q(kind="drive"),
                name="sale_one_drive_sale_per_day",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "opens_at"]),
            models.Index(fields=["status", "closes_at"]),
            models.Index(fields=["organisation", "status", "closes_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def dates_locked(self) -> bool:
        return self.status in self.DATES_LOCKED

    def takes_orders(self, now: datetime) -> bool:
        """The sale takes orders (and basket changes) at ``now``: open, already opened, before
        its cutoff. ``taking_orders_q`` is the same rule for queries."""
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at


class PickupQuerySet(models.QuerySet):
    def overlapping(self, *, pickup_point_id, starts_at, ends_at):
        return self.filter(
            pickup_point_id=pickup_point_id, starts_at__lt=ends_at, ends_at__gt=starts_at
        )


class Pickup(PlaceSettings, TimeStampedModel):
    """A pickup point on a date with opening hours, inside a sale."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="pickups")
    pickup_point = models.ForeignKey(
        PickupPoint,
        verbose_name=_("pickup point"),
        on_delete=models.PROTECT,
        related_name="pickups",
    )
    starts_at = models.DateTimeField(pgettext_lazy("time", "from"))
    ends_at = models.DateTimeField(pgettext_lazy("time", "to"))
    # Orders booked at this pickup (in any of its slots): changed only with F() expressions.
    booked = models.PositiveIntegerField(_("booked"), default=0, editable=False)
    # Drive mode: a slot can be booked until this long before it starts.
    lead_time = models.DurationField(_("lead time"), default=timedelta(0))
    # Distribution day is over here: every order collected or no-show, amounts final.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    objects = PickupQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pickup_point__name"]
        verbose_name = _("pickup")
        verbose_name_plural = _("pickups")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="pickup_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(booked__gte=0), name="pickup_booked_not_negative"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="pickup_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(booked__lte=F("capacity")),
                name="pickup_booked_within_capacity",
            ),
            models.CheckConstraint(
                condition=~Q(slot_mode="capacity") | Q(capacity__isnull=False),
                name="pickup_capacity_mode_has_capacity",
            ),
            models.CheckConstraint(
                condition=~Q(slot_mode="slots") | (Q(slot_minutes__gt=0) & Q(slot_capacity__gt=0)),
                name="pickup_slot_mode_has_slot_settings",
            ),
        ]
        indexes = [models.Index(fields=["pickup_point", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.pickup_point} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def has_slots(self) -> bool:
        return self.slot_mode == SlotMode.SLOTS

    def bookable_until(self, starts_at: datetime | None = None) -> datetime:
        """The last moment a place starting at ``starts_at`` (a slot's start; the pickup's own
        by default) can be booked: its start minus the pickup's lead time.
        ``SlotQuerySet.with_bookable_until`` is the same rule for queries."""
        return (starts_at or self.starts_at) - self.lead_time

    def bookable_at(self, now: datetime, starts_at: datetime | None = None) -> bool:
        """The lead time of the place starting at ``starts_at`` has not passed at ``now``."""
        return now <= self.bookable_until(starts_at)


class SlotQuerySet(models.QuerySet):
    def with_bookable_until(self):
        return self.annotate(
            bookable_until=ExpressionWrapper(
                F("starts_at") - F("pickup__lead_time"), output_field=DateTimeField()
            )
        )

    def bookable(self, now):
        """Slots a member can book at ``now``: open sale before its cutoff, open slot with room,
        lead time not passed."""
        return self.with_bookable_until().filter(
            taking_orders_q(now, "pickup__sale__"),
            is_open=True,
            booked__lt=F("capacity"),
            bookable_until__gte=now,
        )


class Slot(TimeStampedModel):
    """A time window of a pickup with a capacity (orders); ``booked`` never exceeds it."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    pickup = models.ForeignKey(Pickup, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(pgettext_lazy("time", "from"))
    ends_at = models.DateTimeField(pgettext_lazy("time", "to"))
    capacity = models.PositiveIntegerField(_("capacity"))
    booked = models.PositiveIntegerField(_("booked"), default=0, editable=False)
    is_open = models.BooleanField(_("open"), default=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["pickup", "starts_at"], name="slot_unique_start"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="slot_capacity_positive"),
            models.CheckConstraint(condition=Q(booked__gte=0), name="slot_booked_not_negative"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="slot_booked_within_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def remaining(self) -> int:
        return self.capacity - self.booked


class SaleItemQuerySet(models.QuerySet):
    def offered(self):
        """Items members can order: not excluded, not marked unavailable, product active."""
        return self.filter(is_excluded=False, is_unavailable=False, product__is_active=True)


class SaleItem(TimeStampedModel):
    """A product offered in a sale, with an optional quantity available.

    ``quantity_ordered`` is the sum of the quantities in placed orders; it only changes with a
    conditional UPDATE, and the database refuses it above ``quantity_available``.
    """

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    is_excluded = models.BooleanField(_("left out by a coordinator"), default=False)
    is_unavailable = models.BooleanField(_("unavailable (producer)"), default=False)
    quantity_available = models.DecimalField(
        _("quantity available"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Leave empty when the quantity is not limited."),
    )
    # A price corrected for this sale only after the cutoff (e.g. a producer's mistake).
    price_override = models.DecimalField(
        _("price for this sale"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    quantity_ordered = models.DecimalField(
        _("quantity ordered"), max_digits=10, decimal_places=3, default=Decimal("0"), editable=False
    )

    objects = SaleItemQuerySet.as_manager()

    class Meta:
        ordering = ["sale", "product__name"]
        verbose_name = _("product in a sale")
        verbose_name_plural = _("products in a sale")
        constraints = [
            models.UniqueConstraint(fields=["sale", "product"], name="saleitem_unique_product"),
            models.CheckConstraint(
                condition=Q(quantity_ordered__gte=0), name="saleitem_ordered_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(quantity_available__isnull=True) | Q(quantity_available__gte=0),
                name="saleitem_available_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(quantity_available__isnull=True)
                | Q(quantity_ordered__lte=F("quantity_available")),
                name="saleitem_ordered_within_available",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.sale}"

    @property
    def quantity_remaining(self) -> Decimal | None:
        if self.quantity_available is None:
            return None
        return self.quantity_available - self.quantity_ordered
