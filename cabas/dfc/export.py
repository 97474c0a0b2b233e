"""An organisation's public catalog as a DFC JSON-LD graph, in 1.16.0 or 2.0.0 (``versions``).

One Enterprise (the organisation; 2.0.0: Organization) with its Address, ``affiliates`` its
producers' Enterprises (``export_producers``); per active product of its producers: a
SuppliedProduct (name, description, product type, quantity), a CatalogItem (its reference as
``sku``) and an Offer (price incl. VAT with its VAT rate in euros, stock or on demand). Node
ids are URLs under the enterprise's address, the same in both versions.

What is public is what the organisation's public page shows: its products always, their
prices only when the organisation shows prices to visitors (``public_prices``); without them
no Offer is published.

Decisions to confirm with the DFC (docs/interop.md): ``dfc-b:value`` of a Price is the
price incl. VAT (Cabas's price, which an OFN hub in France reads as its own price) with the
rate in ``dfc-b:VATrate``; a product limited per sale publishes its default quantity per sale
as ``stockLimitation``, one sold from shop stock its stock, an unlimited one none (on demand).
"""

from __future__ import annotations

import re
from decimal import Decimal

from cabas.catalog.models import Producer, Product

from . import mapping
from .versions import Version
from .vocabulary import PREFIXES

FRANCE = "http://publications.europa.eu/resource/authority/country/FRA"
# "12 place du Marché, 81000 Albi": the street, then a French postcode and the city.
_POSTCODE_CITY = re.compile(r"^(?P<postcode>\d{5})\s+(?P<city>.+)$")


