"""The rows of the demo's generated history, built in memory and written in bulk.

Two years of weekly sales for the collective and a year of drive days for the coop are tens of
thousands of rows: placing them one by one through the services would take minutes, so they
are built here directly, with exactly what the services write for an order placed, then
collected (or not) and its pickup closed: the order and its lines (``order_line_build``: the
product's price and VAT rate frozen on the line), its number and the sale's counter, the
counters of the pickup, the slot and the sale item, its due and its payment on the member's
account, and for a product kept in the shop's stock its movement in the ledger. Not written:
the orders' events (their audit trail, read only on an order's page: twenty thousand rows
for nothing the dashboards show), and the sale items of the products nobody ordered that
week. Dates are those of the past, not the day the demo is loaded (``insert_rows``).
"""

from __future__ import annotations

import zlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, connections, models

from cabas.catalog.models import Product, StockMovement
from cabas.money.models import AccountEntry, MembershipPeriod
from cabas.orders.models import Order, OrderLine, SaleOrderCounter
from cabas.orders.placing import order_line_build
from cabas.sales.models import Pickup, Sale, SaleItem, Slot, SlotMode

# Every generated sale's title ends with it: the history is found again in one query.
HISTORY_MARK = " (historique)"
METHODS = ("cash", "cheque", "card", "transfer")
# The coop's members joined over its year (``joined_on``): their shares, their first orders.
JOINED_WITHIN_DAYS = 364


def stamped(row, at: datetime):
    """``row`` created and last changed at ``at``."""
    row.created_at = row.updated_at = at
    return row


