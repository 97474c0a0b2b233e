"""Places and quantities booked the way production books them: by members' orders
(``cabas.orders.services``), never by writing the counters."""

from __future__ import annotations

from decimal import Decimal

from cabas.accounts.tests.factories import UserFactory
from cabas.catalog.tests.factories import ProducerLinkFactory, ProductFactory
from cabas.orders import services as order_services
from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import MembershipFactory
from cabas.sales import services
from cabas.sales.models import Sale, SaleItem


def a_member(organisation):
    user = UserFactory()
    MembershipFactory(organisation=organisation, user=user, status=Membership.Status.ACTIVE)
    return user


def an_item(sale: Sale, **product_fields) -> SaleItem:
    """A product offered in the sale (a new one when ``product_fields`` are given, else the
    sale's first item, else a new one)."""
    if not product_fields:
        item = sale.items.select_related("product").order_by("pk").first()
        if item is not None:
            return item
    link = ProducerLinkFactory(organisation=sale.organisation)
    product = ProductFactory(
        organisation=sale.organisation, producer=link.producer, **product_fields
    )
    services.sale_items_sync(sale=sale)
    return SaleItem.objects.select_related("product").get(sale=sale, product=product)


def place_order(sale: Sale, *, pickup, slot=None, item=None, quantity="1", now=None, user=None):
    """A member's order of ``quantity`` of ``item`` (or of the sale's first product) at the
    pickup (and slot): one place and that quantity counted."""
    item = item or an_item(sale)
    return order_services.order_place(
        user=user or a_member(sale.organisation),
        sale=sale,
        pickup_id=pickup.pk,
        slot_id=slot.pk if slot is not None else None,
        lines=[(item.product_id, Decimal(quantity))],
        now=now,
        notify=False,
    )