def compact(iri: str) -> str:
    """``iri`` with its DFC namespace written as the context's prefix ("dfc-m:Kilogram")."""
    for prefix in ("dfc-b", "dfc-m", "dfc-pt", "dfc-v", "dfc-f", "dfc-t"):
        namespace = PREFIXES[prefix]
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def number(value: Decimal) -> int | float:
    """A JSON number for a decimal (DFC values are numbers): 2 for 2.00, 2.5 for 2.50."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(str(value.normalize()))


def address_node(node_id: str, address: str) -> dict:
    """A free-text address as a DFC Address: the last part read as "postcode city" when it is
    one, the rest as the street; otherwise the whole text as the street."""
    node = {"@id": node_id, "@type": "dfc-b:Address", "dfc-b:hasCountry": FRANCE}
    parts = [part.strip() for part in address.split(",") if part.strip()]
    match = _POSTCODE_CITY.match(parts[-1]) if len(parts) > 1 else None
    if match:
        node["dfc-b:hasStreet"] = ", ".join(parts[:-1])
        node["dfc-b:hasPostalCode"] = match["postcode"]
        node["dfc-b:hasCity"] = match["city"]
    else:
        node["dfc-b:hasStreet"] = address.strip()
    return node


def catalog_graph(
    *,
    organisation,
    producers: list[Producer],
    enterprise_url: str,
    version: Version,
    with_offers: bool,
) -> dict:
    """The JSON-LD document of the organisation's catalog (see the module), with the Offers
    when ``with_offers`` (``auth.sees_prices``). Each producer carries ``public_products``
    (``selectors.published_producers``)."""
    enterprise = {
        "@id": enterprise_url,
        "@type": version.enterprise_class,
        "dfc-b:name": organisation.name,
    }
    graph = [enterprise]
    if organisation.description:
        enterprise["dfc-b:hasDescription"] = organisation.description
    if organisation.contact_email:
        enterprise["dfc-b:email"] = organisation.contact_email
    if organisation.address.strip():
        address_id = f"{enterprise_url}#address"
        enterprise["dfc-b:hasAddress"] = address_id
        graph.append(address_node(address_id, organisation.address))
    enterprise["dfc-b:affiliates"] = [producer_url(enterprise_url, p) for p in producers]
    enterprise["dfc-b:supplies"] = []
    enterprise["dfc-b:manages"] = []
    for producer in producers:
        for product in producer.public_products:
            nodes = product_nodes(product, enterprise_url=enterprise_url, with_offer=with_offers)
            enterprise["dfc-b:supplies"].append(nodes[0]["@id"])
            enterprise["dfc-b:manages"].append(nodes[1]["@id"])
            graph.extend(nodes)
    return {"@context": version.context(), "@graph": graph}


def catalog_items_graph(
    *,
    products: list[Product],
    enterprise_url: str,
    list_url: str,
    version: Version,
    with_offers: bool,
) -> dict:
    """The CatalogItems of ``products`` with their SuppliedProducts and Offers, no Enterprise
    (the shape of OFN's catalog_items list); in 2.0.0 an ``ldp:Container`` at ``list_url``
    contains the CatalogItems."""
    graph = []
    for product in products:
        graph.extend(product_nodes(product, enterprise_url=enterprise_url, with_offer=with_offers))
    return list_document(version, list_url, graph, member_type="dfc-b:CatalogItem")


def list_document(version: Version, list_url: str, graph: list[dict], *, member_type: str) -> dict:
    """A list's document: its nodes, and in 2.0.0 the container of its ``member_type`` nodes
    first (as OFN's 2.0.0 lists)."""
    if not version.containers:
        return {"@context": version.context(), "@graph": graph}
    container = {
        "@id": list_url,
        "@type": "ldp:Container",
        "ldp:contains": [node["@id"] for node in graph if node["@type"] == member_type],
    }
    return {"@context": version.context(ldp=True), "@graph": [container, *graph]}


def node_document(node: dict, version: Version) -> dict:
    """One node as a document of its own (the shape of OFN's answers for one resource)."""
    return {"@context": version.context(), **node}


def producer_url(enterprise_url: str, producer: Producer) -> str:
    """A producer's Enterprise id, under the organisation it supplies."""
    return f"{enterprise_url}/producers/{producer.pk}"


def product_nodes(product: Product, *, enterprise_url: str, with_offer: bool) -> list[dict]:
    """The SuppliedProduct, CatalogItem and (``with_offer``) Offer of one product."""
    supplied_id = f"{enterprise_url}/supplied_products/{product.pk}"
    item_id = f"{enterprise_url}/catalog_items/{product.pk}"
    offer_id = f"{enterprise_url}/offers/{product.pk}"
    quantity = mapping.quantity_of(product.unit)
    supplied = {
        "@id": supplied_id,
        "@type": "dfc-b:SuppliedProduct",
        "dfc-b:name": product.name,
        "dfc-b:hasQuantity": {
            "@type": "dfc-b:QuantitativeValue",
            "dfc-b:hasUnit": compact(quantity.unit),
            "dfc-b:value": number(quantity.value),
        },
    }
    if product.description:
        supplied["dfc-b:description"] = product.description
    product_type = mapping.product_type_of(product.category)
    if product_type:
        supplied["dfc-b:hasType"] = compact(product_type)
    item = {
        "@id": item_id,
        "@type": "dfc-b:CatalogItem",
        "dfc-b:references": supplied_id,
        "dfc-b:managedBy": enterprise_url,
    }
    if product.reference:
        item["dfc-b:sku"] = product.reference
    stock = stock_limitation(product)
    if stock is not None:
        item["dfc-b:stockLimitation"] = number(stock)
    if not with_offer:
        return [supplied, item]
    item["dfc-b:offeredThrough"] = offer_id
    offer = {
        "@id": offer_id,
        "@type": "dfc-b:Offer",
        "dfc-b:offeredItem": supplied_id,
        "dfc-b:hasPrice": {
            "@type": "dfc-b:Price",
            "dfc-b:value": number(product.price),
            "dfc-b:VATrate": number(product.vat_rate),
            "dfc-b:hasUnit": compact(mapping.EURO),
        },
    }
    if stock is not None:
        offer["dfc-b:stockLimitation"] = number(stock)
    return [supplied, item, offer]


def stock_limitation(product: Product) -> Decimal | None:
    """How many may be ordered, or None when on demand (see the module)."""
    if product.stock_mode == Product.StockMode.SHOP:
        return product.stock_quantity
    if product.stock_mode == Product.StockMode.PER_SALE:
        return product.default_quantity_per_sale
    return None
