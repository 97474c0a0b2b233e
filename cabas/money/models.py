"""Money: membership fees and shares, and each member's account as a list of entries.

Invariant 7 (docs/design.md): money is never created or lost. Every amount due and every payment
is an AccountEntry; a member's balance is the sum of their entries (positive: credit,
negative: owed), less their orders whose pickup is not closed yet (their debit entry is
written at the close), never a stored number (``selectors.balance_expression``). Entries
are never edited: a mistake is corrected by another entry (a refund, with its reason).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cabas.core.models import TimeStampedModel
from cabas.core.money import format_money


class MoneySettings(TimeStampedModel):
    """An organisation's membership fee, renewal rule, shares and commission."""

    class Renewal(models.TextChoices):
        FIXED_DATE = "fixed_date", _("every year on a fixed date")
        ROLLING = "rolling", _("12 months from the payment")

    organisation = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="money_settings"
    )
    membership_fee = models.DecimalField(
        _("membership fee"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        help_text=_("0: membership is free and never expires."),
    )
    renewal = models.CharField(
        _("renewal"), max_length=20, choices=Renewal.choices, default=Renewal.FIXED_DATE
    )
    renewal_month = models.PositiveSmallIntegerField(_("renewal month"), default=9)
    renewal_day = models.PositiveSmallIntegerField(_("renewal day"), default=1)
    share_price = models.DecimalField(
        _("price of a share"), max_digits=10, decimal_places=2, null=True, blank=True,
        help_text=_("Cooperatives: the price of one share (part sociale), e.g. 10 €."),
    )  # fmt: skip
    shares_minimum = models.PositiveIntegerField(_("minimum shares per member"), default=0)
    commission_percent = models.DecimalField(
        _("commission (%)"), max_digits=5, decimal_places=2, default=Decimal("0.00"),
        help_text=_("What the organisation keeps on producers' sales."),
    )  # fmt: skip
    cash_float = models.DecimalField(
        _("cash float"), max_digits=10, decimal_places=2, default=Decimal("0.00"),
        help_text=_("The change in the cash box at the start of each pickup."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("money settings")
        verbose_name_plural = _("money settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(membership_fee__gte=0), name="moneysettings_fee_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(commission_percent__gte=0) & Q(commission_percent__lt=100),
                name="moneysettings_commission_between_0_and_100",
            ),
            models.CheckConstraint(
                condition=Q(renewal_month__gte=1)
                & Q(renewal_month__lte=12)
                & Q(renewal_day__gte=1)
                & Q(renewal_day__lte=28),
                name="moneysettings_renewal_date_valid",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class MembershipPeriod(TimeStampedModel):
    """A membership year: from, until, the fee, and whether it is paid (by an entry)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="membership_periods"
    )
    membership = models.ForeignKey(
        "orgs.Membership", on_delete=models.CASCADE, related_name="periods"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    fee = models.DecimalField(_("fee"), max_digits=10, decimal_places=2)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        ordering = ["membership", "-starts_on"]
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="period_ends_after_start"
            ),
            models.UniqueConstraint(fields=["membership", "starts_on"], name="period_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.starts_on}–{self.ends_on}"


class ShareMovement(TimeStampedModel):
    """The register of shares (parts sociales): subscriptions, transfers and refunds. A
    member's holding is the sum of their movements."""

    class Kind(models.TextChoices):
        SUBSCRIPTION = "subscription", _("subscription")
        TRANSFER_IN = "transfer_in", _("transfer received")
        TRANSFER_OUT = "transfer_out", _("transfer given")
        REFUND = "refund", _("refund")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="share_movements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="share_movements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    quantity = models.IntegerField(_("shares"), help_text=_("Positive in, negative out."))
    unit_price = models.DecimalField(_("price of a share"), max_digits=10, decimal_places=2)
    on = models.DateField(_("date"))
    counterpart = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("other member (transfer)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "-on", "-pk"]
        verbose_name = _("share movement")
        verbose_name_plural = _("share movements")
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="share_movement_not_zero"),
            models.CheckConstraint(
                condition=(Q(kind__in=["subscription", "transfer_in"]) & Q(quantity__gt=0))
                | (Q(kind__in=["transfer_out", "refund"]) & Q(quantity__lt=0)),
                name="share_movement_sign_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.quantity:+}"


class AccountEntry(models.Model):
    """One line of a member's account in an organisation. ``amount`` is signed from the
    member's side: what they owe is negative (an order, a fee, shares), what they pay is
    positive; a refund of credit is negative. Balance = sum of amounts."""

    class Kind(models.TextChoices):
        ORDER = "order", _("order")
        MEMBERSHIP = "membership", _("membership fee")
        # Negative when shares are subscribed; positive when the organisation buys them
        # back (it then owes their price, paid out by a refund entry).
        SHARES = "shares", _("shares")
        PAYMENT = "payment", _("payment")
        REFUND = "refund", _("refund")

    class Method(models.TextChoices):
        CASH = "cash", _("cash")
        CHEQUE = "cheque", _("cheque")
        CARD = "card", _("card terminal")
        TRANSFER = "transfer", _("bank transfer")
        UNRESOLVED = "unresolved", _("to be settled (method unknown)")

    DUES = (Kind.ORDER, Kind.MEMBERSHIP, Kind.SHARES)

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="account_entries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, blank=True)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    pickup = models.ForeignKey(
        "sales.Pickup", on_delete=models.PROTECT, null=True, blank=True, related_name="entries",
        help_text=_("Where a payment was taken (for the pickup's cash report)."),
    )  # fmt: skip
    membership_period = models.ForeignKey(
        MembershipPeriod, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    share_movement = models.ForeignKey(
        ShareMovement, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "user", "created_at", "pk"]
        verbose_name = _("account entry")
        verbose_name_plural = _("account entries")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="entry_amount_not_zero"),
            # Dues are negative, payments positive, refunds negative and always explained.
            models.CheckConstraint(
                condition=(Q(kind__in=["order", "membership"]) & Q(amount__lt=0))
                | Q(kind="shares")
                | (Q(kind="payment") & Q(amount__gt=0) & ~Q(method=""))
                | (Q(kind="refund") & Q(amount__lt=0) & ~Q(reason="")),
                name="entry_sign_matches_kind",
            ),
            # An order is due once.
            models.UniqueConstraint(
                fields=["order"], condition=Q(kind="order"), name="entry_one_due_per_order"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "user"])]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {format_money(self.amount)}"


class MemberImport(TimeStampedModel):
    """One uploaded members file: read and checked by the worker, then confirmed by the
    coordinator (the lines are kept, the file is emptied once imported)."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("being checked")
        INVALID = "invalid", _("has errors")
        READY = "ready", _("ready to import")
        DONE = "done", _("imported")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="member_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKING)
    lines = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.CHECKING
