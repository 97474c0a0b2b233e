"""An organisation's open sales as DFC SaleSessions (1.16.0 or 2.0.0), with their pickups.

Per sale taking orders now: a SaleSession (``startDate`` = orders open, ``endDate`` = the
cutoff) that ``hasOption`` a PickupOption per pickup (``startDate``/``endDate`` = the pickup's
hours; for a pickup with time slots, one more per open slot, ``#slot-N``, the slot's hours:
the option an order selects to book it) ``pickedUpAt`` the PhysicalPlace of its pickup point
(name and Address), and, when the organisation shows its prices, ``lists`` an Offer per
product offered in the sale: the sale's price incl. VAT (a price corrected for this sale
included) and what is left of a limited quantity as ``stockLimitation`` (none: on demand).

What is public is what the organisation's public page shows: its open sales and pickup
points. Ids are fragments of the list's address (``…/sale_sessions#sale-3``): one document
holds them all; a pickup point's place has one id whichever sale it serves in.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from cabas.sales.models import Pickup, Sale, SaleItem, Slot

from . import mapping
from .export import FRANCE, compact, list_document, number
from .versions import Version


def sale_sessions_graph(
    *,
    organisation,
    sales: list[Sale],
    list_url: str,
    enterprise_url: str,
    version: Version,
    with_offers: bool,
) -> dict:
    """The JSON-LD document of the open sales (see the module); in 2.0.0 an ``ldp:Container``
    at ``list_url`` contains the SaleSessions. Each sale carries ``published_pickups`` and
    ``published_items`` (``selectors.published_sales``)."""
    zone = organisation.tzinfo
    graph: list[dict] = []
    places: dict[int, dict] = {}
    for sale in sales:
        session = {
            "@id": f"{list_url}#sale-{sale.pk}",
            "@type": "dfc-b:SaleSession",
            "dfc-b:startDate": sale.opens_at.astimezone(zone).isoformat(),
            "dfc-b:endDate": sale.closes_at.astimezone(zone).isoformat(),
            "dfc-b:hasOption": [],
        }
        graph.append(session)
        for pickup in sale.published_pickups:
            option = pickup_option(pickup, list_url=list_url, zone=zone)
            session["dfc-b:hasOption"].append(option["@id"])
            graph.append(option)
            for slot in pickup.published_slots if pickup.has_slots else ():
                option = slot_option(slot, pickup, list_url=list_url, zone=zone)
                session["dfc-b:hasOption"].append(option["@id"])
                graph.append(option)
            if pickup.pickup_point_id not in places:
                places[pickup.pickup_point_id] = physical_place(pickup, list_url=list_url)
        if with_offers:
            session["dfc-b:lists"] = []
            for item in sale.published_items:
                offer = sale_offer(item, list_url=list_url, enterprise_url=enterprise_url)
                session["dfc-b:lists"].append(offer["@id"])
                graph.append(offer)
    for place in places.values():
        graph.extend(place)
    return list_document(version, list_url, graph, member_type="dfc-b:SaleSession")


def pickup_option(pickup: Pickup, *, list_url: str, zone: ZoneInfo) -> dict:
    return {
        "@id": f"{list_url}#pickup-{pickup.pk}",
        "@type": "dfc-b:PickupOption",
        "dfc-b:startDate": pickup.starts_at.astimezone(zone).isoformat(),
        "dfc-b:endDate": pickup.ends_at.astimezone(zone).isoformat(),
        "dfc-b:pickedUpAt": f"{list_url}#pickup-point-{pickup.pickup_point_id}",
    }


def slot_option(slot: Slot, pickup: Pickup, *, list_url: str, zone: ZoneInfo) -> dict:
    """A time slot of a pickup as a PickupOption of its own (``#slot-N``): the option an
    order ``selects`` to book that slot (DFC has no class for a time slot)."""
    return {
        "@id": f"{list_url}#slot-{slot.pk}",
        "@type": "dfc-b:PickupOption",
        "dfc-b:startDate": slot.starts_at.astimezone(zone).isoformat(),
        "dfc-b:endDate": slot.ends_at.astimezone(zone).isoformat(),
        "dfc-b:pickedUpAt": f"{list_url}#pickup-point-{pickup.pickup_point_id}",
    }


def physical_place(pickup: Pickup, *, list_url: str) -> list[dict]:
    """The pickup point as a PhysicalPlace and its Address (two nodes)."""
    point = pickup.pickup_point
    place_id = f"{list_url}#pickup-point-{point.pk}"
    address = {
        "@id": f"{place_id}-address",
        "@type": "dfc-b:Address",
        "dfc-b:hasStreet": point.address,
        "dfc-b:hasCountry": FRANCE,
    }
    if point.postcode:
        address["dfc-b:hasPostalCode"] = point.postcode
    if point.town:
        address["dfc-b:hasCity"] = point.town
    place = {
        "@id": place_id,
        "@type": "dfc-b:PhysicalPlace",
        "dfc-b:name": point.name,
        "dfc-b:hasAddress": address["@id"],
    }
    return [place, address]


def sale_offer(item: SaleItem, *, list_url: str, enterprise_url: str) -> dict:
    product = item.product
    price = item.price_override if item.price_override is not None else product.price
    offer = {
        "@id": f"{list_url}#offer-{item.pk}",
        "@type": "dfc-b:Offer",
        "dfc-b:offeredItem": f"{enterprise_url}/supplied_products/{product.pk}",
        "dfc-b:hasPrice": {
            "@type": "dfc-b:Price",
            "dfc-b:value": number(price),
            "dfc-b:VATrate": number(product.vat_rate),
            "dfc-b:hasUnit": compact(mapping.EURO),
        },
    }
    if item.quantity_available is not None:
        offer["dfc-b:stockLimitation"] = number(item.quantity_available - item.quantity_ordered)
    return offer
