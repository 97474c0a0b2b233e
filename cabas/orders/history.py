"""An order's history in words: each ``OrderEvent`` as one sentence a volunteer reads
("Moved from Salles 17:00 to Cordes 18:15 by Marie", "Weighing of Pérail: 0.42 kg, 5.04 €"),
in the active language, numbers through the money and quantity formatters.

The events keep ids and plain values (``detail``); the names they point to — pickups and
their points, slots, sale items and their products — are read here in at most three queries
for the whole history, whatever its length. The sentences are plain text: the template
escapes them (product names, notes and reasons are written by people).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from cabas.core.dates import date_text as date_format
from cabas.core.money import format_money, format_quantity
from cabas.sales.models import Pickup, SaleItem, Slot

from .models import Order, OrderEvent

UNIT_SUFFIX = {"weight": " kg", "volume": " L"}
STATUS_KINDS = {
    OrderEvent.Kind.PICKING, OrderEvent.Kind.READY, OrderEvent.Kind.COLLECTED,
    OrderEvent.Kind.NO_SHOW,
}  # fmt: skip


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    text: str
    reason: str


@dataclass
class _Names:
    """What the events point to, read once for all of them."""

    pickups: dict[int, Pickup]
    slots: dict[int, Slot]
    items: dict[int, SaleItem]


def order_history(events: list[OrderEvent]) -> list[HistoryEntry]:
    """The events (with ``by`` loaded) as sentences, in their order."""
    names = _names(events)
    entries = []
    for event in events:
        text = _sentence(event, names)
        if event.by is not None:
            who = event.by.display_name
            text = _("%(what)s by %(who)s") % {"what": text, "who": who}
        entries.append(HistoryEntry(at=event.at, text=text, reason=event.reason))
    return entries


def _places(event: OrderEvent) -> list[dict]:
    detail = event.detail or {}
    if event.kind == OrderEvent.Kind.MOVED:
        return [detail.get("before") or {}, detail.get("after") or {}]
    if event.kind == OrderEvent.Kind.CHANGED and detail.get("place"):
        return [detail["place"].get("before") or {}, detail["place"].get("after") or {}]
    return []


def _names(events: list[OrderEvent]) -> _Names:
    pickup_ids, slot_ids, item_ids = set(), set(), set()
    for event in events:
        for place in _places(event):
            pickup_ids.add(place.get("pickup"))
            slot_ids.add(place.get("slot"))
        if event.kind == OrderEvent.Kind.CHANGED:
            for side in ("before", "after"):
                item_ids.update(_ids(event.detail.get(side) or {}))
    pickup_ids.discard(None)
    slot_ids.discard(None)
    pickups = (
        Pickup.objects.select_related("pickup_point").in_bulk([i for i in pickup_ids if i])
        if pickup_ids
        else {}
    )
    slots = Slot.objects.in_bulk(list(slot_ids)) if slot_ids else {}
    items = SaleItem.objects.select_related("product").in_bulk(list(item_ids)) if item_ids else {}
    return _Names(pickups=pickups, slots=slots, items=items)


def _ids(quantities: dict) -> set[int]:
    return {int(key) for key in quantities if str(key).isdigit()}


def _sentence(event: OrderEvent, names: _Names) -> str:
    detail = event.detail or {}
    kind = event.kind
    if kind == OrderEvent.Kind.PLACED:
        return _("Order placed")
    if kind == OrderEvent.Kind.CANCELLED:
        return _("Order cancelled")
    if kind == OrderEvent.Kind.CHANGED:
        return _changed(detail, names)
    if kind == OrderEvent.Kind.MOVED:
        before, after = _places(event)
        return _moved(before, after, names)
    if kind == OrderEvent.Kind.ARRIVED:
        if detail.get("note"):
            return _("Arrival noted: “%(note)s”") % {"note": detail["note"]}
        return _("Arrival noted")
    if kind in STATUS_KINDS:
        return _status(event)
    return _line_sentence(event)


def _status(event: OrderEvent) -> str:
    detail = event.detail or {}
    before, after = detail.get("before"), detail.get("after")
    if before in Order.Status.values and after in Order.Status.values:
        return _("Status changed from “%(before)s” to “%(after)s”") % {
            "before": Order.Status(before).label, "after": Order.Status(after).label,
        }  # fmt: skip
    return str(OrderEvent.Kind(event.kind).label).capitalize()


def _place_text(place: dict, names: _Names, with_day: bool) -> str:
    pickup = names.pickups.get(place.get("pickup"))
    if pickup is None:
        return _("a deleted pickup")
    slot = names.slots.get(place.get("slot"))
    starts_at = timezone.localtime(slot.starts_at if slot else pickup.starts_at)
    when = time_format(starts_at, "H:i")
    if with_day:
        when = f"{date_format(starts_at, 'D j F')} {when}"
    return f"{pickup.pickup_point.name} {when}"


def _places_text(before: dict, after: dict, names: _Names) -> dict[str, str]:
    """Both places' names and times (with the day when the two days differ)."""
    days = set()
    for place in (before, after):
        pickup = names.pickups.get(place.get("pickup"))
        if pickup is not None:
            days.add(timezone.localdate(pickup.starts_at))
    with_day = len(days) > 1
    return {
        "before": _place_text(before, names, with_day),
        "after": _place_text(after, names, with_day),
    }


