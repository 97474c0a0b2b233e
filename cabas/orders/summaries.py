"""The summaries of a sale after its cutoff: what each producer sold (per product, per VAT
rate), what to bring to each pickup, and each customer's lines.

Every figure is an aggregate computed by the database over the lines of the sale's active
(not cancelled) orders: each selector runs a fixed number of queries, whatever the number of
orders, lines and producers.

A missing line (an item that did not come) does not count: not brought, not sold, not paid
(``_counted_lines``, the one rule); the totals by product show it as its own missing row.

Amounts: the lines' ``amount`` is the current amount including VAT (0 for a missing item, the
weighed amount once weighed). The amount excluding VAT is computed once per VAT rate group, on
the sum including VAT (HT = TTC / (1 + rate), rounded half up to the cent), never line by line
then summed: the per-rate totals are the figures of reference (the ones an invoice shows).
A product's own excl.-VAT figure is computed the same way on its own total, so the products'
excl.-VAT figures may differ by a few cents from their rate's total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.db.models import Count, QuerySet, Sum

from cabas.accounts.models import person_name
from cabas.catalog.models import Producer
from cabas.core import quantities
from cabas.core.money import ZERO, excluding_vat, format_quantity, round_money
from cabas.orders.models import Order, OrderLine
from cabas.sales.models import Pickup, Sale, Slot


def _active_lines(*, sale: Sale, producer: Producer | None = None) -> QuerySet[OrderLine]:
    """The lines of the sale's active orders (of one producer when given)."""
    # Through the sale's items too (a line's item is of its order's sale): PostgreSQL then
    # reads each item's lines (of the producer: the index on both), as many as the sale has.
    # Through the order's sale and the organisation only, it read the organisation's (or the
    # producer's) lines of every past sale: after two years of weekly sales at our size,
    # 88 ms for a producer's 200 lines (1 ms this way), 130 ms for the sale's 3,000 (35 ms).
    lines = OrderLine.objects.filter(
        organisation_id=sale.organisation_id, order__sale_id=sale.pk, sale_item__sale_id=sale.pk
    ).exclude(order__status=Order.Status.CANCELLED)
    if producer is not None:
        lines = lines.filter(producer_id=producer.pk)
    return lines


def _counted_lines(*, sale: Sale, producer: Producer | None = None) -> QuerySet[OrderLine]:
    """The lines that count: the active orders' lines not missing (neither brought nor sold).
    The summaries, the accounting and the payouts read them, so their figures agree."""
    return _active_lines(sale=sale, producer=producer).filter(is_missing=False)


# --- Per producer and product, per VAT rate ---------------------------------------------------


# The unit columns frozen on the lines, grouped by and read with the quantities.
UNIT_COLUMNS = quantities.UNIT_FIELDS


class _Quantity:
    """How a row with a ``quantity`` and the unit columns shows it ("4 × 250 g"); a customer's
    line shows its weighed weight too, a sum of lines does not (its weight has a column)."""

    shows_weighed = False  # a customer's line: its weighed weight is the line's

    @property
    def quantity_text(self) -> str:
        weighed = self.weighed_kg if self.shows_weighed else None
        return format_quantity(self.quantity, quantities.unit_of(self, weighed_kg=weighed))

    @property
    def unit_text(self) -> str:
        return quantities.unit_text(quantities.unit_of(self))


@dataclass(frozen=True)
class ProductTotal(_Quantity):
    product_id: int
    product_name: str
    unit_label: str
    unit_kind: str
    vat_rate: Decimal
    quantity: Decimal
    weighed_kg: Decimal | None
    amount_incl_vat: Decimal
    amount_excl_vat: Decimal
    lines: int
    content_quantity: Decimal | None = None
    content_unit: str = ""
    content_count: int = 1
    variable_weight: bool = False
    estimated_weight_kg: Decimal | None = None
    is_missing: bool = False  # the product's missing lines, apart: not brought, not sold

    @property
    def vat_rate_display(self) -> str:
        return format_quantity(self.vat_rate)


@dataclass(frozen=True)
class VatTotal:
    vat_rate: Decimal
    amount_incl_vat: Decimal
    amount_excl_vat: Decimal

    @property
    def vat(self) -> Decimal:
        return self.amount_incl_vat - self.amount_excl_vat

    @property
    def vat_rate_display(self) -> str:
        return format_quantity(self.vat_rate)


def vat_totals(amounts_by_rate: dict[Decimal, Decimal]) -> list[VatTotal]:
    """Totals per VAT rate from the sums including VAT of each rate (excl. VAT per rate)."""
    return [
        VatTotal(rate, round_money(amount), excluding_vat(amount, rate))
        for rate, amount in sorted(amounts_by_rate.items())
    ]


