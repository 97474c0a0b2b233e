"""Every write about sales, pickups, slots, schedules and the drive, by concept:

- ``clock``: the time helpers (``now``, wall-clock times in the organisation's zone, closing days);
- ``lifecycle``: a sale created, changed, scheduled, opened, closed (and the worker's steps);
- ``offer``: what a sale offers (its items);
- ``places`` and ``pickups``: pickup points and settings; pickups and their slots;
- ``booking``: the counters of places and quantities (the orders app calls them);
- ``closing``: closing days; ``schedules`` and ``drive``: generated sales, which share
  ``generated`` (create the sale, its pickups, publish it); ``tick``: everything at once.

Times: every service takes an optional ``now`` (defaults to ``timezone.now()``), so the rules
that depend on the clock are checked on the server and are testable without patching time.
Concurrency: see lock_objects.py for the lock order; counters change only with conditional
UPDATEs and ``F()`` expressions. Callers use this package's names
(``from cabas.sales import services; services.sale_create(...)``).
"""

from .booking import (
    booking_give_back,
    booking_move,
    booking_switch,
    booking_take,
    sale_items_count,
)
from .clock import (
    closed_days,
    local_date,
    wall_clock,
)
from .closing import (
    closing_period_create,
    closing_period_delete,
)
from .drive import (
    drive_configure,
    drive_generate,
    drive_hours_set,
    drive_save,
)
from .generated import (
    GenerationReport,
    PlannedPickup,
    generated_sale_create,
)
from .lifecycle import (
    Advance,
    SweepReport,
    sale_after_cutoff_record,
    sale_archive,
    sale_close_now,
    sale_create,
    sale_delete,
    sale_lifecycle_advance,
    sale_mark_distributed,
    sale_open_now,
    sale_schedule,
    sale_unschedule,
    sale_update,
    sales_lifecycle_sweep,
)
from .offer import (
    sale_item_set_excluded,
    sale_item_set_quantity,
    sale_item_set_unavailable,
    sale_items_add,
    sale_items_sync,
    sale_producer_set_excluded,
)
from .pickups import (
    pickup_create,
    pickup_delete,
    pickup_update,
    slot_add,
    slot_set_capacity,
    slot_set_open,
)
from .places import (
    PICKUP_POINT_FIELDS,
    pickup_point_create,
    pickup_point_update,
    sales_settings_update,
)
from .schedules import (
    SCHEDULE_FIELDS,
    SchedulePickupSpec,
    schedule_create,
    schedule_delete,
    schedule_generate,
    schedule_update,
)
from .tick import (
    TickReport,
    sales_generate_for_organisation,
    sales_tick,
)

__all__ = [
    "Advance",
    "GenerationReport",
    "PICKUP_POINT_FIELDS",
    "PlannedPickup",
    "SCHEDULE_FIELDS",
    "SchedulePickupSpec",
    "SweepReport",
    "TickReport",
    "booking_give_back",
    "booking_move",
    "booking_switch",
    "booking_take",
    "closed_days",
    "closing_period_create",
    "closing_period_delete",
    "drive_configure",
    "drive_generate",
    "drive_hours_set",
    "drive_save",
    "generated_sale_create",
    "local_date",
    "pickup_create",
    "pickup_delete",
    "pickup_point_create",
    "pickup_point_update",
    "pickup_update",
    "sale_after_cutoff_record",
    "sale_archive",
    "sale_close_now",
    "sale_create",
    "sale_delete",
    "sale_item_set_excluded",
    "sale_item_set_quantity",
    "sale_item_set_unavailable",
    "sale_items_add",
    "sale_items_count",
    "sale_items_sync",
    "sale_lifecycle_advance",
    "sale_mark_distributed",
    "sale_open_now",
    "sale_producer_set_excluded",
    "sale_schedule",
    "sale_unschedule",
    "sale_update",
    "sales_generate_for_organisation",
    "sales_lifecycle_sweep",
    "sales_settings_update",
    "sales_tick",
    "schedule_create",
    "schedule_delete",
    "schedule_generate",
    "schedule_update",
    "slot_add",
    "slot_set_capacity",
    "slot_set_open",
    "wall_clock",
]
