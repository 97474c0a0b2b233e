"""A Cabas order as a DFC 1.16.0 Order graph: what the order endpoints answer.

The Order (``@id`` its address under ``/api/dfc/enterprises/<slug>/orders/<code>``, the
order's unguessable code) with its number, date, sale (``belongsTo`` the SaleSession of
``sale_sessions``), the pickup or time slot it ``selects``, ``soldBy`` the organisation, its
statuses and its lines (``#line-<pk>`` of the order's address): quantity, the price frozen
when it was ordered (incl. VAT, with its rate) and the sale's Offer it ``concerns``, written
in the graph with the SuppliedProduct it offers.

Statuses (``dfc-v:``): an order still open to changes is ``Held``, one being prepared or
handed out ``Complete``, a cancelled one ``Cancelled``; fulfilment ``Fulfilled`` once
collected, ``Cancelled``, else ``Unfulfilled``.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from cabas.orders.models import Order

from . import mapping
from .export import compact, number
from .loader import CONTEXT_1_16
from .order_reading import Addresses

ORDER_STATUS = {
    Order.Status.PLACED: "dfc-v:Held",
    Order.Status.PICKING: "dfc-v:Complete",
    Order.Status.READY: "dfc-v:Complete",
    Order.Status.COLLECTED: "dfc-v:Complete",
    Order.Status.NO_SHOW: "dfc-v:Complete",
    Order.Status.CANCELLED: "dfc-v:Cancelled",
}
FULFILMENT_STATUS = {
    Order.Status.COLLECTED: "dfc-v:Fulfilled",
    Order.Status.CANCELLED: "dfc-v:Cancelled",
}


def orders_graph(orders: list[Order], *, organisation, addresses: Addresses) -> dict:
    """The JSON-LD document of ``orders`` (their lines prefetched)."""
    zone = organisation.tzinfo
    graph: list[dict] = []
    offers: dict[int, dict] = {}
    for order in orders:
        graph.extend(order_nodes(order, addresses=addresses, zone=zone, offers=offers))
    graph.extend(offers.values())
    return {"@context": CONTEXT_1_16, "@graph": graph}


def order_nodes(order: Order, *, addresses: Addresses, zone: ZoneInfo, offers: dict) -> list:
    """The Order and its OrderLines; the sale Offers they concern are added to ``offers``."""
    order_id = addresses.order(order.code)
    sessions = addresses.sale_sessions
    node = {
        "@id": order_id,
        "@type": "dfc-b:Order",
        "dfc-b:orderNumber": str(order.number or ""),
        "dfc-b:date": order.created_at.astimezone(zone).isoformat(),
        "dfc-b:belongsTo": f"{sessions}#sale-{order.sale_id}",
        "dfc-b:selects": f"{sessions}#slot-{order.slot_id}"
        if order.slot_id
        else f"{sessions}#pickup-{order.pickup_id}",
        "dfc-b:soldBy": addresses.enterprise,
        "dfc-b:hasOrderStatus": ORDER_STATUS[order.status],
        "dfc-b:hasFulfilmentStatus": FULFILMENT_STATUS.get(order.status, "dfc-v:Unfulfilled"),
        "dfc-b:hasPart": [],
    }
    nodes = [node]
    for line in order.lines.all():
        offer_id = f"{sessions}#offer-{line.sale_item_id}"
        line_node = {
            "@id": f"{order_id}#line-{line.pk}",
            "@type": "dfc-b:OrderLine",
            "dfc-b:description": line.product_name,
            "dfc-b:quantity": number(line.quantity),
            "dfc-b:hasPrice": {
                "@type": "dfc-b:Price",
                "dfc-b:value": number(line.unit_price),
                "dfc-b:VATrate": number(line.vat_rate),
                "dfc-b:hasUnit": compact(mapping.EURO),
            },
            "dfc-b:concerns": offer_id,
            "dfc-b:partOf": order_id,
        }
        node["dfc-b:hasPart"].append(line_node["@id"])
        nodes.append(line_node)
        offers.setdefault(
            line.sale_item_id,
            {
                "@id": offer_id,
                "@type": "dfc-b:Offer",
                "dfc-b:offeredItem": f"{addresses.enterprise}/supplied_products/{line.product_id}",
            },
        )
    return nodes
