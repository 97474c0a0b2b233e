"""Printable sheets of a pickup: preparation lists, labels and the attendance sheet.

Every selector here reads a whole pickup in a constant number of queries (the lines in one,
the item counts annotated), so a pickup of thousands of orders costs the same
number of queries as a pickup of three.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cabas.accounts.models import person_name
from cabas.catalog.categories import label_of
from cabas.core import quantities, tables
from cabas.core.money import format_quantity
from cabas.orders.models import Order, OrderLine
from cabas.sales.models import Pickup, Slot

# Within a pickup, orders without a slot (a pickup without slots) come after those with one,
# on SQLite and PostgreSQL alike (they put NULLs at opposite ends by default).
_BY_SLOT = F("slot__starts_at").asc(nulls_last=True)

# The labels' QR codes a process keeps (about 3 kB each): those of several pickups' labels.
QR_CODES_KEPT = 2048
QR_MASK = 0


def slot_text(order, tzinfo=None) -> str:
    """The order's slot as 09:00–09:15 in the given time zone; empty without a slot."""
    if order.slot is None:
        return ""
    starts = timezone.localtime(order.slot.starts_at, tzinfo)
    ends = timezone.localtime(order.slot.ends_at, tzinfo)
    return f"{starts:%H:%M}–{ends:%H:%M}"


def unit_text(line) -> str:
    """What the line's quantity counts: "75 cl", "botte", "kg" (``quantities.unit_text``)."""
    return quantities.unit_text(line.unit)


def checkin_url(order: SheetOrder) -> str:
    """The absolute address of the order's check-in page, the one its label's QR code holds.

    It is the ``distribution:checkin_order`` page (slug, code), written out as
    ``SITE_URL/o/<slug>/checkin/orders/<code>/``: the label must hold the public address
    whatever host the sheet was printed from, and needs no request. ``test_sheets`` checks that
    this path is the one the URL pattern gives. The order is one of ``preparation_orders``,
    which reads its organisation's slug with it.
    """
    return f"{settings.SITE_URL}/o/{order.organisation_slug}/checkin/orders/{order.code}/"


def order_qr_svg(order: SheetOrder) -> SafeString:
    """The QR code of the order's check-in link, as inline SVG (sized by the stylesheet)."""
    # segno's output holds only path data built from the link: nothing to escape.
    return mark_safe(_qr_svg(checkin_url(order)))  # noqa: S308


@lru_cache(maxsize=QR_CODES_KEPT)
def _qr_svg(link: str) -> str:
    """The QR code of ``link``, kept in the process by its link: the labels of a pickup are
    printed several times, its codes never change.

    Its data mask is given (``QR_MASK``), not chosen: left to choose, segno applies and scores
    each of the standard's eight masks module by module, 80 % of its time (6 ms a code, 1.6 s
    for the labels of a 275-order pickup; 1.9 ms a code with the mask given). Every mask is a
    valid code that any reader decodes; the choice only evens out dark and light modules.
    """
    code = segno.make(link, error="m", mask=QR_MASK, micro=False)
    return code.svg_inline(scale=3, omitsize=True, svgclass="qr")


# What the sheets, the labels and the XLSX file print of an order and of a line. They are read
# as plain rows into the small objects below, not as model instances: on a pickup of hundreds
# of orders, building a model instance per order, member, slot, line and producer (and a
# queryset per order for its prefetched lines) cost ten times the queries themselves.
_ORDER_COLUMNS = ("pk", "number", "code", "note", "user_id", "slot_id", "organisation__slug")
_MEMBER_COLUMNS = ("pk", "first_name", "last_name", "email", "phone", "second_person")
_LINE_COLUMNS = (
    "order_id",
    "producer_id",
    "producer__name",
    "product__category",
    "product_name",
    "unit_label",
    "unit_kind",
    "content_quantity",
    "content_unit",
    "content_count",
    "quantity",
    "variable_weight",
    "estimated_weight_kg",
    "weighed_kg",
    "is_missing",
    "substitution_note",
)


@dataclass(slots=True)  # not frozen: a frozen dataclass is slower to build
class SheetMember:
    """The member of an order, as the sheets print them."""

    first_name: str
    last_name: str
    email: str
    phone: str
    second_person: str

    @property
    def display_name(self) -> str:
        return person_name(self.first_name, self.last_name, self.email)


@dataclass(slots=True)
class SheetSlot:
    starts_at: datetime
    ends_at: datetime


@dataclass(slots=True, eq=False)  # one per producer: grouped by identity
class SheetProducer:
    name: str


