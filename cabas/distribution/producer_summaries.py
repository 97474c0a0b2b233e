"""A sale's summary, producer by producer: each producer's totals, what it brings to each
pickup and its part of each order, in one object per producer (the page and the e-mails).

The figures are the summaries' selectors (cabas/orders/summaries.py), read once for the whole
sale; this module only puts each producer's parts together, so the numbers of queries stay
those of the selectors, whatever the number of producers and orders."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from cabas.catalog.models import Producer
from cabas.orders import summaries
from cabas.sales.models import Sale


@dataclass
class ProducerSummary:
    """One producer's part of a sale: its totals (per product, then per VAT rate), what to
    bring to each pickup, and its lines of each order."""

    totals: summaries.ProducerTotals
    pickups: list[summaries.PickupTotals] = field(default_factory=list)
    orders: list[summaries.CustomerOrder] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)  # who its e-mail goes to
    sent: list = field(default_factory=list)  # the e-mails recorded (SummaryDispatch rows)

    @property
    def producer_id(self) -> int:
        return self.totals.producer_id

    @property
    def orders_by_pickup(self) -> list[tuple[str, datetime, list[summaries.CustomerOrder]]]:
        """The orders (already in pickup order) in groups: each pickup's point, start and
        orders (printed under one heading per pickup instead of a long column)."""
        return [
            (point, starts_at, list(orders))
            for (point, starts_at), orders in groupby(
                self.orders, key=lambda order: (order.pickup_point_name, order.pickup_starts_at)
            )
        ]


def orders_by_producer(
    orders: list[summaries.CustomerOrder],
) -> dict[int, list[summaries.CustomerOrder]]:
    """Each producer's part of the orders (the order with only its lines), in one pass."""
    parts: dict[int, list[summaries.CustomerOrder]] = {}
    for order in orders:
        lines_by_producer: dict[int, list[summaries.CustomerLine]] = {}
        for line in order.lines:
            lines_by_producer.setdefault(line.producer_id, []).append(line)
        for producer_id, lines in lines_by_producer.items():
            parts.setdefault(producer_id, []).append(dataclasses.replace(order, lines=lines))
    return parts


def producer_summaries(
    *, sale: Sale, producer: Producer | None = None
) -> tuple[list[ProducerSummary], int]:
    """Each producer's summary (only ``producer``'s when given), by producer name, and the
    number of orders they come from."""
    totals = summaries.producer_totals(sale=sale, producer=producer)
    pickups = {
        part.producer_id: part.pickups
        for part in summaries.producer_pickup_totals(sale=sale, producer=producer)
    }
    orders = summaries.customer_lines(sale=sale, producer=producer)
    parts = orders_by_producer(orders)
    return [
        ProducerSummary(
            totals=summary,
            pickups=pickups.get(summary.producer_id, []),
            orders=parts.get(summary.producer_id, []),
        )
        for summary in totals
    ], len(orders)