class VatTotalsSum:
    """The amounts of something that has ``vat_totals`` (one ``VatTotal`` per rate): incl.
    VAT, excl. VAT (computed on each rate's total) and the VAT."""

    vat_totals: list[VatTotal]

    @property
    def amount_incl_vat(self) -> Decimal:
        return sum((total.amount_incl_vat for total in self.vat_totals), ZERO)

    @property
    def amount_excl_vat(self) -> Decimal:
        return sum((total.amount_excl_vat for total in self.vat_totals), ZERO)

    @property
    def vat(self) -> Decimal:
        return self.amount_incl_vat - self.amount_excl_vat


@dataclass
class ProducerTotals(VatTotalsSum):
    producer_id: int
    producer_name: str
    producer_email: str
    products: list[ProductTotal] = field(default_factory=list)
    vat_totals: list[VatTotal] = field(default_factory=list)


def producer_totals(*, sale: Sale, producer: Producer | None = None) -> list[ProducerTotals]:
    """Per producer (by name), its products (by name) with the quantity, the weighed kilos,
    the amounts and the number of lines; and its totals per VAT rate. Two queries however
    many orders: the sums, grouped by the lines' own columns (not by the producer's name and
    e-mail, which made the database sort every line on them), then the few producers.

    A product is one row per name, unit and VAT rate frozen on the lines: a product renamed
    or whose rate changed during the sale shows as two rows, as the lines say. Its missing
    lines are a row of their own (``is_missing``, after the counted one), outside the totals
    per VAT rate: what was ordered but did not come."""
    rows = list(
        _active_lines(sale=sale, producer=producer)
        .values(
            "producer_id", "product_id", "product_name", "vat_rate", *UNIT_COLUMNS, "is_missing"
        )
        .annotate(
            quantity_sum=Sum("quantity"),
            weighed_sum=Sum("weighed_kg"),
            amount_sum=Sum("amount"),
            line_count=Count("pk"),
        )
        .order_by("product_name", "product_id", "vat_rate", *UNIT_COLUMNS, "is_missing")
    )
    producers = _ranked_producers({row["producer_id"] for row in rows})
    # A stable sort: each producer's products keep the database's order.
    rows.sort(key=lambda row: producers[row["producer_id"]][0])
    summaries = []
    for producer_id, group in groupby(rows, key=lambda row: row["producer_id"]):
        _rank, name, email = producers[producer_id]
        summary = ProducerTotals(producer_id=producer_id, producer_name=name, producer_email=email)
        by_rate: dict[Decimal, Decimal] = {}
        for row in group:
            missing = row["is_missing"]  # its amount is 0 already, its weight not sold
            amount = row["amount_sum"] or ZERO
            summary.products.append(
                ProductTotal(
                    product_id=row["product_id"],
                    product_name=row["product_name"],
                    vat_rate=row["vat_rate"],
                    quantity=row["quantity_sum"],
                    weighed_kg=None if missing else row["weighed_sum"],
                    amount_incl_vat=round_money(amount),
                    amount_excl_vat=excluding_vat(amount, row["vat_rate"]),
                    lines=row["line_count"],
                    is_missing=missing,
                    **{name: row[name] for name in UNIT_COLUMNS},
                )
            )
            if not missing:
                # Sums of sums of the database's aggregates, per rate: exact decimals.
                by_rate[row["vat_rate"]] = by_rate.get(row["vat_rate"], ZERO) + amount
        summary.vat_totals = vat_totals(by_rate)
        summaries.append(summary)
    return summaries


def producer_vat_totals(*, sale: Sale) -> list[ProducerTotals]:
    """Per producer (by name), its totals per VAT rate, as ``producer_totals`` but without
    the products (the accounting's and payouts' figures). Two queries: the database sums per
    producer and rate, a few hundred groups, instead of sorting every line by product."""
    by_producer: dict[int, dict[Decimal, Decimal]] = {}
    for producer_id, rate, amount in (
        _counted_lines(sale=sale)
        .values_list("producer_id", "vat_rate")
        .annotate(amount_sum=Sum("amount"))
        .order_by()
    ):
        by_producer.setdefault(producer_id, {})[rate] = amount
    producers = _ranked_producers(set(by_producer))
    return [
        ProducerTotals(producer_id, *producers[producer_id][1:], vat_totals=vat_totals(by_rate))
        for producer_id, by_rate in sorted(by_producer.items(), key=lambda i: producers[i[0]][0])
    ]


def sale_vat_totals(producers: Iterable[ProducerTotals]) -> list[VatTotal]:
    """The whole sale's totals per VAT rate (excl. VAT computed on each rate's sale total)."""
    by_rate: dict[Decimal, Decimal] = {}
    for summary in producers:
        for total in summary.vat_totals:
            by_rate[total.vat_rate] = by_rate.get(total.vat_rate, ZERO) + total.amount_incl_vat
    return vat_totals(by_rate)