@dataclass(slots=True)
class SheetLine:
    """An order line as the sheets print it (``product_category``: the product's category,
    the only column of the product the XLSX file prints)."""

    producer: SheetProducer
    product_category: str
    product_name: str
    unit_label: str
    unit_kind: str
    content_quantity: Decimal | None
    content_unit: str
    content_count: int
    quantity: Decimal
    variable_weight: bool
    estimated_weight_kg: Decimal | None
    weighed_kg: Decimal | None
    is_missing: bool
    substitution_note: str
    quantity_text: str = ""  # written by preparation_sheets

    @property
    def unit(self) -> quantities.Unit:
        """The unit frozen on the line, with its weighed weight once weighed."""
        return quantities.unit_of(self, weighed_kg=self.weighed_kg)


@dataclass(slots=True)
class ProducerLines:
    producer: SheetProducer
    lines: list[SheetLine]


@dataclass(slots=True)
class SheetOrder:
    """An active order of the pickup as the sheets print it, its lines by producer name, then
    product name, and the same lines grouped by producer (both empty when read without them,
    for the labels)."""

    pk: int
    number: int
    code: str
    note: str
    user: SheetMember
    slot: SheetSlot | None
    organisation_slug: str
    lines: list[SheetLine] = field(default_factory=list)
    producers: list[ProducerLines] = field(default_factory=list)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while the sheets' objects are built (tens of
    thousands, without cycles: reference counting frees them). Each collection it would
    start on the way goes through every object of the process: half the time of the
    preparation lists of 10,000 orders. It runs as usual afterwards."""
    if not gc.isenabled():  # paused already (another thread's sheets)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def preparation_orders(
    *, pickup: Pickup, slot: Slot | None = None, with_lines: bool = True
) -> list[SheetOrder]:
    """The pickup's active orders (of one slot when given), by slot start then order number,
    with the member, the slot and the lines (by producer name, then product name): four
    queries however many orders (three without the lines, for labels; one less for a slot)."""
    with _collector_paused():
        return _orders_read(pickup, slot, with_lines)


def _orders_read(pickup: Pickup, slot: Slot | None, with_lines: bool) -> list[SheetOrder]:
    # The orders, their members and their slots are read apart, each by its index (the
    # pickup's, the members' keys, the slots' pickup): joined in one query, PostgreSQL read
    # every member and every slot of every sale to hash them. At 10x, for the 120 pickups of
    # a sale, the server's time went from 344 ms to 43 ms (two round trips more a pickup).
    orders = Order.objects.active().filter(pickup=pickup)
    if slot is not None:
        orders = orders.filter(slot=slot)
        slots = {slot.pk: SheetSlot(slot.starts_at, slot.ends_at)}
    else:
        slots = {
            pk: SheetSlot(starts_at, ends_at)
            for pk, starts_at, ends_at in Slot.objects.filter(pickup=pickup).values_list(
                "pk", "starts_at", "ends_at"
            )
        }
    rows = list(orders.values_list(*_ORDER_COLUMNS))
    if not rows:
        return []
    members = {
        pk: SheetMember(*printed)
        for pk, *printed in get_user_model()
        .objects.filter(pk__in={row[4] for row in rows})
        .values_list(*_MEMBER_COLUMNS)
    }
    read = [
        SheetOrder(pk, number, code, note, members[user_id], slots.get(slot_id), slug)
        for pk, number, code, note, user_id, slot_id, slug in rows
    ]
    read.sort(key=_by_slot)
    if with_lines:
        _lines_add(read)
    return read


def _by_slot(order: SheetOrder) -> tuple:
    """By slot start then number, the orders without a slot last."""
    if order.slot is None:
        return (True, None, order.number)
    return (False, order.slot.starts_at, order.number)


def _lines_add(read: list[SheetOrder]) -> None:
    """Give each order its lines and its groups of lines by producer, in one query (by the
    orders' keys, which the index of the lines by order serves on a large table)."""
    by_pk = {order.pk: order for order in read}
    producers: dict[int, SheetProducer] = {}
    lines = (
        OrderLine.objects.filter(order_id__in=list(by_pk))
        .order_by("producer__name", "product_name", "pk")
        .values_list(*_LINE_COLUMNS)
    )
    for order_id, producer_id, producer_name, *printed in lines:
        order = by_pk.get(order_id)
        if order is None:
            continue
        producer = producers.get(producer_id)
        if producer is None:
            producer = producers[producer_id] = SheetProducer(producer_name)
        line = SheetLine(producer, *printed)
        order.lines.append(line)
        groups = order.producers
        if groups and groups[-1].producer is producer:
            groups[-1].lines.append(line)
        else:
            groups.append(ProducerLines(producer, [line]))


def lines_by_producer(order: SheetOrder) -> list[ProducerLines]:
    """The order's lines grouped by producer, in their order (grouped as they are read)."""
    return order.producers


@dataclass
class OrderSheet:
    """One order on the preparation list: the member's name and the lines by producer."""

    order: SheetOrder
    name: str
    producers: list[ProducerLines]
    slot_text: str = ""


def preparation_sheets(orders) -> list[OrderSheet]:
    """The preparation list of ``preparation_orders`` (no further query), with the lines'
    quantities and the orders' slots written in the active language and time zone, each
    different one once: written by the template for each of hundreds of orders and lines,
    they were a third of the page's time at ten times our size."""
    quantity_texts: dict[tuple, str] = {}
    slot_texts: dict[tuple, str] = {}
    prepared = []
    for order in orders:
        for line in order.lines:
            # Keyed by the line's own unit fields: building its unit costs as much as the text.
            key = (line.quantity, line.unit_kind, line.unit_label, line.content_quantity,
                   line.content_unit, line.content_count, line.variable_weight,
                   line.estimated_weight_kg, line.weighed_kg)  # fmt: skip
            text = quantity_texts.get(key)
            if text is None:
                text = quantity_texts[key] = format_quantity(line.quantity, line.unit)
            line.quantity_text = text
        slot = ""
        if order.slot is not None:
            key = (order.slot.starts_at, order.slot.ends_at)
            slot = slot_texts.get(key)
            if slot is None:
                slot = slot_texts[key] = slot_text(order)
        prepared.append(
            OrderSheet(order=order, name=order.user.display_name,
                       producers=lines_by_producer(order), slot_text=slot)
        )  # fmt: skip
    return prepared


@dataclass
class Label:
    order: SheetOrder
    name: str
    qr_svg: SafeString


def labels(orders) -> list[Label]:
    """One label per order: number, name and the QR code of its check-in link."""
    return [
        Label(order=order, name=order.user.display_name, qr_svg=order_qr_svg(order))
        for order in orders
    ]


def preparation_table_rows(orders, tzinfo=None) -> list[list]:
    """One row per order line, for the XLSX file (number, name, phone, slot,
    producer, product, category, quantity, unit, variable weight, weighed kg, missing).
    An order's columns are written once for its lines, each different unit and category once
    (as ``preparation_sheets``): per line, they were a third of the file's time at ten times
    our size."""
    unit_texts: dict[tuple, str] = {}
    categories: dict[str, str] = {}
    rows = []
    for order in orders:
        number, name, phone = order.number, order.user.display_name, order.user.phone
        slot = slot_text(order, tzinfo)
        for line in order.lines:
            key = (line.unit_kind, line.unit_label, line.content_quantity, line.content_unit,
                   line.content_count, line.variable_weight, line.estimated_weight_kg,
                   line.weighed_kg)  # fmt: skip
            unit = unit_texts.get(key)
            if unit is None:
                unit = unit_texts[key] = unit_text(line)
            category = categories.get(line.product_category)
            if category is None:
                category = categories[line.product_category] = label_of(line.product_category)
            rows.append(
                [
                    number,
                    name,
                    phone,
                    slot,
                    line.producer.name,
                    line.product_name,
                    category,
                    line.quantity,
                    unit,
                    "x" if line.variable_weight else "",
                    line.weighed_kg,
                    "x" if line.is_missing else "",
                ]
            )
    return rows


@dataclass
class AttendanceRow:
    """One line of the attendance sheet ("liste d'émargement")."""

    order: Order
    number: int
    name: str
    second_person: str
    phone: str
    slot_starts_at: datetime | None
    slot: str
    items: int
    amount_due: Decimal
    # Placeholder: whether the order is paid is the money issue's to fill. Until then the
    # column is printed empty (to be ticked by hand), never guessed.
    paid: str = ""


def attendance_rows(*, pickup: Pickup, tzinfo=None) -> list[AttendanceRow]:
    """One row per active order of the pickup, by slot then family name and first name; the
    number of items counts the lines not marked missing; the amount due is the order's total.
    One query however many orders."""
    orders = (
        Order.objects.active()
        .filter(pickup=pickup)
        .select_related("user", "slot")
        .annotate(items=Count("lines", filter=Q(lines__is_missing=False)))
        .order_by(
            _BY_SLOT,
            Lower("user__last_name"),
            Lower("user__first_name"),
            "user__last_name",
            "user__first_name",
            "number",
        )
    )
    return [
        AttendanceRow(
            order=order,
            number=order.number,
            name=order.user.display_name,
            second_person=order.user.second_person,
            phone=order.user.phone,
            slot_starts_at=order.slot.starts_at if order.slot else None,
            slot=slot_text(order, tzinfo),
            items=order.items,
            amount_due=order.total,
        )
        for order in orders
    ]


def attendance_table_rows(rows: list[AttendanceRow]) -> list[list]:
    """The attendance sheet for the XLSX file (slot, number, name, second person, phone,
    items, amount due, paid, signature)."""
    return [
        [
            row.slot,
            row.number,
            row.name,
            row.second_person,
            row.phone,
            row.items,
            tables.Amount(row.amount_due),
            row.paid,
            "",  # signature, by hand on the printed sheet
        ]
        for row in rows
    ]
