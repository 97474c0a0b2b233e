"""Reads for distribution day, scoped by organisation, in a constant number of queries."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cabas.catalog import categories
from cabas.catalog.models import Product
from cabas.core import quantities
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


def picking_orders(*, pickup: Pickup) -> list[dict]:
    """Drive picking: orders to pick or being picked, each with its items grouped by
    category (the shelves), two queries."""
    # Only the columns the page prints: hundreds of orders and their lines, each column of
    # each (dates above all) read into model instances, were a third of the page's time.
    orders = list(
        Order.objects.filter(pickup=pickup, status__in=[Order.Status.PLACED, Order.Status.PICKING])
        .select_related("user", "slot")
        .only("number", "code", "status", "user__first_name", "user__last_name", "slot__starts_at")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=OrderLine.objects.select_related("product")
                .only(
                    "order",
                    "product_name",
                    "quantity",
                    "weighed_kg",
                    "product__category",
                    *quantities.UNIT_FIELDS,
                )  # fmt: skip
                .order_by("product__category", "product_name"),
            )
        )
        .order_by("slot__starts_at", "number")
    )
    picking_by = dict(
        OrderEvent.objects.filter(order__in=orders, kind=OrderEvent.Kind.PICKING)
        .order_by("order", "at")
        .values_list("order", "by__first_name")
    )
    result = []
    for order in orders:
        groups: dict[str, list[OrderLine]] = {}
        for line in order.lines.all():
            family = categories.family_of(line.product.category)
            groups.setdefault(str(family.label) if family else "", []).append(line)
        result.append({"order": order, "groups": groups, "picker": picking_by.get(order.pk)})
    return result


def ordered_products(*, sale: Sale):
    """The products ordered in the sale (for "a whole product is missing").

    Asked per item of the sale (is there one active line of it?), through the index on the
    lines' sale item: listing the products of every line made the database read all the lines
    of the organisation, past sales included (150 ms at ten times our size, growing with the
    history; 35 ms this way)."""
    ordered_items = SaleItem.objects.filter(sale_id=sale.pk).filter(
        Exists(
            OrderLine.objects.filter(sale_item_id=OuterRef("pk")).exclude(
                order__status=Order.Status.CANCELLED
            )
        )
    )
    return (
        Product.objects.filter(
            organisation_id=sale.organisation_id, pk__in=ordered_items.values("product_id")
        )
        .select_related("producer")
        .only("name", "producer__name")
        .order_by("producer__name", "name")
    )


def ordered_items(*, sale: Sale) -> QuerySet[SaleItem]:
    """The sale's items whose product was ordered (those whose price may be corrected), by
    producer then product."""
    placed = OrderLine.objects.filter(sale_item=OuterRef("pk")).exclude(
        order__status=Order.Status.CANCELLED
    )
    return (
        SaleItem.objects.filter(Exists(placed), sale=sale)  # by the lines' index on the item
        .select_related("product__producer")
        .order_by("product__producer__name", "product__name", "pk")
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
