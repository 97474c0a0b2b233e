"""What a received DFC Order asks for, read from its graph (``jsonld_graph``), before any
database read: docs/interop.md "Receiving orders" describes the graph.

- exactly one ``dfc-b:Order``; its ``@id`` is the sender's (the key a repeated POST is
  recognised by) unless it is blank, the orders collection's address (how OFN asks the
  server to name a new order) or one of Cabas's own order addresses;
- ``dfc-b:hasOrderStatus`` a ``dfc-v:`` status (Draft, Held, Complete, Cancelled), optional;
- ``dfc-b:belongsTo`` a SaleSession Cabas publishes (``…/sale_sessions#sale-N``); one it does
  not publish (OFN sends its own) is not read: the sale is then the pickup's or the offers';
- ``dfc-b:selects`` the PickupOption chosen: a pickup (``#pickup-N``) or one of its time slots
  (``#slot-N``);
- ``dfc-b:hasPart`` the OrderLines (and any OrderLine ``dfc-b:partOf`` the Order): each a
  ``dfc-b:quantity`` (a number, or a string holding one; else ``dfc-b:hasQuantity``'s
  ``dfc-b:value``) and ``dfc-b:concerns`` an Offer: one of Cabas's (catalog
  ``…/offers/<product>`` or sale ``…/sale_sessions#offer-<sale item>``), or any Offer whose
  ``dfc-b:offeredItem`` / ``dfc-b:offers`` (both spellings) is one of Cabas's
  SuppliedProducts or CatalogItems, directly or through a CatalogItem that ``references`` it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from . import errors
from .jsonld_graph import Graph, Node, local_name

STATUSES = ("Draft", "Held", "Complete", "Cancelled")
QUANTITY_MAX = Decimal("10000000")
_NUMBER = r"(\d{1,18})"
# The kinds of Cabas's addresses a line may concern: a product, or a product in a sale.
OFFERED = ("offers", "supplied_products", "catalog_items", "sale_offer")


@dataclass(frozen=True)
class Addresses:
    """The addresses of one organisation's DFC nodes, on the site's public address."""

    enterprise: str
    sale_sessions: str
    orders: str

    @classmethod
    def of(cls, slug: str) -> Addresses:
        def url(name):
            return settings.SITE_URL + reverse(name, kwargs={"slug": slug})

        return cls(url("dfc:enterprise"), url("dfc:sale_sessions"), url("dfc:orders"))

    def order(self, code) -> str:
        return f"{self.orders}/{code}"

    def ours(self, iri: str) -> tuple[str, int | str] | None:
        """("offer", 12), ("sale", 3), ("order", "<code>")… for an address of this
        organisation's nodes, None for any other."""
        for kind in ("offers", "supplied_products", "catalog_items"):
            if match := re.fullmatch(re.escape(f"{self.enterprise}/{kind}/") + _NUMBER, iri):
                return kind, int(match[1])
        pattern = re.escape(f"{self.sale_sessions}#") + r"(sale|pickup|slot|offer)-" + _NUMBER
        if match := re.fullmatch(pattern, iri):
            return f"sale_{match[1]}", int(match[2])
        if match := re.fullmatch(re.escape(f"{self.orders}/") + r"([0-9a-f-]{36})", iri):
            return "order", match[1]
        return None


@dataclass
class LineRequest:
    node: str  # the OrderLine's @id as sent
    quantity: Decimal
    product_id: int | None = None  # from the catalog's nodes
    sale_item_id: int | None = None  # from a sale's Offer


@dataclass
class OrderRequest:
    node: str  # the Order's @id as sent
    client_id: str  # the sender's id of the order, "" when it let Cabas name it
    own_code: str  # the code of the Cabas order its @id names, ""
    status: str  # a name of STATUSES, "" when not said
    sale_id: int | None
    pickup_id: int | None
    slot_id: int | None
    lines: list[LineRequest] = field(default_factory=list)

    @property
    def cancels(self) -> bool:
        return self.status == "Cancelled"


