"""A producer supplying an organisation as a DFC Enterprise of its own (2.0.0: Organization).

Its node (``…/enterprises/<slug>/producers/<id>``) holds what the organisation's public page
shows of the producer: its name and description. Not its address, e-mail or phone: the public
page does not show them (they are the producer's private contact, given to the organisation),
so ``public_contact`` publishes none; the day the page shows one, it is added there.

The producer ``supplies`` the SuppliedProducts of its active products and is
``affiliatedTo`` the organisation, which ``affiliates`` it (the inverse property, written in the
organisation's Enterprise): in the 1.16.0 ontology ``affiliates`` (domain Enterprise) and its
inverse ``affiliatedTo`` (domain Agent) are the relation between an enterprise and the agents
affiliated with it. The products keep the ids of the organisation's catalog (one product, one
id): their CatalogItems and Offers stay ``managedBy`` the organisation, which sets the prices.
"""

from __future__ import annotations

from cabas.catalog.models import Producer

from .export import list_document, producer_url, product_nodes
from .versions import Version


def public_contact(producer: Producer) -> dict:
    """The producer's contact details its public page shows, as DFC properties: none today
    (see the module)."""
    return {}


def producer_node(producer: Producer, *, enterprise_url: str, version: Version) -> dict:
    """The producer's Enterprise node; ``supplies`` its ``public_products``."""
    node = {
        "@id": producer_url(enterprise_url, producer),
        "@type": version.enterprise_class,
        "dfc-b:name": producer.name,
    }
    if producer.description:
        node["dfc-b:hasDescription"] = producer.description
    node.update(public_contact(producer))
    node["dfc-b:affiliatedTo"] = enterprise_url
    node["dfc-b:supplies"] = [
        f"{enterprise_url}/supplied_products/{product.pk}" for product in producer.public_products
    ]
    return node


def _product_graph(producer: Producer, enterprise_url: str, with_offers: bool) -> list[dict]:
    graph: list[dict] = []
    for product in producer.public_products:
        graph.extend(product_nodes(product, enterprise_url=enterprise_url, with_offer=with_offers))
    return graph


def producer_graph(
    *, producer: Producer, enterprise_url: str, version: Version, with_offers: bool
) -> dict:
    """The producer's Enterprise with its SuppliedProducts, CatalogItems and Offers."""
    node = producer_node(producer, enterprise_url=enterprise_url, version=version)
    graph = [node, *_product_graph(producer, enterprise_url, with_offers)]
    return {"@context": version.context(), "@graph": graph}


def producer_catalog_items_graph(
    *,
    producer: Producer,
    enterprise_url: str,
    list_url: str,
    version: Version,
    with_offers: bool,
) -> dict:
    """The producer's CatalogItems with their SuppliedProducts and Offers (a list)."""
    graph = _product_graph(producer, enterprise_url, with_offers)
    return list_document(version, list_url, graph, member_type="dfc-b:CatalogItem")