def _moved(before: dict, after: dict, names: _Names) -> str:
    return _("Moved from %(before)s to %(after)s") % _places_text(before, names=names, after=after)


def _quantity(value, unit_kind: str) -> str:
    return format_quantity(value) + UNIT_SUFFIX.get(unit_kind, "")


def _changed(detail: dict, names: _Names) -> str:
    """The member's change: each quantity changed, product added or taken out, and the
    new place, in one sentence."""
    before, after = detail.get("before") or {}, detail.get("after") or {}
    parts = []
    for item_id in sorted(_ids(before) | _ids(after)):
        item = names.items.get(item_id)
        product = item.product.name if item else _("a product")
        unit = item.product.unit_kind if item else ""
        old, new = before.get(str(item_id)), after.get(str(item_id))
        values = {"product": product, "before": _quantity(old, unit), "after": _quantity(new, unit)}
        if old is None:
            parts.append(_("%(product)s added (%(after)s)") % values)
        elif new is None:
            parts.append(_("%(product)s taken out (was %(before)s)") % values)
        elif format_quantity(old) != format_quantity(new):
            parts.append(_("quantity of %(product)s changed from %(before)s to %(after)s") % values)
    if detail.get("place"):
        place_before, place_after = detail["place"].get("before"), detail["place"].get("after")
        places = _places_text(place_before or {}, place_after or {}, names)
        parts.append(_("pickup moved from %(before)s to %(after)s") % places)
    if not parts:
        return _("Order changed")
    return _("Order changed: %(changes)s") % {"changes": "; ".join(parts)}


def _line_sentence(event: OrderEvent) -> str:
    """Weighing, missing items, substitutions and coordinators' corrections of one line."""
    detail = event.detail or {}
    before, after = detail.get("before"), detail.get("after")
    before = before if isinstance(before, dict) else {}
    after_values = after if isinstance(after, dict) else {}
    values = {
        "product": detail.get("product", ""),
        "amount": format_money(after_values.get("amount")),
        "before_amount": format_money(before.get("amount")),
    }
    kind = event.kind
    if kind == OrderEvent.Kind.WEIGHED:
        values["weight"] = format_quantity(after_values.get("weighed_kg"))
        if before.get("weighed_kg") is not None:
            values["before_weight"] = format_quantity(before["weighed_kg"])
            return _("Weighing of %(product)s: %(weight)s kg (was %(before_weight)s kg), "
                     "%(amount)s") % values  # fmt: skip
        return _("Weighing of %(product)s: %(weight)s kg, %(amount)s") % values
    if kind == OrderEvent.Kind.MISSING:
        return _missing(detail, after_values, values)
    if kind == OrderEvent.Kind.SUBSTITUTION:
        if not after:
            return _("Substitution for %(product)s removed") % values
        return _("Substitution for %(product)s: “%(note)s”") % {**values, "note": after}
    if kind in (OrderEvent.Kind.LINE_ADDED, OrderEvent.Kind.LINE_REMOVED):
        side = after_values if kind == OrderEvent.Kind.LINE_ADDED else before
        values["quantity"] = _quantity(side.get("quantity"), detail.get("unit", ""))
        values["line_amount"] = format_money(side.get("amount"))
        if kind == OrderEvent.Kind.LINE_ADDED:
            return _("%(product)s added: %(quantity)s, %(line_amount)s") % values
        return _("%(product)s removed: %(quantity)s, %(line_amount)s") % values
    if kind == OrderEvent.Kind.PRICE_CHANGED:
        values["before_price"] = format_money(before.get("unit_price"))
        values["price"] = format_money(after_values.get("unit_price"))
        return _("Price of %(product)s corrected from %(before_price)s to %(price)s "
                 "(line: %(amount)s)") % values  # fmt: skip
    return str(OrderEvent.Kind(kind).label).capitalize()


def _missing(detail: dict, after: dict, values: dict) -> str:
    if after.get("is_missing") is False:
        text = _("“Missing” undone: %(product)s is back in the order (%(amount)s)") % values
        if detail.get("correction"):
            text += " " + _("(the member is sent a correction)")
        return text
    text = _("Missing product: %(product)s (%(before_amount)s taken off)") % values
    if not values["before_amount"]:
        text = _("Missing product: %(product)s") % values
    if detail.get("note"):
        text += " — " + _("substitution: %(note)s") % {"note": detail["note"]}
    return text
