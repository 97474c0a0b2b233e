import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cabas.core.models import TimeStampedModel


def _timezone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Organisation(TimeStampedModel):
    """The tenant: a producer collective, a cooperative grocery or an AMAP."""

    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("producer collective")
        COOPERATIVE = "cooperative", _("cooperative grocery")
        AMAP = "amap", _("AMAP")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("open: anyone can join")
        APPROVAL = "approval", _("on approval: a coordinator accepts each request")
        INVITATION = "invitation", _("by invitation only")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(
        _("web address"),
        max_length=60,
        unique=True,
        help_text=_("Short name used in links, e.g. cabas-du-tarn."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COLLECTIVE)
    timezone = models.CharField(
        _("time zone"), max_length=64, choices=_timezone_choices, default="Europe/Paris"
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_(
            "The language of the pages and e-mails, for people who have not chosen their own."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True)
    join_policy = models.CharField(
        _("joining"), max_length=20, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    members_only = models.BooleanField(
        _("members only"),
        default=False,
        help_text=_("Only approved members may order (e.g. a cooperative grocery's drive)."),
    )
    public_prices = models.BooleanField(
        _("prices on the public page"),
        default=True,
        help_text=_("Visitors see the products' prices before joining."),
    )
    is_active = models.BooleanField(pgettext_lazy("organisation", "active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("site:public", kwargs={"slug": self.slug})

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)

    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)


class Membership(TimeStampedModel):
    """A person's belonging to an organisation, with roles.

    Every active membership makes the person a member; the flags add roles on top.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        ACTIVE = "active", pgettext_lazy("membership", "active")
        REJECTED = "rejected", _("refused")
        LEFT = "left", _("left")

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        PRODUCER = "producer", _("producer")
        VOLUNTEER = "volunteer", _("volunteer")
        COORDINATOR = "coordinator", _("coordinator")
        SUPPLY = "supply", _("supply team")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    is_volunteer = models.BooleanField(_("volunteer"), default=False)
    is_producer = models.BooleanField(_("producer"), default=False)
    # The shop's supply team: stock, its movements and reports (coordinators have it too).
    is_supply = models.BooleanField(_("supply team"), default=False)
    producer = models.ForeignKey(
        "catalog.Producer",
        verbose_name=_("producer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("For the producer role: which producer this person works for."),
    )
    # What the person accepts to receive from this organisation beyond the e-mails about their
    # own orders, duties and account (those cannot be turned off): the coordinators' messages,
    # and the automatic reminders (sale opened, last call, pickup the day before).
    accepts_announcements = models.BooleanField(_("receives the messages"), default=True)
    accepts_reminders = models.BooleanField(_("receives the reminders"), default=True)
    request_message = models.TextField(_("message with the request"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="membership_one_per_user_and_organisation"
            ),
            models.CheckConstraint(
                condition=Q(is_producer=False) | Q(producer__isnull=False) | Q(status="pending"),
                name="membership_producer_role_has_producer",
                violation_error_message=_("A producer role needs a producer."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def roles(self) -> list[str]:
        if not self.is_active:
            return []
        roles = [self.Role.MEMBER]
        if self.is_producer:
            roles.append(self.Role.PRODUCER)
        if self.is_volunteer:
            roles.append(self.Role.VOLUNTEER)
        if self.is_supply:
            roles.append(self.Role.SUPPLY)
        if self.is_coordinator:
            roles.append(self.Role.COORDINATOR)
        return roles

    def role_labels(self) -> list[str]:
        return [str(self.Role(role).label) for role in self.roles]


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked=False, expires_at__gt=timezone.now())


class Invitation(TimeStampedModel):
    """An e-mail invitation to join an organisation; its link creates or attaches an account."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    is_volunteer = models.BooleanField(_("volunteer"), default=False)
    is_supply = models.BooleanField(_("supply team"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked = models.BooleanField(_("revoked"), default=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("orgs:invitation", kwargs={"token": self.token})