def read_order(graph: Graph, addresses: Addresses) -> OrderRequest:
    """The order ``graph`` asks for (see the module); refused naming node and property."""
    orders = graph.of_type("Order")
    if len(orders) != 1:
        raise errors.OrderNodeExpected(node="@graph", property="@type", count=len(orders))
    order = orders[0]
    if len(order.id) > 500:
        raise errors.IdTooLong(node=order.id[:60] + "…", property="@id")
    own = addresses.ours(order.id)
    if own is not None and own[0] != "order":
        raise errors.WrongType(node=order.id, property="@type", expected="dfc-b:Order")
    named_by_sender = not (order.is_blank or own or order.id == addresses.orders)
    request = OrderRequest(
        node=order.id,
        client_id=order.id if named_by_sender else "",
        own_code=own[1] if own else "",
        status=_status(order),
        sale_id=None,
        pickup_id=None,
        slot_id=None,
    )
    sale = order.reference("belongsTo")
    if sale and (found := addresses.ours(sale)):
        if found[0] != "sale_sale":
            raise errors.NotOurs(node=order.id, property="dfc-b:belongsTo", value=sale)
        request.sale_id = found[1]
    if option := order.reference("selects"):
        found = addresses.ours(option)
        if found is None or found[0] not in ("sale_pickup", "sale_slot"):
            raise errors.NotOurs(node=order.id, property="dfc-b:selects", value=option)
        if found[0] == "sale_pickup":
            request.pickup_id = found[1]
        else:
            request.slot_id = found[1]
    request.lines = [_line(graph, node, addresses) for node in _line_nodes(graph, order)]
    if not request.lines and not request.cancels:
        raise errors.PropertyMissing(node=order.id, property="dfc-b:hasPart")
    return request


def _status(order: Node) -> str:
    iri = order.reference("hasOrderStatus")
    if iri is None:
        return ""
    name = local_name(iri, "dfc-v")
    if name not in STATUSES:
        raise errors.StatusUnknown(node=order.id, property="dfc-b:hasOrderStatus", value=iri)
    return name


def _line_nodes(graph: Graph, order: Node) -> list[Node]:
    """The Order's lines: those it lists in hasPart, then those saying they are partOf it."""
    ids = []
    for value in order.values("hasPart"):
        if not isinstance(value, dict) or "@id" not in value:
            raise errors.ReferenceExpected(node=order.id, property="dfc-b:hasPart")
        ids.append(value["@id"])
    for node in graph.of_type("OrderLine"):
        if any(v.get("@id") == order.id for v in node.values("partOf") if isinstance(v, dict)):
            ids.append(node.id)
    lines = []
    for line_id in dict.fromkeys(ids):
        node = graph.get(line_id)
        if node is None or not (node.types or node.properties):
            raise errors.NotInDocument(node=order.id, property="dfc-b:hasPart", value=line_id)
        if "OrderLine" not in node.types:
            raise errors.WrongType(node=line_id, property="@type", expected="dfc-b:OrderLine")
        lines.append(node)
    return lines


def _line(graph: Graph, node: Node, addresses: Addresses) -> LineRequest:
    quantity, prop = node.number("quantity"), "dfc-b:quantity"
    if quantity is None and (amount := node.reference("hasQuantity")):
        value = graph.get(amount)
        quantity, prop = (value.number("value") if value else None), "dfc-b:hasQuantity"
    if quantity is None:
        raise errors.PropertyMissing(node=node.id, property="dfc-b:quantity")
    if not (0 < quantity < QUANTITY_MAX) or -quantity.normalize().as_tuple().exponent > 3:
        raise errors.QuantityInvalid(node=node.id, property=prop, value=str(quantity)[:20])
    line = LineRequest(node=node.id, quantity=quantity)
    offer_id = node.reference("concerns", required=True)
    found = addresses.ours(offer_id)
    if found is None:
        found = _offered_item(graph, graph.get(offer_id), addresses)
    if found is None or found[0] not in OFFERED:
        raise errors.NotOurs(node=node.id, property="dfc-b:concerns", value=offer_id)
    if found[0] == "sale_offer":
        line.sale_item_id = found[1]
    else:
        line.product_id = found[1]
    return line


def _offered_item(graph: Graph, offer: Node | None, addresses: Addresses):
    """What another platform's Offer node offers, when it is one of Cabas's products: its
    ``offeredItem`` (the connectors' name) or ``offers`` (the ontology's), a SuppliedProduct
    or CatalogItem of Cabas's, or a CatalogItem that ``references`` one."""
    if offer is None:
        return None
    for name in ("offeredItem", "offers"):
        item = offer.reference(name)
        if item is None:
            continue
        if found := addresses.ours(item):
            return found
        node = graph.get(item)
        if node is not None and (product := node.reference("references")):
            return addresses.ours(product)
    return None