def joined_on(today: date, email: str, days: int) -> date:
    """The day a member joined, stable for an e-mail: the demo's logins and about a third of
    the members at the start, ``days`` before ``today``; the others any day since."""
    number = zlib.crc32(email.encode())
    if email.split("@")[0] in ("membre", "coordination", "benevole1") or number % 3 == 0:
        return today - timedelta(days=days)
    return today - timedelta(days=number // 3 % days)


def membership_year_start(on: date, month: int = 9, day: int = 1) -> date:
    """The first day of the membership year (fixed renewal date) containing ``on``."""
    renewal = date(on.year, month, day)
    return renewal if on >= renewal else renewal.replace(year=on.year - 1)


class HistoryRows:
    """The rows of the generated sales of one organisation, written by ``save``."""

    def __init__(self, organisation):
        self.organisation = organisation
        self.zone = organisation.tzinfo
        self.sales, self.pickups, self.slots, self.items = [], [], [], []
        self.orders, self.lines, self.entries = [], [], []
        self.movements, self.periods = [], []
        self.stock: dict[int, Decimal] = {}  # running shop stock by product id

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone)

    def sale(self, *, title: str, kind: str, opens_at, closes_at, occurrence_date=None) -> Sale:
        sale = Sale(
            organisation=self.organisation, title=title + HISTORY_MARK, kind=kind,
            status=Sale.Status.DISTRIBUTED, opens_at=opens_at, closes_at=closes_at,
            opened_at=opens_at, closed_at=closes_at, after_cutoff_at=closes_at,
            occurrence_date=occurrence_date,
        )  # fmt: skip
        sale.order_count = 0
        sale.items_made = {}
        self.sales.append(stamped(sale, opens_at - timedelta(days=3)))
        return sale

    def pickup(self, sale: Sale, point, starts_at, ends_at, *, minutes: int, capacity: int,
               lead_time=timedelta(0)) -> tuple[Pickup, list[Slot]]:  # fmt: skip
        """A pickup with its slots, closed at its end (distribution day is over)."""
        pickup = Pickup(
            organisation=self.organisation, sale=sale, pickup_point=point, starts_at=starts_at,
            ends_at=ends_at, slot_mode=SlotMode.SLOTS, slot_minutes=minutes,
            slot_capacity=capacity, lead_time=lead_time, closed_at=ends_at,
        )  # fmt: skip
        self.pickups.append(stamped(pickup, sale.opens_at))
        slots = []
        start = starts_at
        while start + timedelta(minutes=minutes) <= ends_at:
            slot = Slot(organisation=self.organisation, pickup=pickup, starts_at=start,
                        ends_at=start + timedelta(minutes=minutes), capacity=capacity)  # fmt: skip
            slots.append(stamped(slot, sale.opens_at))
            start += timedelta(minutes=minutes)
        self.slots += slots
        return pickup, slots

    def item(self, sale: Sale, product: Product) -> SaleItem:
        """The product's item in the sale, made the first time someone orders it."""
        item = sale.items_made.get(product.pk)
        if item is not None:
            return item
        item = sale.items_made[product.pk] = SaleItem(
            organisation=self.organisation, sale=sale, product=product,
            quantity_available=product.default_quantity_per_sale
            if product.stock_mode == Product.StockMode.PER_SALE else None,
        )  # fmt: skip
        self.items.append(stamped(item, sale.opens_at))
        return item

    @staticmethod
    def room(item: SaleItem, quantity: Decimal) -> bool:
        """The sale still has ``quantity`` of the item (a limited quantity per sale)."""
        available = item.quantity_available
        return available is None or item.quantity_ordered + quantity <= available

    def order(self, *, sale, pickup, slot, user_id: int, placed_at: datetime,
              lines: list[tuple[SaleItem, Decimal]], no_show: bool) -> Order:  # fmt: skip
        """An order placed at ``placed_at``, collected in its slot (or a no-show), its
        pickup closed: every counter and account entry the services would have written."""
        sale.order_count += 1
        order = Order(
            organisation=self.organisation, sale=sale, user_id=user_id, number=sale.order_count,
            pickup=pickup, slot=slot,
            status=Order.Status.NO_SHOW if no_show else Order.Status.COLLECTED,
            collected_at=None if no_show else slot.starts_at + timedelta(minutes=user_id % 13),
            finalised_at=pickup.ends_at,
        )  # fmt: skip
        built = [order_line_build(order, item, quantity) for item, quantity in lines]
        order.total = sum((line.amount for line in built), Decimal("0.00"))
        self.orders.append(stamped(order, placed_at))
        order.updated_at = pickup.ends_at
        for line in built:
            self.lines.append(stamped(line, placed_at))
            line.sale_item.quantity_ordered += line.quantity
        pickup.booked += 1
        slot.booked += 1
        self._money(order)
        return order

    def _money(self, order: Order) -> None:
        done = order.collected_at or order.pickup.ends_at
        if not order.total:
            return
        # The due when the pickup closed; the payment at the pickup, or a transfer the week
        # after for a no-show (the demo's past leaves nobody owing).
        paid_at = done if order.collected_at else done + timedelta(days=6)
        due = AccountEntry(organisation=self.organisation, user_id=order.user_id,
                           kind=AccountEntry.Kind.ORDER, amount=-order.total, order=order,
                           pickup=order.pickup)  # fmt: skip
        due.created_at = order.pickup.ends_at
        payment = AccountEntry(
            organisation=self.organisation, user_id=order.user_id, kind=AccountEntry.Kind.PAYMENT,
            amount=order.total, order=order, pickup=order.pickup if order.collected_at else None,
            method="transfer" if not order.collected_at else METHODS[order.number % 3],
        )  # fmt: skip
        payment.created_at = paid_at
        self.entries += [due, payment]

    def stock_take(self, product: Product, quantity: Decimal, *, order=None, user_id=None,
                   at: datetime, reason: str = StockMovement.Reason.ORDER_PLACED,
                   note: str = "") -> None:  # fmt: skip
        """A movement of the shop's stock's ledger (negative ``quantity`` gives back), with
        the stock after it."""
        after = self.stock[product.pk] - quantity
        self.stock[product.pk] = after
        movement = StockMovement(
            organisation=self.organisation, product=product, delta=-quantity,
            quantity_after=after, reason=reason, note=note, made_by_id=user_id,
        )  # fmt: skip
        movement.placed_order = order  # its key once the orders are saved
        self.movements.append(stamped(movement, at))

    def membership_years(self, memberships: dict[int, int], first_orders: dict, fee: Decimal,
                         existing: set, current: date) -> None:  # fmt: skip
        """A paid membership year for each past year a member ordered in (the fee paid with
        their first order of that year), unless that year is already there. The current
        year (from ``current``) is the rest of the demo's: who paid it, who let it lapse."""
        for (user_id, year_start), paid_at in sorted(first_orders.items()):
            membership_id = memberships.get(user_id)
            if year_start >= current or membership_id is None:
                continue
            if (membership_id, year_start) in existing:
                continue
            period = MembershipPeriod(
                organisation=self.organisation, membership_id=membership_id,
                starts_on=year_start, ends_on=year_start.replace(year=year_start.year + 1),
                fee=fee, paid_at=paid_at,
            )  # fmt: skip
            self.periods.append(stamped(period, paid_at))
            for kind, amount in (("membership", -fee), ("payment", fee)):
                entry = AccountEntry(
                    organisation=self.organisation, user_id=user_id, kind=kind, amount=amount,
                    membership_period=period, method="" if amount < 0 else METHODS[user_id % 3],
                )  # fmt: skip
                entry.created_at = paid_at
                self.entries.append(entry)

    def save(self) -> dict[str, int]:
        """Everything, in the order of the foreign keys (``insert_rows``)."""
        for sale in self.sales:
            sale.counter = SaleOrderCounter(sale=sale, last_number=sale.order_count)
        for model, rows in (
            (Sale, self.sales), (Pickup, self.pickups), (Slot, self.slots),
            (SaleItem, self.items), (Order, self.orders), (OrderLine, self.lines),
            (MembershipPeriod, self.periods),
            (AccountEntry, self.entries), (StockMovement, self.movements),
            (SaleOrderCounter, [sale.counter for sale in self.sales if sale.order_count]),
        ):  # fmt: skip
            if model is StockMovement:
                for movement in rows:
                    order = movement.placed_order
                    movement.order_id = order.pk if order is not None else None
            insert_rows(model, rows)
        return {"sales": len(self.sales), "orders": len(self.orders), "lines": len(self.lines)}


