"""Screens of the sales app, by concept: thin views (parse → service/selector → render).

Every view is an ``org_view``: it runs in the organisation's time zone, so forms read and
templates show local times (a pickup on Friday 17:00 in Paris is 17:00 on screen, whatever
the server's zone). ``cabas/sales/urls.py`` uses this package's names.
"""

from .closing import closing_day_delete, closing_days
from .drive import drive
from .offer import sale_import_offer, sale_offer
from .pickups import (
    pickup_create,
    pickup_delete,
    pickup_detail,
    pickup_edit,
    pickup_occupancy,
    slot_create,
    slot_update,
)
from .points import pickup_point_create, pickup_point_edit, pickup_point_list
from .producer import producer_sale, producer_sales
from .public import member_slots, pickup_points_public
from .sales import sale_create, sale_delete, sale_detail, sale_edit, sale_list, sale_status
from .schedules import (
    schedule_create,
    schedule_delete,
    schedule_edit,
    schedule_generate,
    schedule_list,
)
from .settings import sales_settings

__all__ = [
    "closing_day_delete",
    "closing_days",
    "drive",
    "member_slots",
    "pickup_create",
    "pickup_delete",
    "pickup_detail",
    "pickup_edit",
    "pickup_occupancy",
    "pickup_point_create",
    "pickup_point_edit",
    "pickup_point_list",
    "pickup_points_public",
    "producer_sale",
    "producer_sales",
    "sale_create",
    "sale_delete",
    "sale_detail",
    "sale_edit",
    "sale_import_offer",
    "sale_list",
    "sale_offer",
    "sale_status",
    "sales_settings",
    "schedule_create",
    "schedule_delete",
    "schedule_edit",
    "schedule_generate",
    "schedule_list",
    "slot_create",
    "slot_update",
]
