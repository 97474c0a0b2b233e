"""Pickup points (where members collect) and the organisation's sales settings."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from django.db import transaction

from cabas.orgs.models import Organisation

from .. import errors, lock_objects, signals
from ..models import PickupPoint, SalesSettings

PICKUP_POINT_FIELDS = (
    "name",
    "address",
    "postcode",
    "town",
    "latitude",
    "longitude",
    "access_instructions",
    "contact",
    "car_boot_pickup",
    "is_active",
)
# What members need to find the point: a change is told to those who collect there soon.
WHERE_FIELDS = ("address", "postcode", "town", "access_instructions")


def _where(point: PickupPoint) -> tuple[str, ...]:
    """What members read to find the point (spaces and line ends aside: not a move)."""
    return tuple(" ".join(str(getattr(point, name) or "").split()) for name in WHERE_FIELDS)


def _coordinates(fields: dict) -> dict:
    """Latitude/longitude as 6-decimal Decimals (floats and strings accepted)."""
    for name in ("latitude", "longitude"):
        value = fields.get(name)
        if value is not None and value != "":
            fields[name] = Decimal(str(value)).quantize(Decimal("0.000001"))
    return fields


@transaction.atomic
def pickup_point_create(*, organisation: Organisation, name: str, address: str, **fields):
    """Add a pickup point to the organisation."""
    unknown = set(fields) - set(PICKUP_POINT_FIELDS)
    if unknown:
        raise TypeError(f"unknown pickup point fields: {sorted(unknown)}")
    point = PickupPoint(
        organisation=organisation, name=name, address=address, **_coordinates(fields)
    )
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def pickup_point_update(*, pickup_point: PickupPoint, **fields) -> PickupPoint:
    """Change a pickup point; deactivating it keeps its past and planned pickups. A new
    address or new access instructions are announced (``signals.pickup_point_moved``) once
    the change commits."""
    before = _where(pickup_point)
    for name, value in _coordinates(fields).items():
        if name not in PICKUP_POINT_FIELDS:
            raise TypeError(f"unknown pickup point field: {name}")
        setattr(pickup_point, name, value)
    pickup_point.full_clean()
    pickup_point.save()
    if _where(pickup_point) != before:
        transaction.on_commit(
            partial(
                signals.pickup_point_moved.send,
                sender=PickupPoint,
                pickup_point_id=pickup_point.pk,
            )
        )
    return pickup_point


@transaction.atomic
def sales_settings_update(
    *, organisation: Organisation, minimum_order_amount: Decimal
) -> SalesSettings:
    """Set the organisation's default minimum order amount (0: no minimum)."""
    if minimum_order_amount is None or minimum_order_amount < 0:
        raise errors.AmountNegative(field="minimum_order_amount")
    settings = lock_objects.sales_settings_lock(organisation_id=organisation.pk)
    settings.minimum_order_amount = minimum_order_amount
    settings.save(update_fields=["minimum_order_amount", "updated_at"])
    return settings
