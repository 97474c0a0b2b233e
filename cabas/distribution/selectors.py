"""Reads for distribution day, scoped by organisation, in a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.paginator import Page
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cabas.catalog import categories
from cabas.core import quantities
from cabas.core.paging import page_of
from cabas.core.params import whole_number
from cabas.orders.models import Order, OrderEvent, OrderLine
from cabas.orgs.models import Membership, Organisation
from cabas.sales.models import Pickup, Sale, SaleItem

from .models import SummaryDispatch


def checkin_pickups(*, organisation: Organisation, now: datetime | None = None) -> list[Pickup]:
    """Pickups a volunteer may run: not closed, of an open or closed sale, from a week ago to
    a week ahead, soonest first, with their number of orders."""
    now = now or timezone.now()
    active_orders = (
        Order.objects.filter(pickup_id=OuterRef("pk"))
        .exclude(status=Order.Status.CANCELLED)
        .order_by()
        .values("pickup_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return list(
        Pickup.objects.filter(
            organisation=organisation,
            closed_at__isnull=True,
            sale__status__in=[Sale.Status.OPEN, Sale.Status.CLOSED],
            starts_at__gte=now - timedelta(days=7),
            starts_at__lte=now + timedelta(days=7),
        )
        .select_related("pickup_point", "sale")
        # Counted per pickup through the index on the orders' pickup: a join grouped by the
        # pickups' wide rows made the database hash every order (20,000 at 10x).
        .annotate(order_count=Coalesce(Subquery(active_orders), 0))
        .order_by("starts_at", "pickup_point__name")
    )


def checkin_orders(*, pickup: Pickup, search: str = "") -> QuerySet[Order]:
    """The pickup's active orders by slot then name, with the number of items (not missing)."""
    orders = (
        Order.objects.active()
        .filter(pickup=pickup)
        .select_related("user", "slot")
        .annotate(item_count=Count("lines", filter=Q(lines__is_missing=False)))
        .order_by("slot__starts_at", "user__last_name", "user__first_name", "number")
    )
    search = search.strip()
    number = whole_number(search)
    if number is not None:
        orders = orders.filter(number=number)
    elif search:
        for word in search.split():
            orders = orders.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
                | Q(user__second_person__icontains=word)
            )
    return orders


def arrivals(*, pickup: Pickup) -> list[Order]:
    """Members waiting (car boot), in the order they arrived."""
    return list(
        Order.objects.filter(pickup=pickup, arrived_at__isnull=False)
        .exclude(status__in=[Order.Status.COLLECTED, Order.Status.CANCELLED, Order.Status.NO_SHOW])
        .select_related("user", "slot")
        .order_by("arrived_at", "pk")
    )


def checkin_order(*, organisation: Organisation, code) -> Order | None:
    """One order of the organisation with its lines (by producer) and its history."""
    return (
        Order.objects.filter(organisation=organisation, code=code)
        .select_related("user", "sale", "pickup__pickup_point", "slot")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=OrderLine.objects.select_related("producer", "product").order_by(
                    "producer__name", "product_name", "pk"
                ),
            ),
            Prefetch("events", queryset=OrderEvent.objects.select_related("by").order_by("at")),
        )
        .first()
    )


PICKING_PER_PAGE = 40


def picking_orders(*, pickup: Pickup, page_number=None) -> tuple[Page, list[dict]]:
    """Drive picking: a page of the orders to pick or being picked (by slot, the earliest
    first), each with its items grouped by category (the shelves), four queries.

    A page at a time: a pickup may have hundreds of orders and a picker takes the next one;
    every order printed at once was most of the page's time at ten times our size."""
    orders = (
        Order.objects.filter(pickup=pickup, status__in=[Order.Status.PLACED, Order.Status.PICKING])
        .select_related("user", "slot")
        .only("number", "code", "status", "user__first_name", "user__last_name", "slot__starts_at")
        .order_by("slot__starts_at", "number", "pk")
    )
    page = page_of(orders, PICKING_PER_PAGE, page_number)
    shown = list(page.object_list)
    # Only the columns the page prints, read in one query and grouped here (a prefetch built
    # a queryset per order).
    lines = (
        OrderLine.objects.filter(order__in=[order.pk for order in shown])
        .select_related("product")
        .only("order", "product_name", "quantity", "weighed_kg", "is_missing",
              "substitution_note", "product__category", *quantities.UNIT_FIELDS)
        .order_by("product__category", "product_name", "pk")
    )  # fmt: skip
    groups_of: dict[int, dict[str, list[OrderLine]]] = {order.pk: {} for order in shown}
    for line in lines:
        family = categories.family_of(line.product.category)
        shelf = str(family.label) if family else ""
        groups_of[line.order_id].setdefault(shelf, []).append(line)
    picking_by = dict(
        OrderEvent.objects.filter(order__in=[order.pk for order in shown],
                                  kind=OrderEvent.Kind.PICKING)
        .order_by("order", "at")
        .values_list("order", "by__first_name")
    )  # fmt: skip
    entries = [
        {"order": order, "groups": groups_of[order.pk], "picker": picking_by.get(order.pk)}
        for order in shown
    ]
    return page, entries


