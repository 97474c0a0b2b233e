"""A sale's life: created as a draft, scheduled, open, closed at its cutoff, distributed,
archived. The worker opens and closes sales on time (``sale_advance`` tasks, and the sweep for
cron); each step is a conditional UPDATE on the status, so it happens once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import Q

from cabas.core.tasks import enqueue_on_commit
from cabas.orgs.models import Organisation

from .. import errors, lock_objects, signals, tasks
from ..models import Sale
from .clock import _now, _same_minute, _show_datetime, closed_days, local_date
from .offer import sale_items_sync


def _check_sale_dates(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise errors.SaleDatesInvalid(field="closes_at")


def _check_minimum(amount: Decimal | None) -> None:
    if amount is not None and amount < 0:
        raise errors.AmountNegative(field="minimum_order_amount")


@transaction.atomic
def sale_create(
    *,
    organisation: Organisation,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    minimum_order_amount: Decimal | None = None,
    note_to_members: str = "",
    kind: str = Sale.Kind.ORDER_CYCLE,
) -> Sale:
    """Create a draft sale offering, by default, every active product of every producer
    supplying the organisation."""
    _check_sale_dates(opens_at, closes_at)
    _check_minimum(minimum_order_amount)
    sale = Sale.objects.create(
        organisation=organisation,
        title=title,
        kind=kind,
        opens_at=opens_at,
        closes_at=closes_at,
        minimum_order_amount=minimum_order_amount,
        note_to_members=note_to_members,
    )
    sale_items_sync(sale=sale)
    return sale


@transaction.atomic
def sale_update(
    *,
    sale: Sale,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    minimum_order_amount: Decimal | None,
    note_to_members: str,
    now: datetime | None = None,
) -> Sale:
    """Change a sale. Dates are frozen once the sale is closed; an open sale keeps its opening
    date; a cutoff cannot move into the past nor after a pickup starts."""
    now = _now(now)
    sale = lock_objects.sale_lock(sale_id=sale.pk)
    # Forms show minutes: a date re-sent unchanged to the minute is the stored one.
    opens_at = sale.opens_at if _same_minute(opens_at, sale.opens_at) else opens_at
    closes_at = sale.closes_at if _same_minute(closes_at, sale.closes_at) else closes_at
    dates_changed = (opens_at, closes_at) != (sale.opens_at, sale.closes_at)
    if dates_changed and sale.dates_locked:
        raise errors.SaleDatesLocked(field="closes_at")
    _check_sale_dates(opens_at, closes_at)
    _check_minimum(minimum_order_amount)
    if sale.status == Sale.Status.OPEN and opens_at != sale.opens_at:
        raise errors.SaleAlreadyOpen(field="opens_at")
    if (
        sale.status in (Sale.Status.SCHEDULED, Sale.Status.OPEN)
        and closes_at != sale.closes_at
        and closes_at <= now
    ):
        raise errors.CutoffInPast(field="closes_at")
    if sale.kind == Sale.Kind.ORDER_CYCLE:
        early = sale.pickups.filter(starts_at__lt=closes_at).order_by("starts_at").first()
        if early is not None:
            raise errors.PickupBeforeCutoff(
                field="closes_at", closes_at=_show_datetime(sale.organisation, closes_at)
            )
    sale.title = title
    sale.opens_at = opens_at
    sale.closes_at = closes_at
    sale.minimum_order_amount = minimum_order_amount
    sale.note_to_members = note_to_members
    sale.full_clean(exclude=["organisation", "schedule", "excluded_producers"])
    sale.save()
    if dates_changed:
        _enqueue_lifecycle(sale, now)
        sale_lifecycle_advance(sale_id=sale.pk, now=now)
        sale.refresh_from_db()
    return sale


def _transition(sale: Sale, *, allowed: Iterable[str], to: str, **fields) -> Sale:
    """Move a sale to status ``to`` if it is in one of ``allowed`` (a conditional UPDATE:
    two coordinators clicking at once cannot both do it)."""
    now = fields.pop("now")
    changed = Sale.objects.filter(pk=sale.pk, status__in=list(allowed)).update(
        status=to, updated_at=now, **fields
    )
    sale.refresh_from_db()
    if not changed:
        raise errors.SaleStatusInvalid(status=sale.get_status_display())
    return sale


@transaction.atomic
def sale_schedule(*, sale: Sale, now: datetime | None = None) -> Sale:
    """Publish a draft sale: it opens by itself at its opening date and closes at its cutoff."""
    now = _now(now)
    sale = lock_objects.sale_lock(sale_id=sale.pk)
    if sale.status != Sale.Status.DRAFT:
        raise errors.SaleStatusInvalid(status=sale.get_status_display())
    if sale.closes_at <= now:
        raise errors.CutoffInPast(field="closes_at")
    if not sale.pickups.exists():
        raise errors.SaleHasNoPickup()
    _transition(sale, allowed=[Sale.Status.DRAFT], to=Sale.Status.SCHEDULED, now=now)
    _enqueue_lifecycle(sale, now)
    sale_lifecycle_advance(sale_id=sale.pk, now=now)
    sale.refresh_from_db()
    return sale


@transaction.atomic
def sale_unschedule(*, sale: Sale, now: datetime | None = None) -> Sale:
    """Take a scheduled sale back to draft (it will not open by itself)."""
    return _transition(sale, allowed=[Sale.Status.SCHEDULED], to=Sale.Status.DRAFT, now=_now(now))


@transaction.atomic
def sale_open_now(*, sale: Sale, now: datetime | None = None) -> Sale:
    """Open a draft or scheduled sale at once (its opening date becomes now)."""
    now = _now(now)
    sale = lock_objects.sale_lock(sale_id=sale.pk)
    if sale.status not in (Sale.Status.DRAFT, Sale.Status.SCHEDULED):
        raise errors.SaleStatusInvalid(status=sale.get_status_display())
    if sale.closes_at <= now:
        raise errors.CutoffInPast(field="closes_at")
    if not sale.pickups.exists():
        raise errors.SaleHasNoPickup()
    _transition(
        sale,
        allowed=[Sale.Status.DRAFT, Sale.Status.SCHEDULED],
        to=Sale.Status.OPEN,
        now=now,
        opens_at=min(now, sale.opens_at),
        opened_at=now,
    )
    sale_items_sync(sale=sale)
    _enqueue_lifecycle(sale, now)
    return sale


@transaction.atomic
def sale_close_now(*, sale: Sale, now: datetime | None = None) -> Sale:
    """Stop orders of an open sale now (the cutoff becomes now) and start the after-cutoff
    work."""
    now = _now(now)
    sale = lock_objects.sale_lock(sale_id=sale.pk)
    if sale.status != Sale.Status.OPEN:
        raise errors.SaleStatusInvalid(status=sale.get_status_display())
    _transition(
        sale,
        allowed=[Sale.Status.OPEN],
        to=Sale.Status.CLOSED,
        now=now,
        closes_at=max(min(now, sale.closes_at), sale.opens_at + timedelta(seconds=1)),
        closed_at=now,
    )
    _after_close(sale)
    return sale


@transaction.atomic
def sale_mark_distributed(*, sale: Sale, now: datetime | None = None) -> Sale:
    """Record that the orders of a closed sale were handed out."""
    return _transition(
        sale, allowed=[Sale.Status.CLOSED], to=Sale.Status.DISTRIBUTED, now=_now(now)
    )


@transaction.atomic
def sale_archive(*, sale: Sale, now: datetime | None = None) -> Sale:
    """File away a distributed (or closed) sale: it leaves the current lists."""
    return _transition(
        sale,
        allowed=[Sale.Status.CLOSED, Sale.Status.DISTRIBUTED],
        to=Sale.Status.ARCHIVED,
        now=_now(now),
    )


@transaction.atomic
def sale_delete(*, sale: Sale) -> None:
    """Delete a draft or scheduled sale in which nothing was booked. A sale prepared by a
    schedule or the drive would be prepared again: its days must be closing days first."""
    sale = lock_objects.sale_lock(sale_id=sale.pk)
    if sale.status not in (Sale.Status.DRAFT, Sale.Status.SCHEDULED):
        raise errors.SaleStatusInvalid(status=sale.get_status_display())
    pickups = lock_objects.pickups_of_sale_lock(sale_id=sale.pk)
    booked = any(pickup.booked for pickup in pickups)
    ordered = sale.items.filter(quantity_ordered__gt=0).exists()
    if booked or ordered:
        raise errors.SaleHasBookings()
    if sale.occurrence_date is not None and (sale.schedule_id or sale.kind == Sale.Kind.DRIVE):
        organisation = Organisation.objects.get(pk=sale.organisation_id)
        days = {local_date(organisation, pickup.starts_at) for pickup in pickups}
        open_days = days - closed_days(organisation, min(days), max(days)) if days else set()
        if open_days:
            raise errors.GeneratedSaleWouldReturn()
    sale.delete()


def _enqueue_lifecycle(sale: Sale, now: datetime) -> None:
    """Ask the worker to look at the sale when it should open and when it should close."""
    if sale.status == Sale.Status.SCHEDULED and sale.opens_at > now:
        enqueue_on_commit(tasks.sale_advance, run_after=sale.opens_at, sale_id=sale.pk)
    if sale.status in (Sale.Status.SCHEDULED, Sale.Status.OPEN) and sale.closes_at > now:
        enqueue_on_commit(tasks.sale_advance, run_after=sale.closes_at, sale_id=sale.pk)


def _after_close(sale: Sale) -> None:
    """The after-cutoff step (``sale_after_cutoff_record``, then the ``sale_closed`` signal)."""
    enqueue_on_commit(tasks.sale_after_cutoff, sale_id=sale.pk)
    # Generated sales roll forward: each close prepares the next cycles.
    enqueue_on_commit(tasks.sales_generate, organisation_id=sale.organisation_id)


@dataclass(frozen=True)
class Advance:
    """What ``sale_lifecycle_advance`` did: opened and/or closed the sale (this call only)."""

    opened: bool = False
    closed: bool = False


@transaction.atomic
def sale_lifecycle_advance(*, sale_id: int, now: datetime | None = None) -> Advance:
    """Open the sale if its opening date has come, close it if its cutoff has passed.

    Idempotent: each step is a conditional UPDATE on the status, so running it twice (two
    workers, a task and the cron command) opens or closes the sale once, and the after-cutoff
    work is enqueued once.
    """
    now = _now(now)
    opened = (
        Sale.objects.filter(pk=sale_id)
        .due_to_open(now)
        .update(status=Sale.Status.OPEN, opened_at=now, updated_at=now)
    )
    if opened:
        sale_items_sync(sale=Sale.objects.get(pk=sale_id))
    closed = (
        Sale.objects.filter(pk=sale_id)
        .due_to_close(now)
        .update(status=Sale.Status.CLOSED, closed_at=now, updated_at=now)
    )
    if closed:
        _after_close(Sale.objects.get(pk=sale_id))
    return Advance(opened=bool(opened), closed=bool(closed))


@dataclass
class SweepReport:
    opened: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)


def sales_lifecycle_sweep(*, now: datetime | None = None) -> SweepReport:
    """Open and close every sale whose time has come (all organisations)."""
    now = _now(now)
    report = SweepReport()
    due = Sale.objects.filter(
        Q(pk__in=Sale.objects.due_to_open(now)) | Q(pk__in=Sale.objects.due_to_close(now))
    )
    for sale_id in list(due.order_by("pk").values_list("pk", flat=True)):
        advance = sale_lifecycle_advance(sale_id=sale_id, now=now)
        if advance.opened:
            report.opened.append(sale_id)
        if advance.closed:
            report.closed.append(sale_id)
    return report


@transaction.atomic
def sale_after_cutoff_record(*, sale_id: int, now: datetime | None = None) -> bool:
    """The work after a sale's cutoff: record when it ran (once; True the first time). On the
    commit, ``signals.sale_closed`` asks the apps above for their part (the distribution app
    enqueues the summaries). It is sent on every run for a sale past its cutoff: a worker
    killed between the record and the signal runs the task again, and the signal must still
    go; what receivers enqueue is idempotent, so nothing is e-mailed twice."""
    now = _now(now)
    past_cutoff = Sale.objects.filter(pk=sale_id, status__in=Sale.DATES_LOCKED)
    recorded = bool(past_cutoff.filter(after_cutoff_at__isnull=True).update(after_cutoff_at=now))
    if recorded or past_cutoff.exists():
        transaction.on_commit(partial(signals.sale_closed.send, sender=Sale, sale_id=sale_id))
    return recorded
