"""The printable sheets of a pickup (preparation list, labels, attendance sheet) and their
XLSX files, for the volunteers and coordinators who run the distribution."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cabas.core.params import query_int
from cabas.core.tables import table_response
from cabas.orgs.permissions import Action, org_view
from cabas.sales.models import Pickup, Slot

from . import sheets

# The attendance sheet's font sizes, for reading without glasses at the pickup table.
SIZES = ("normal", "large", "x-large")


def _pickup(request, pickup_id: int) -> Pickup:
    return get_object_or_404(
        Pickup.objects.select_related("sale", "pickup_point"),
        pk=pickup_id,
        organisation=request.organisation,
    )


def _slot(request, pickup: Pickup) -> Slot | None:
    """The slot chosen with ``?slot=<id>`` (one of the pickup's), or None for all of them."""
    slot_id = query_int(request, "slot")
    if slot_id is None:
        return None
    return get_object_or_404(Slot, pk=slot_id, pickup=pickup)


def _file_name(request, what: str, pickup: Pickup) -> str:
    """e.g. "preparation-salle-des-fetes-2025-06-13" (the day in the organisation's time)."""
    day = timezone.localtime(pickup.starts_at, request.organisation.tzinfo)
    return f"{slugify(what)}-{slugify(pickup.pickup_point.name)}-{day:%Y-%m-%d}"


@org_view(Action.RUN_DISTRIBUTION)
def preparation(request, pickup_id: int):
    """The preparation list: one block per order (number, name, phone, lines by producer);
    ``?per_page=1`` prints each order on its own page, ``?slot=<id>`` one slot only."""
    pickup = _pickup(request, pickup_id)
    slot = _slot(request, pickup)
    orders = sheets.preparation_orders(pickup=pickup, slot=slot)
    return render(
        request,
        "distribution/sheets/preparation.html",
        {
            "pickup": pickup,
            "slot": slot,
            "slots": list(pickup.slots.all()),
            "per_page": request.GET.get("per_page") == "1",
            "sheets": sheets.preparation_sheets(orders),
        },
    )


@org_view(Action.RUN_DISTRIBUTION)
def preparation_xlsx(request, pickup_id: int):
    """The preparation list as a spreadsheet: one row per order line."""
    pickup = _pickup(request, pickup_id)
    slot = _slot(request, pickup)
    orders = sheets.preparation_orders(pickup=pickup, slot=slot)
    header = [
        _("N°"),
        _("Name"),
        _("Phone"),
        _("Slot"),
        _("Producer"),
        _("Product"),
        _("Category"),
        _("Quantity"),
        _("Unit"),
        _("Variable weight"),
        _("Weighed (kg)"),
        _("Missing"),
    ]
    rows = sheets.preparation_table_rows(orders, request.organisation.tzinfo)
    return table_response(
        _file_name(request, _("preparation"), pickup),
        header,
        rows,
        "xlsx",
        title=_("Preparation %(point)s") % {"point": pickup.pickup_point.name},
    )


@org_view(Action.RUN_DISTRIBUTION)
def labels(request, pickup_id: int):
    """Labels to stick on the bags: order number, name, pickup, slot and the QR code of the
    order's check-in link (``?slot=<id>`` for one slot)."""
    pickup = _pickup(request, pickup_id)
    slot = _slot(request, pickup)
    orders = sheets.preparation_orders(pickup=pickup, slot=slot, with_lines=False)
    return render(
        request,
        "distribution/sheets/labels.html",
        {"pickup": pickup, "slot": slot, "labels": sheets.labels(orders)},
    )


@org_view(Action.RUN_DISTRIBUTION)
def attendance(request, pickup_id: int):
    """The attendance sheet ("liste d'émargement"): one row per order, by slot then name, to
    sign on collection; ``?size=large`` or ``x-large`` for a bigger font."""
    pickup = _pickup(request, pickup_id)
    size = request.GET.get("size", "normal")
    if size not in SIZES:
        size = "normal"
    rows = sheets.attendance_rows(pickup=pickup, tzinfo=request.organisation.tzinfo)
    return render(
        request,
        "distribution/sheets/attendance.html",
        {
            "pickup": pickup,
            "rows": rows,
            "size": size,
            "sizes": [
                ("normal", _("normal")),
                ("large", _("large")),
                ("x-large", _("very large")),
            ],
            "amount_due": sum((row.amount_due for row in rows), Decimal("0.00")),
        },
    )


@org_view(Action.RUN_DISTRIBUTION)
def attendance_xlsx(request, pickup_id: int):
    """The attendance sheet as a spreadsheet (the "paid" column stays empty for now)."""
    pickup = _pickup(request, pickup_id)
    rows = sheets.attendance_rows(pickup=pickup, tzinfo=request.organisation.tzinfo)
    header = [
        _("Slot"),
        _("N°"),
        _("Name"),
        _("Second person"),
        _("Phone"),
        _("Items"),
        _("Amount due"),
        _("Paid"),
        _("Signature"),
    ]
    return table_response(
        _file_name(request, pgettext("sheet", "attendance"), pickup),
        header,
        sheets.attendance_table_rows(rows),
        "xlsx",
        title=pgettext("sheet", "Attendance %(point)s") % {"point": pickup.pickup_point.name},
    )