def missing_counts(*, item_ids: list[int]) -> dict[int, tuple[int, int]]:
    """For each of these sale items: how many of its lines in active orders are marked
    missing and how many are not (one query, for the page of items shown)."""
    rows = (
        OrderLine.objects.filter(sale_item__in=item_ids)
        .exclude(order__status=Order.Status.CANCELLED)
        .order_by()
        .values("sale_item")
        .annotate(
            missing=Count("pk", filter=Q(is_missing=True)),
            kept=Count("pk", filter=Q(is_missing=False)),
        )
        .values_list("sale_item", "missing", "kept")
    )
    return {item_id: (missing, kept) for item_id, missing, kept in rows}


def items_with_missing_counts(items: Iterable[SaleItem]) -> list[SaleItem]:
    """The items of a page of the missing-products page, each with ``missing_orders`` and
    ``kept_orders`` (its lines in active orders said missing, and not): a product already
    said missing is shown so. One query for the page, whatever its number of items."""
    shown = list(items)
    counts = missing_counts(item_ids=[item.pk for item in shown])
    for item in shown:
        item.missing_orders, item.kept_orders = counts.get(item.pk, (0, 0))
    return shown


def ordered_items(*, sale: Sale) -> QuerySet[SaleItem]:
    """The sale's items whose product was ordered (in an order not cancelled), by producer
    then product: those a coordinator may say missing or reprice.

    The items are found here, in one query, then the pages' own queries (the count, the
    producers, the rows) read them by id: asked again in each of them, it was most of the price
    page's database time at ten times our size. Each item of the sale is asked for its first
    active line, through the index on the lines' sale item. Asked with EXISTS, PostgreSQL
    could instead hash every line of the organisation joined to its order when its statistics
    were missing or stale (a second instead of 25 ms at 10x); a value asked of a subquery is
    always asked row by row."""
    first_line = (
        OrderLine.objects.filter(sale_item=OuterRef("pk"))
        .exclude(order__status=Order.Status.CANCELLED)
        .order_by()
        .values("pk")[:1]
    )
    ordered, not_ordered = [], []
    for pk, line in (
        SaleItem.objects.filter(sale=sale)
        .annotate(first_line=Subquery(first_line))
        .order_by()
        .values_list("pk", "first_line")
    ):
        (not_ordered if line is None else ordered).append(pk)
    items = SaleItem.objects.filter(sale=sale)
    # The shorter list of the two (most items of a closed sale were ordered): each of the
    # page's queries carries it, thousands of numbers written into its SQL otherwise.
    if len(not_ordered) < len(ordered):
        items = items.exclude(pk__in=not_ordered)
    else:
        items = items.filter(pk__in=ordered)
    return items.select_related("product__producer").order_by(
        "product__producer__name", "product__name", "pk"
    )


def summary_recipients(*, organisation_id: int, producers: dict[int, str]) -> dict[int, list[str]]:
    """Who gets each producer's summary e-mail (``producers``: id → contact address): its
    contact address, then the people who log in as that producer (active members with the
    producer role for it), each address once whatever its case. One query."""
    recipients = {producer_id: [email] if email else [] for producer_id, email in producers.items()}
    members = (
        Membership.objects.active()
        .filter(organisation_id=organisation_id, is_producer=True, producer_id__in=producers)
        .exclude(user__email="")
        .order_by("producer_id", "user__email")
        .values_list("producer_id", "user__email")
    )
    for producer_id, email in members:
        recipients[producer_id].append(email)
    return {producer_id: _once_each(emails) for producer_id, emails in recipients.items()}


def _once_each(emails: list[str]) -> list[str]:
    """The addresses in their order, each once, as first spelt (case does not tell apart)."""
    seen: dict[str, str] = {}
    for email in emails:
        seen.setdefault(email.strip().casefold(), email.strip())
    return list(seen.values())


def summary_dispatches(*, sale: Sale, producer_id: int | None = None) -> dict[int, list]:
    """The producers' summary e-mails recorded for the sale (of one producer when given), by
    producer: whom each went to and when. One query."""
    rows = SummaryDispatch.objects.filter(
        sale=sale, recipient_kind=SummaryDispatch.RecipientKind.PRODUCER
    )
    if producer_id is not None:
        rows = rows.filter(producer_id=producer_id)
    sent: dict[int, list] = {}
    for row in rows.order_by("producer_id", "pk"):
        sent.setdefault(row.producer_id, []).append(row)
    return sent