PLAIN_FIELDS = (models.IntegerField, models.BooleanField, models.ForeignKey, models.AutoField)


def _converter(field, connection):
    """How a value of ``field`` is written: as it is for numbers, booleans and keys; as
    text for text (a choice's value); dates and decimals as the database's operations adapt
    them (what the fields' own ``get_db_prep_save`` ends with); else through that."""
    real = connections[connection.alias]  # the connection itself, not the thread's proxy
    ops = real.ops
    if isinstance(field, PLAIN_FIELDS):
        return lambda value: value
    if isinstance(field, models.CharField | models.TextField):
        return lambda value: None if value is None else str(value)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    return lambda value: field.get_db_prep_save(value, real)


def insert_rows(model, rows: list, *, chunk: int = 5000) -> None:
    """Insert ``rows`` (model instances) with one ``executemany`` per chunk: ``bulk_create``
    compiles every value of every row into its SQL, several times slower for the history's
    hundred thousand rows. Their keys are given here, after the table's largest (the demo's
    seed runs alone, in one transaction), so the rows that point to them can follow; the
    key sequence is moved past them where the database has one (PostgreSQL). Values go
    through each field's ``get_db_prep_save``, as Django's own insert does; the dates are
    the ones given (``created_at``… are not stamped with now)."""
    if not rows:
        return
    meta = model._meta
    fields = meta.concrete_fields
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)}")  # noqa: S608
        first = (cursor.fetchone()[0] or 0) + 1
        if meta.pk.is_relation:  # a one-to-one key: the row it extends gives it
            first = None
        relations = [field for field in fields if field.is_relation]
        for offset, row in enumerate(rows):
            for field in relations:
                related = field.get_cached_value(row, default=None)
                if related is not None and getattr(row, field.attname) is None:
                    setattr(row, field.attname, related.pk)
            if first is not None:
                row.pk = first + offset
        convert = [_converter(field, connection) for field in fields]
        columns = ", ".join(quote(field.column) for field in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        for start in range(0, len(rows), chunk):
            cursor.executemany(
                sql,
                [
                    [to_db(getattr(row, field.attname))
                     for field, to_db in zip(fields, convert, strict=True)]
                    for row in rows[start : start + chunk]
                ],
            )  # fmt: skip
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)
