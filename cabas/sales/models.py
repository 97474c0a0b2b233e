from django.db import models
from django.utils.translation import gettext_lazy as _

from cabas.core.models import TimeStampedModel


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
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("pickup point")
        verbose_name_plural = _("pickup points")

    def __str__(self) -> str:
        return self.name
