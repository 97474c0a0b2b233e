"""What the DFC side of Cabas stores: scoped API tokens for other platforms, the orders other
platforms placed (keyed on their ``@id``) and the DFC catalogs a producer's products are
imported from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cabas.core.models import TimeStampedModel


class Scope(models.TextChoices):
    """What a DFC token may do (read/write × enterprise/products/orders). A token never gives
    more than its account's role allows in the organisation (``auth.allowed_scopes``)."""

    ENTERPRISE_READ = "enterprise:read", _("read the organisation")
    PRODUCTS_READ = "products:read", _("read the catalog")
    PRODUCTS_WRITE = "products:write", _("import a producer's catalog")
    ORDERS_READ = "orders:read", _("read the orders placed with this token")
    ORDERS_WRITE = "orders:write", _("place, change and cancel orders")


class DfcTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class DfcToken(models.Model):
    """A secret another platform sends as ``Authorization: Bearer <secret>`` to the DFC API
    of one organisation, acting as ``user`` with ``scopes``. Only the secret's SHA-256 is
    stored; the secret is shown once."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="dfc_tokens"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dfc_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = DfcTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("DFC token")
        verbose_name_plural = _("DFC tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ExternalOrder(TimeStampedModel):
    """An order another platform placed through the DFC API: its ``@id`` there, the Cabas
    order it became (placed by ``order_place``, like any order), and who sent it."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="external_orders"
    )
    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="external")
    external_id = models.CharField(_("identifier on the other platform"), max_length=500)
    token = models.ForeignKey(
        DfcToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("order from another platform")
        verbose_name_plural = _("orders from other platforms")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"], name="externalorder_unique_id"
            )
        ]


class CatalogSource(TimeStampedModel):
    """A DFC catalog a producer's products are imported from: an address read again on a
    schedule, or an uploaded file (no address, no refresh)."""

    class Refresh(models.TextChoices):
        NEVER = "never", _("never")
        DAILY = "daily", _("every day")
        WEEKLY = "weekly", _("every week")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="dfc_catalog_sources"
    )
    producer = models.ForeignKey(
        "catalog.Producer", on_delete=models.CASCADE, related_name="dfc_catalog_sources"
    )
    url = models.URLField(_("catalog address"), max_length=500, blank=True)
    refresh = models.CharField(
        _("read again"), max_length=10, choices=Refresh.choices, default=Refresh.NEVER
    )
    next_refresh_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_import = models.ForeignKey(
        "catalog.ProductImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    last_error = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["producer__name", "pk"]
        verbose_name = _("DFC catalog source")
        verbose_name_plural = _("DFC catalog sources")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "producer", "url"],
                condition=~Q(url=""),
                name="catalogsource_unique_url",
            )
        ]
        indexes = [models.Index(fields=["next_refresh_at"], name="catalogsource_due")]