# --- Per producer and pickup: what to bring where ---------------------------------------------


@dataclass(slots=True)
class PickupProductTotal(_Quantity):
    """Tens of thousands after a big sale: made from the database's rows as they come (the
    fields in the columns' order), without the cost of a frozen dataclass."""

    product_id: int
    product_name: str
    unit_kind: str
    unit_label: str
    content_quantity: Decimal | None
    content_unit: str
    content_count: int
    variable_weight: bool
    estimated_weight_kg: Decimal | None
    quantity: Decimal
    lines: int


@dataclass
class PickupTotals:
    pickup_id: int
    pickup_point_name: str
    pickup_point_address: str
    starts_at: datetime
    ends_at: datetime
    orders: int = 0
    products: list[PickupProductTotal] = field(default_factory=list)


@dataclass
class ProducerPickups:
    producer_id: int
    producer_name: str
    pickups: list[PickupTotals] = field(default_factory=list)


def producer_pickup_totals(
    *, sale: Sale, producer: Producer | None = None
) -> list[ProducerPickups]:
    """Per producer, per pickup of the sale (a point on a date), the quantity of each product
    to bring there and the number of orders to prepare. Four queries however many orders.
    A missing line is not brought: it is not counted, nor is an order with only such lines.

    The sums are grouped by the lines' own columns only: grouping by the producer's and the
    pickup point's names as well made the database sort every line on those names (on disk,
    for a big sale). The few producers and pickups are read apart, in the database's order of
    their names, and the groups put in that order."""
    lines = _counted_lines(sale=sale, producer=producer)
    # Tuples: the producer, the pickup, then a PickupProductTotal's fields.
    rows = list(
        lines.values_list(
            "producer_id", "order__pickup_id", "product_id", "product_name", *UNIT_COLUMNS
        )  # fmt: skip
        .annotate(quantity_sum=Sum("quantity"), line_count=Count("pk"))
        .order_by("product_name", "product_id", *UNIT_COLUMNS)
    )
    # An order has one line per product, but several products of the producer: its orders
    # are counted apart (distinct), per producer and pickup.
    order_counts = {
        (producer_id, pickup_id): count
        for producer_id, pickup_id, count in lines.values_list("producer_id", "order__pickup_id")
        .annotate(order_count=Count("order_id", distinct=True))
        .order_by()
    }
    producer_names = _ranked_producers({row[0] for row in rows})
    pickups = _ranked_pickups({row[1] for row in rows})
    # A stable sort: within a producer and a pickup, the products keep the database's order.
    rows.sort(key=lambda row: (producer_names[row[0]][0], pickups[row[1]][0]))
    result = []
    for producer_id, producer_rows in groupby(rows, key=itemgetter(0)):
        producer_pickups = ProducerPickups(
            producer_id=producer_id, producer_name=producer_names[producer_id][1]
        )
        for pickup_id, pickup_rows in groupby(producer_rows, key=itemgetter(1)):
            orders = order_counts.get((producer_id, pickup_id), 0)
            producer_pickups.pickups.append(
                _pickup_totals(pickups[pickup_id][1], orders, pickup_rows)
            )
        result.append(producer_pickups)
    return result


def _ranked_producers(producer_ids: set[int]) -> dict[int, tuple[int, str, str]]:
    """Each producer's rank in the database's order of names, its name and its e-mail."""
    return {
        producer_id: (rank, name, email)
        for rank, (producer_id, name, email) in enumerate(
            Producer.objects.filter(pk__in=producer_ids)
            .order_by("name", "pk")
            .values_list("pk", "name", "email")
        )
    }


def _ranked_pickups(pickup_ids: set[int]) -> dict[int, tuple[int, tuple]]:
    """Each pickup's rank (by time, then point name) and its point's name, address and hours."""
    return {
        values[0]: (rank, values)
        for rank, values in enumerate(
            Pickup.objects.filter(pk__in=pickup_ids)
            .order_by("starts_at", "pickup_point__name", "pk")
            .values_list(
                "pk", "pickup_point__name", "pickup_point__address", "starts_at", "ends_at"
            )
        )
    }


def _pickup_totals(pickup: tuple, orders: int, rows) -> PickupTotals:
    pickup_id, point_name, point_address, starts_at, ends_at = pickup
    return PickupTotals(
        pickup_id=pickup_id,
        pickup_point_name=point_name,
        pickup_point_address=point_address,
        starts_at=starts_at,
        ends_at=ends_at,
        orders=orders,
        products=[PickupProductTotal(*row[2:]) for row in rows],
    )


# --- Per customer -----------------------------------------------------------------------------


