"""Orders and baskets.

An Order is one member's order in a sale, for one pickup (and one slot when the pickup has
slots). Its lines freeze the price and VAT rate of the moment. The database backs the rules:
one active order per member and sale, one number per sale, positive quantities.
A Basket is what a visitor or member is composing, kept on the server (it follows the member
across devices); when it edits an existing order, ``order`` says which.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cabas.catalog.units import price_text
from cabas.core import quantities
from cabas.core.models import TimeStampedModel
from cabas.core.money import format_quantity


class OrderQuerySet(models.QuerySet):
    def active(self):
        """Orders that count: every status but cancelled (``Order.active_sql`` says the same
        in plain SQL)."""
        return self.exclude(status=Order.Status.CANCELLED)

    def latest_elsewhere(self, *, organisation_id: int, user, sale):
        """A member's active orders of the organisation's other sales, the latest sale first:
        the shop's "last order" and the checkout's usual pickup point."""
        return (
            self.active()
            .filter(organisation_id=organisation_id, user=user)
            .exclude(sale=sale)
            .order_by("-sale__closes_at", "-pk")
        )


class Order(TimeStampedModel):
    class Status(models.TextChoices):
        # Collective: placed (to prepare) → ready → collected, or no-show.
        # Coop drive: placed (submitted) → picking → ready → collected.
        PLACED = "placed", _("to prepare")
        PICKING = "picking", _("being picked")
        READY = "ready", _("ready")
        COLLECTED = "collected", _("collected")
        NO_SHOW = "no_show", _("not collected (no-show)")
        CANCELLED = "cancelled", _("cancelled")

    # Orders a member may still change or cancel (before the cutoff).
    OPEN_STATUSES = (Status.PLACED,)
    # Orders whose pickup is over, one way or the other.
    DONE_STATUSES = (Status.COLLECTED, Status.NO_SHOW)

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="orders"
    )
    # No index of their own: the indexes and unique constraints below start with them, and every
    # order placed would otherwise update two more indexes.
    sale = models.ForeignKey(
        "sales.Sale", on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders", db_index=False
    )
    # Not guessable: the order's address in links (e-mails, QR codes, the API).
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Given last in the placing transaction (see services); NULL only inside it.
    number = models.PositiveIntegerField(_("number"), null=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLACED
    )
    pickup = models.ForeignKey(
        "sales.Pickup", verbose_name=_("pickup"), on_delete=models.PROTECT, related_name="orders"
    )
    slot = models.ForeignKey(
        "sales.Slot",
        verbose_name=_("slot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    note = models.TextField(_("note to the organisation"), blank=True)
    total = models.DecimalField(
        _("total incl. VAT"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text=_("Estimated while variable-weight items are not weighed."),
    )
    idempotency_key = models.CharField(max_length=80, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Car-boot pickup: the member says they are here (and where).
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    arrival_note = models.CharField(_("arrival note"), max_length=200, blank=True)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)
    # Set when the pickup is closed: the total is final (weighed, missing items removed).
    finalised_at = models.DateTimeField(_("final amount since"), null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.UniqueConstraint(
                fields=["sale", "user"],
                condition=~Q(status="cancelled"),
                name="order_one_active_per_member_and_sale",
                violation_error_message=_("You already have an order in this sale."),
            ),
            models.UniqueConstraint(fields=["sale", "number"], name="order_number_unique"),
            models.UniqueConstraint(
                fields=["user", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="order_idempotency_key_unique",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
        ]
        indexes = [models.Index(fields=["sale", "status"]), models.Index(fields=["user", "sale"])]

    def __str__(self) -> str:
        return f"{self.sale} · n° {self.number}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED

    @classmethod
    def active_sql(cls, alias: str) -> tuple[str, list[str]]:
        """``OrderQuerySet.active`` as a plain-SQL condition on the orders table under
        ``alias``, with its parameters, for the hot readers that skip the ORM."""
        return f"{alias}.status <> %s", [cls.Status.CANCELLED.value]

    @property
    def has_estimated_lines(self) -> bool:
        """Whether an amount of the order is still an estimate (a variable-weight line not
        weighed) while its total is not final (read on the lines as loaded)."""
        return not self.finalised_at and any(line.is_estimated for line in self.lines.all())

    @property
    def member_status_label(self) -> str:
        """The status in the member's words: "to prepare" is the volunteers' word, a member
        reads that the order is confirmed."""
        return str(MEMBER_STATUS_LABELS[self.status])


# What a member reads about their order (the team's statuses name their own work).
MEMBER_STATUS_LABELS = {
    Order.Status.PLACED: _("confirmed"),
    Order.Status.PICKING: _("being prepared"),
    Order.Status.READY: _("ready to collect"),
    Order.Status.COLLECTED: _("collected"),
    Order.Status.NO_SHOW: _("not collected"),
    Order.Status.CANCELLED: _("cancelled"),
}


class OrderLine(TimeStampedModel):
    """A product and a quantity, with the price, VAT rate and names of the moment."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # Indexed by the unique (order, sale_item) constraint, which starts with it.
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", db_index=False)
    # Indexed by (sale_item, producer), which starts with it (see Meta.indexes).
    sale_item = models.ForeignKey(
        "sales.SaleItem", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    producer = models.ForeignKey("catalog.Producer", on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(_("product"), max_length=200)
    unit_label = models.CharField(_("unit"), max_length=40, blank=True)
    unit_kind = models.CharField(_("sold"), max_length=10)
    # The product's content when the line was placed (see catalog.Product).
    content_quantity = models.DecimalField(
        _("content"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    content_unit = models.CharField(_("content unit"), max_length=2, blank=True)
    content_count = models.PositiveSmallIntegerField(_("items per pack"), default=1)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=3)
    unit_price = models.DecimalField(
        _("unit price incl. VAT"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Per unit or per kg; for a variable-weight item, the estimated piece price."),
    )
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=4, decimal_places=2)
    variable_weight = models.BooleanField(_("variable weight"), default=False)
    price_per_kg = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    estimated_weight_kg = models.DecimalField(max_digits=8, decimal_places=3, null=True, blank=True)
    amount = models.DecimalField(_("amount incl. VAT"), max_digits=10, decimal_places=2)
    # Distribution day: the weighed weight of a variable-weight item (the amount follows),
    # an item missing (amount 0), a substitution noted for the member.
    weighed_kg = models.DecimalField(
        _("weighed (kg)"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    is_missing = models.BooleanField(_("missing"), default=False)
    substitution_note = models.CharField(_("substitution"), max_length=200, blank=True)

    class Meta:
        ordering = ["order", "product_name", "pk"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        indexes = [
            # A producer's lines of one sale: its sale's items, then each item's lines of the
            # producer, as many as the sale has, where the index on the producer alone read
            # its lines of every past sale (cabas/orders/summaries.py).
            models.Index(fields=["sale_item", "producer"], name="orderline_item_producer"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["order", "sale_item"], name="orderline_unique_item"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orderline_quantity_positive"),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="orderline_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} · {self.quantity_text}"

    @property
    def unit(self) -> quantities.Unit:
        """The unit frozen on the line, with its weighed weight once weighed."""
        return quantities.unit_of(self, weighed_kg=self.weighed_kg)

    @property
    def quantity_text(self) -> str:
        """The line's quantity as everyone reads it: "4 × 250 g", "3 bottes", "1,2 kg"."""
        return format_quantity(self.quantity, self.unit)

    @property
    def text(self) -> str:
        """The product and its quantity: "Brousse de brebis · 4 × 250 g"."""
        return quantities.line_text(self.product_name, self.quantity, self.unit)

    @property
    def is_estimated(self) -> bool:
        """A variable-weight line not yet weighed: its amount is an estimate (a missing
        line's amount is 0, final)."""
        return self.variable_weight and self.weighed_kg is None and not self.is_missing

    @property
    def unit_price_text(self) -> str:
        """The frozen price, with its reference price: "12,50 € · 16,67 €/L"."""
        return price_text(self.unit_price, self.unit, price_per_kg=self.price_per_kg)


class OrderEvent(models.Model):
    """The audit trail of an order: who did what, when, with the values before and after."""

    class Kind(models.TextChoices):
        PLACED = "placed", _("placed")
        CHANGED = "changed", _("changed by the member")
        CANCELLED = "cancelled", _("cancelled")
        MOVED = "moved", _("moved to another place or time")
        ARRIVED = "arrived", _("arrived")
        PICKING = "picking", _("picking started")
        READY = "ready", _("ready")
        COLLECTED = "collected", _("collected")
        NO_SHOW = "no_show", _("no-show")
        WEIGHED = "weighed", _("weighed")
        MISSING = "missing", _("item missing")
        SUBSTITUTION = "substitution", _("substitution")
        LINE_ADDED = "line_added", _("line added")
        LINE_REMOVED = "line_removed", _("line removed")
        PRICE_CHANGED = "price_changed", _("price changed")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # Indexed by the (order, at) index, which starts with it.
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    # Decimals and dates are kept as text (DjangoJSONEncoder).
    detail = models.JSONField(_("detail"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "at", "pk"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        indexes = [models.Index(fields=["order", "at"])]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"


class SaleOrderCounter(models.Model):
    """The last order number given in a sale (numbers are 1, 2, 3… per sale)."""

    sale = models.OneToOneField(
        "sales.Sale", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("order counter")
        verbose_name_plural = _("order counters")

    def __str__(self) -> str:
        return f"{self.sale_id}: {self.last_number}"


class Basket(TimeStampedModel):
    """What someone is composing for a sale: a member's (any device) or a visitor's (their
    session), or an existing order being changed."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    sale = models.ForeignKey("sales.Sale", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="baskets",
    )
    session_key = models.CharField(max_length=64, blank=True)
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("basket")
        verbose_name_plural = _("baskets")
        constraints = [
            models.UniqueConstraint(
                fields=["sale", "user"], condition=Q(user__isnull=False), name="basket_one_per_user"
            ),
            models.UniqueConstraint(
                fields=["sale", "session_key"],
                condition=Q(user__isnull=True),
                name="basket_one_per_session",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(session_key=""), name="basket_has_an_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sale} · {self.user or self.session_key[:8]}"


class BasketLine(TimeStampedModel):
    basket = models.ForeignKey(Basket, on_delete=models.CASCADE, related_name="lines")
    sale_item = models.ForeignKey("sales.SaleItem", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=3)

    class Meta:
        ordering = ["basket", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["basket", "sale_item"], name="basketline_unique_item"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="basketline_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sale_item_id} × {self.quantity}"
