"""The order test vectors (``vectors/``), written from the DFC ontology and OFN's backorder
code: an OFN-style backorder with 3 lines and a pickup, its update and its cancellation,
values as strings and numbers, nodes inline or by reference, both spellings of the offered
item, and the 2.0.0 context."""

import pytest

from cabas.dfc import loader
from cabas.dfc.models import ExternalOrder
from cabas.dfc.tests.orders_kit import (
    HUB_ORDER,
    ORDERS,
    SESSIONS,
    lines_of,
    make_hub,
    nodes_of,
    order_url,
    snapshot,
)
from cabas.orders.models import Order

pytestmark = pytest.mark.django_db

BACKORDER_LINES = {"Pain de campagne": "4", "Tomme": "2", "Tomates": "1.5"}


@pytest.fixture
def hub():
    return make_hub()


def test_a_backorder_with_3_lines_and_a_pickup_is_placed_and_answered(hub):
    response = hub.post(hub.vector("backorder_3_lines_pickup.json"))

    assert response.status_code == 201, response.content
    order = Order.objects.get()
    assert response["Location"] == f"{ORDERS}/{order.code}"
    assert (order.user, order.sale, order.pickup, order.slot) == (
        hub.user,
        hub.shop.sale,
        hub.shop.open_pickup,
        None,
    )
    assert order.status == Order.Status.PLACED
    assert lines_of(order) == BACKORDER_LINES
    assert ExternalOrder.objects.get().external_id == HUB_ORDER
    assert hub.shop.item("cheese").quantity_ordered == 2  # stock counted
    [answer] = nodes_of(response.json(), "Order")
    assert answer["@id"] == f"{ORDERS}/{order.code}"
    assert answer["dfc-b:orderNumber"] == str(order.number)
    assert answer["dfc-b:hasOrderStatus"] == "dfc-v:Held"
    assert answer["dfc-b:belongsTo"] == f"{SESSIONS}#sale-{hub.shop.sale.pk}"
    assert answer["dfc-b:selects"] == f"{SESSIONS}#pickup-{hub.shop.open_pickup.pk}"
    lines = nodes_of(response.json(), "OrderLine")
    assert sorted(line["dfc-b:quantity"] for line in lines) == [1.5, 2, 4]
    bread = next(line for line in lines if line["dfc-b:description"] == "Pain de campagne")
    assert bread["dfc-b:hasPrice"]["dfc-b:value"] == 4.2
    assert bread["dfc-b:concerns"] == f"{SESSIONS}#offer-{hub.shop.item('bread').pk}"


def test_the_same_backorder_sent_again_is_answered_not_placed_twice(hub):
    first = hub.post(hub.vector("backorder_3_lines_pickup.json"))
    before = snapshot()

    again = hub.post(hub.vector("backorder_3_lines_pickup.json"))

    assert again.status_code == 200
    assert again.json() == first.json()
    assert snapshot() == before


def test_the_update_replaces_the_lines_and_books_the_slot(hub):
    hub.post(hub.vector("backorder_3_lines_pickup.json"))
    order = Order.objects.get()

    response = hub.send("put", order_url(order), hub.vector("backorder_update.json"))

    assert response.status_code == 200, response.content
    order.refresh_from_db()
    assert lines_of(order) == {"Pain de campagne": "6", "Tomates": "2", "Savon": "1"}
    assert (order.pickup, order.slot) == (hub.shop.pickup, hub.shop.slots[0])
    assert hub.shop.item("cheese").quantity_ordered == 0  # given back
    hub.shop.slots[0].refresh_from_db()
    assert hub.shop.slots[0].booked == 1
    [answer] = nodes_of(response.json(), "Order")
    assert answer["dfc-b:selects"] == f"{SESSIONS}#slot-{hub.shop.slots[0].pk}"


def test_the_update_put_on_the_collection_is_recognised_by_the_senders_id(hub):
    hub.post(hub.vector("backorder_3_lines_pickup.json"))

    response = hub.send("put", ORDERS, hub.vector("backorder_update.json"))

    assert response.status_code == 200, response.content
    assert lines_of(Order.objects.get()) == {"Pain de campagne": "6", "Tomates": "2", "Savon": "1"}


