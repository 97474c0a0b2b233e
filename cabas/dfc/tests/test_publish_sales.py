"""GET /api/dfc/enterprises/<slug>/sale_sessions: the sales taking orders, their pickups and
offers, in DFC 1.16.0."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.dfc import vocabulary
from cabas.dfc.export import FRANCE
from cabas.dfc.loader import expand
from cabas.dfc.tests.jsonld_walk import walk
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales.models import Sale, SlotMode
from cabas.sales.tests.factories import (
    PickupFactory,
    PickupPointFactory,
    SaleFactory,
    SaleItemFactory,
    SlotFactory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
LIST = f"{settings.SITE_URL}/api/dfc/enterprises/cabas-albi/sale_sessions"
ENTERPRISE = f"{settings.SITE_URL}/api/dfc/enterprises/cabas-albi"


def _paris(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def organisation():
    return OrganisationFactory(slug="cabas-albi")


@pytest.fixture
def sale(organisation):
    """Open from 30 Nov 8:00 to the cutoff on 4 Dec 20:00 (the clock: 2 Dec 10:00, Paris)."""
    sale = SaleFactory(
        organisation=organisation,
        status=Sale.Status.OPEN,
        opens_at=_paris(2026, 11, 30, 8, 0),
        closes_at=_paris(2026, 12, 4, 20, 0),
    )
    point = PickupPointFactory(
        organisation=organisation,
        name="Halle de Mirandol",
        address="2 place de la Halle",
        postcode="81190",
        town="Mirandol-Bourgnounac",
    )
    PickupFactory(
        sale=sale,
        pickup_point=point,
        starts_at=_paris(2026, 12, 5, 17, 0),
        ends_at=_paris(2026, 12, 5, 19, 0),
    )
    producer = ProducerFactory()
    ProducerLinkFactory(organisation=organisation, producer=producer)
    eggs = ProductFactory(
        organisation=organisation, producer=producer, name="Œufs", price=Decimal("3.00")
    )
    bread = ProductFactory(
        organisation=organisation,
        producer=producer,
        name="Pain",
        price=Decimal("3.20"),
        vat_rate=Decimal("5.50"),
    )
    left_out = ProductFactory(organisation=organisation, producer=producer, name="Miel")
    SaleItemFactory(
        sale=sale,
        product=eggs,
        quantity_available=Decimal("10"),
        quantity_ordered=Decimal("4"),
    )
    SaleItemFactory(sale=sale, product=bread, price_override=Decimal("2.80"))
    SaleItemFactory(sale=sale, product=left_out, is_excluded=True)
    return sale


def _get(client):
    return client.get(reverse("dfc:sale_sessions", kwargs={"slug": "cabas-albi"}))


def _nodes(document):
    return {node["@id"]: node for node in document["@graph"]}


def test_an_open_sale_with_its_pickup_and_offers(client, sale):
    pickup = sale.pickups.get()
    items = {item.product.name: item for item in sale.items.select_related("product")}

    nodes = _nodes(_get(client).json())

    point = f"{LIST}#pickup-point-{pickup.pickup_point_id}"
    assert nodes[f"{LIST}#sale-{sale.pk}"] == {
        "@id": f"{LIST}#sale-{sale.pk}",
        "@type": "dfc-b:SaleSession",
        "dfc-b:startDate": "2026-11-30T08:00:00+01:00",
        "dfc-b:endDate": "2026-12-04T20:00:00+01:00",
        "dfc-b:hasOption": [f"{LIST}#pickup-{pickup.pk}"],
        # By product name; the excluded "Miel" is not offered.
        "dfc-b:lists": [f"{LIST}#offer-{items[name].pk}" for name in ("Pain", "Œufs")],
    }
    assert nodes[f"{LIST}#pickup-{pickup.pk}"] == {
        "@id": f"{LIST}#pickup-{pickup.pk}",
        "@type": "dfc-b:PickupOption",
        "dfc-b:startDate": "2026-12-05T17:00:00+01:00",
        "dfc-b:endDate": "2026-12-05T19:00:00+01:00",
        "dfc-b:pickedUpAt": point,
    }
    assert nodes[point] == {
        "@id": point,
        "@type": "dfc-b:PhysicalPlace",
        "dfc-b:name": "Halle de Mirandol",
        "dfc-b:hasAddress": f"{point}-address",
    }
    assert nodes[f"{point}-address"] == {
        "@id": f"{point}-address",
        "@type": "dfc-b:Address",
        "dfc-b:hasStreet": "2 place de la Halle",
        "dfc-b:hasPostalCode": "81190",
        "dfc-b:hasCity": "Mirandol-Bourgnounac",
        "dfc-b:hasCountry": FRANCE,
    }
    # 10 available, 4 ordered: 6 left.
    eggs = nodes[f"{LIST}#offer-{items['Œufs'].pk}"]
    assert eggs["dfc-b:stockLimitation"] == 6
    assert eggs["dfc-b:offeredItem"] == f"{ENTERPRISE}/supplied_products/{items['Œufs'].product_id}"
    # The sale's own price, unlimited: on demand.
    bread = nodes[f"{LIST}#offer-{items['Pain'].pk}"]
    assert bread["dfc-b:hasPrice"] == {
        "@type": "dfc-b:Price",
        "dfc-b:value": 2.8,
        "dfc-b:VATrate": 5.5,
        "dfc-b:hasUnit": "dfc-m:Euro",
    }
    assert "dfc-b:stockLimitation" not in bread
    assert len(nodes) == 1 + 1 + 2 + 2  # session, pickup, place and address, two offers


def test_sales_not_taking_orders_are_not_published(client, organisation, sale):
    SaleFactory(organisation=organisation)  # a draft
    SaleFactory(
        organisation=organisation,
        status=Sale.Status.OPEN,
        opens_at=_paris(2026, 11, 20, 8, 0),
        closes_at=_paris(2026, 11, 27, 20, 0),  # its cutoff is past
    )
    SaleFactory(status=Sale.Status.OPEN, opens_at=sale.opens_at, closes_at=sale.closes_at)

    nodes = _nodes(_get(client).json())

    sessions = [node for node in nodes.values() if node["@type"] == "dfc-b:SaleSession"]
    assert [node["@id"] for node in sessions] == [f"{LIST}#sale-{sale.pk}"]


def test_without_public_prices_no_offer(client, organisation, sale):
    organisation.public_prices = False
    organisation.save(update_fields=["public_prices"])

    nodes = _nodes(_get(client).json())

    assert all(node["@type"] != "dfc-b:Offer" for node in nodes.values())
    assert "dfc-b:lists" not in nodes[f"{LIST}#sale-{sale.pk}"]


def test_the_document_is_dfc(client, sale):
    found = {"classes": set(), "predicates": set(), "concepts": set()}

    walk(expand(_get(client).json()), found)

    assert found["classes"] <= vocabulary.known_classes()
    assert found["predicates"] <= vocabulary.known_predicates()
    assert found["concepts"] <= vocabulary.known_concepts()
    B = vocabulary.BUSINESS
    assert {B + "SaleSession", B + "PickupOption", B + "PhysicalPlace"} <= found["classes"]


def test_the_queries_do_not_grow_with_the_sales(
    client, organisation, sale, django_assert_num_queries
):
    with django_assert_num_queries(5) as few:  # organisation, sales, pickups, slots, items
        _get(client)
    for _ in range(3):
        other = SaleFactory(
            organisation=organisation,
            status=Sale.Status.OPEN,
            opens_at=sale.opens_at,
            closes_at=sale.closes_at + timedelta(hours=1),
        )
        PickupFactory(sale=other)
        SaleItemFactory(sale=other)

    with django_assert_num_queries(len(few.captured_queries)):
        response = _get(client)

    sessions = [n for n in response.json()["@graph"] if n["@type"] == "dfc-b:SaleSession"]
    assert len(sessions) == 4


def test_an_unknown_organisation_is_not_found(client):
    response = client.get(reverse("dfc:sale_sessions", kwargs={"slug": "nowhere"}))

    assert response.status_code == 404


def test_each_open_slot_of_a_pickup_is_a_pickup_option_of_its_own(client, sale):
    """The option an order selects to book a slot (cabas/dfc/order_reading.py)."""
    pickup = PickupFactory(
        sale=sale,
        pickup_point=sale.pickups.get().pickup_point,
        starts_at=_paris(2026, 12, 6, 10, 0),
        ends_at=_paris(2026, 12, 6, 10, 30),
        slot_mode=SlotMode.SLOTS,
    )
    first = SlotFactory(pickup=pickup, starts_at=pickup.starts_at)
    SlotFactory(pickup=pickup, starts_at=_paris(2026, 12, 6, 10, 15), is_open=False)

    nodes = _nodes(_get(client).json())

    session = nodes[f"{LIST}#sale-{sale.pk}"]
    assert session["dfc-b:hasOption"][1:] == [
        f"{LIST}#pickup-{pickup.pk}",
        f"{LIST}#slot-{first.pk}",
    ]
    assert nodes[f"{LIST}#slot-{first.pk}"] == {
        "@id": f"{LIST}#slot-{first.pk}",
        "@type": "dfc-b:PickupOption",
        "dfc-b:startDate": "2026-12-06T10:00:00+01:00",
        "dfc-b:endDate": "2026-12-06T10:15:00+01:00",
        "dfc-b:pickedUpAt": f"{LIST}#pickup-point-{pickup.pickup_point_id}",
    }