@dataclass(slots=True)
class CustomerLine(_Quantity):
    shows_weighed = True

    producer_id: int
    producer_name: str
    product_name: str
    unit_label: str
    unit_kind: str
    quantity: Decimal
    weighed_kg: Decimal | None
    vat_rate: Decimal
    amount_incl_vat: Decimal
    is_missing: bool
    content_quantity: Decimal | None = None
    content_unit: str = ""
    content_count: int = 1
    variable_weight: bool = False
    estimated_weight_kg: Decimal | None = None


@dataclass
class CustomerOrder:
    order_id: int
    number: int | None
    customer_name: str
    pickup_point_name: str
    pickup_starts_at: datetime
    slot_starts_at: datetime | None
    slot_ends_at: datetime | None
    lines: list[CustomerLine] = field(default_factory=list)

    @property
    def amount_incl_vat(self) -> Decimal:
        """The amount of the lines shown (of one producer when the summary is a producer's)."""
        return sum((line.amount_incl_vat for line in self.lines), ZERO)


def customer_lines(*, sale: Sale, producer: Producer | None = None) -> list[CustomerOrder]:
    """Each active order (by pickup, then number) with its lines (only the producer's when
    given, and then only the orders with a line of that producer). Four queries however many
    orders, read as tuples (tens of thousands of lines after a big sale).

    The orders and their lines are read apart: one row per line carrying its order's columns
    made the database sort a wide six-table join on disk, and converting the pickup's and the
    slot's times on every line (the same for hundreds of orders) cost more than all the rest;
    those times are read once per pickup and per slot instead."""
    orders = Order.objects.filter(organisation_id=sale.organisation_id, sale_id=sale.pk).exclude(
        status=Order.Status.CANCELLED
    )
    if producer is not None:
        # The producer's lines of the sale first (as ``_active_lines``), then their orders:
        # testing each order of the sale for a line of the producer read all their lines.
        orders = orders.filter(
            pk__in=OrderLine.objects.filter(
                organisation_id=sale.organisation_id,
                sale_item__sale_id=sale.pk,
                producer_id=producer.pk,
            ).values("order_id")
        )
    order_rows = list(
        orders.values_list(
            "pk",
            "number",
            "user__first_name",
            "user__last_name",
            "user__email",
            "pickup__pickup_point__name",
            "pickup_id",
            "slot_id",
        ).order_by("pickup__starts_at", "pickup__pickup_point__name", "pickup_id", "number", "pk")
    )
    lines_of = _customer_lines_by_order(sale=sale, producer=producer)
    pickup_starts, slot_times = _pickup_and_slot_times(sale)
    result = []
    for order_id, number, first_name, last_name, email, point, pickup_id, slot_id in order_rows:
        lines = lines_of.get(order_id)
        if not lines:  # listed for its lines only, as before (none of the producer's: not listed)
            continue
        slot_starts_at, slot_ends_at = slot_times.get(slot_id, (None, None))
        result.append(
            CustomerOrder(
                order_id=order_id,
                number=number,
                customer_name=person_name(first_name, last_name, email),
                pickup_point_name=point,
                pickup_starts_at=pickup_starts[pickup_id],
                slot_starts_at=slot_starts_at,
                slot_ends_at=slot_ends_at,
                lines=lines,
            )
        )
    return result


def _pickup_and_slot_times(sale: Sale) -> tuple[dict, dict]:
    """The start of each pickup of the sale and the hours of each of its slots, once each
    (asked by sale: a list of the thousands of ids read cost Django more than the query).
    The slots by the sale's few pickups' ids: joined to the pickups by sale, PostgreSQL read
    the slots of every past sale (60,000 for 1,440 at ten times our size)."""
    pickup_starts = dict(
        Pickup.objects.filter(sale_id=sale.pk).values_list("pk", "starts_at").order_by()
    )
    slot_times = {
        slot_id: (starts_at, ends_at)
        for slot_id, starts_at, ends_at in Slot.objects.filter(pickup_id__in=list(pickup_starts))
        .values_list("pk", "starts_at", "ends_at")
        .order_by()
    }
    return pickup_starts, slot_times


def _customer_lines_by_order(*, sale: Sale, producer: Producer | None):
    """The active lines of the sale (of the producer when given), by order id."""
    line_rows = (
        _active_lines(sale=sale, producer=producer)
        .values_list(
            "order_id",
            "producer_id",
            "producer__name",
            "product_name",
            "unit_label",
            "unit_kind",
            "quantity",
            "weighed_kg",
            "vat_rate",
            "amount",
            "is_missing",
            *UNIT_COLUMNS[2:],
        )
        # By order first: PostgreSQL then reads the lines in the order of the index on the
        # order and sorts only each order's few lines (an incremental sort), not all of them.
        .order_by("order_id", "producer__name", "product_name", "pk")
    )
    lines_of: dict[int, list[CustomerLine]] = {}
    for order_id, *line in line_rows:
        lines_of.setdefault(order_id, []).append(CustomerLine(*line))
    return lines_of