def test_a_put_on_the_collection_with_a_new_id_places_the_order(hub):
    response = hub.send("put", ORDERS, hub.vector("backorder_3_lines_pickup.json"))

    assert response.status_code == 201
    assert lines_of(Order.objects.get()) == BACKORDER_LINES


def test_the_cancellation_cancels_and_gives_everything_back(hub):
    hub.post(hub.vector("backorder_3_lines_pickup.json"))
    order = Order.objects.get()

    response = hub.send("put", order_url(order), hub.vector("backorder_cancel.json"))

    assert response.status_code == 200, response.content
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert hub.shop.item("cheese").quantity_ordered == 0
    [answer] = nodes_of(response.json(), "Order")
    assert answer["dfc-b:hasOrderStatus"] == "dfc-v:Cancelled"
    # Cancelling again answers the cancelled order; sending the backorder again too.
    before = snapshot()
    assert hub.send("put", ORDERS, hub.vector("backorder_cancel.json")).status_code == 200
    assert hub.post(hub.vector("backorder_3_lines_pickup.json")).status_code == 200
    assert snapshot() == before


def test_values_as_strings_and_numbers_read_the_same(hub):
    response = hub.post(hub.vector("strings_and_numbers.json"))

    assert response.status_code == 201, response.content
    assert lines_of(Order.objects.get()) == {
        "Pain de campagne": "3",
        "Tomme": "1",
        "Savon": "2",
        "Tomates": "2.5",
    }


def test_nodes_inline_read_as_references(hub):
    response = hub.post(hub.vector("references_vs_inline.json"))

    assert response.status_code == 201, response.content
    assert lines_of(Order.objects.get()) == BACKORDER_LINES


def test_both_spellings_of_the_offered_item_are_read(hub):
    response = hub.post(hub.vector("offered_item_spellings.json"))

    assert response.status_code == 201, response.content
    order = Order.objects.get()
    assert lines_of(order) == BACKORDER_LINES
    assert order.sale == hub.shop.sale  # the pickup's sale: belongsTo is optional


def test_an_order_named_by_the_collections_address_gets_a_new_order_each_time(hub):
    """OFN asks the server to name a new backorder by giving it the collection's address."""
    document = hub.vector("backorder_3_lines_pickup.json")
    document["@graph"][0]["@id"] = ORDERS

    response = hub.post(document)

    assert response.status_code == 201
    order = Order.objects.get()
    assert ExternalOrder.objects.get().external_id == f"{ORDERS}/{order.code}"
    # Sending the answer back (its @id is now the order's address) does not place another.
    assert hub.post(response.json()).status_code == 200
    assert Order.objects.count() == 1


def test_a_context_leaving_object_properties_untyped_reads_the_same(hub):
    """A context that does not type an object property as @id (the published ones leave
    the connectors' names untyped) gives strings: read as the IRIs they write."""
    document = hub.vector("backorder_3_lines_pickup.json")
    document["@context"] = [
        document["@context"],
        {
            "dfc-b:concerns": {"@id": "dfc-b:concerns"},
            "dfc-b:hasOrderStatus": {"@id": "dfc-b:hasOrderStatus"},
        },
    ]

    response = hub.post(document)

    assert response.status_code == 201, response.content
    assert lines_of(Order.objects.get()) == BACKORDER_LINES


@pytest.mark.skipif(
    "w3id.org/dfc/ontology/context/context_2.0.0.json" not in loader.SHIPPED,
    reason="the 2.0.0 context is shipped by the publishing work, not on this branch",
)
def test_a_backorder_with_the_2_0_0_context_is_placed_the_same(hub):
    response = hub.post(hub.vector("backorder_context_2_0_0.json"))

    assert response.status_code == 201, response.content
    assert lines_of(Order.objects.get()) == BACKORDER_LINES
