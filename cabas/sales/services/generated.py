"""The tail shared by schedules and the drive: create a generated sale with its pickups,
offer its products and publish it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction

from .. import errors, lock_objects
from ..models import PickupPoint, Sale, SlotMode
from .lifecycle import _enqueue_lifecycle, sale_lifecycle_advance
from .offer import sale_items_sync
from .pickups import _pickup_create


@dataclass
class GenerationReport:
    created: list[Sale] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlannedPickup:
    """A pickup a generated sale should have; ``label`` names it in the report if skipped."""

    label: str
    pickup_point: PickupPoint
    starts_at: datetime
    ends_at: datetime
    slot_mode: str = SlotMode.SLOTS
    slot_minutes: int | None = None
    slot_capacity: int | None = None
    capacity: int | None = None
    lead_time: timedelta = timedelta(0)


def _sale_publish(sale: Sale, now: datetime) -> Sale:
    """A generated sale is scheduled at once (and opens at once if its opening has come)."""
    Sale.objects.filter(pk=sale.pk, status=Sale.Status.DRAFT).update(
        status=Sale.Status.SCHEDULED, updated_at=now
    )
    sale.refresh_from_db()
    _enqueue_lifecycle(sale, now)
    sale_lifecycle_advance(sale_id=sale.pk, now=now)
    sale.refresh_from_db()
    return sale


def _planned_pickup_create(sale: Sale, planned: PlannedPickup) -> None:
    """The pickup point's lock first (organisation level), as ``pickup_create`` takes it."""
    lock_objects.pickup_point_lock(pickup_point_id=planned.pickup_point.pk)
    _pickup_create(
        sale,
        pickup_point=planned.pickup_point,
        starts_at=planned.starts_at,
        ends_at=planned.ends_at,
        slot_mode=planned.slot_mode,
        slot_minutes=planned.slot_minutes,
        slot_capacity=planned.slot_capacity,
        capacity=planned.capacity,
        lead_time=planned.lead_time,
    )


def generated_sale_create(
    *,
    report: GenerationReport,
    now: datetime,
    pickups: Sequence[PlannedPickup],
    **sale_fields,
) -> Sale | None:
    """Create the sale (``sale_fields``) and its pickups; a pickup that cannot be created
    (it overlaps another at its point…) is skipped with its reason in the report. A sale left
    without pickups is not kept (None); otherwise it offers its products and is published."""
    sale = Sale.objects.create(**sale_fields)
    for planned in pickups:
        try:
            with transaction.atomic():
                _planned_pickup_create(sale, planned)
        except errors.DomainError as error:
            report.skipped.append(f"{planned.label}: {error}")
    if not sale.pickups.exists():
        sale.delete()
        return None
    sale_items_sync(sale=sale)
    report.created.append(_sale_publish(sale, now))
    return sale
