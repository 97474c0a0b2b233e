"""DFC orders sent at the same moment, on PostgreSQL (transactional tests with threads): the
same order many times is placed once, and platforms racing for a slot never overbook it."""

import json

import pytest
from django.test import Client

from cabas.core.tests.concurrency import postgresql_only, run_together
from cabas.dfc.models import ExternalOrder, Scope
from cabas.dfc.services import dfc_token_create
from cabas.dfc.tests.orders_kit import ORDERS, SESSIONS, make_hub
from cabas.orders.models import Order, OrderLine
from cabas.sales.models import Slot

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    postgresql_only()


def test_the_same_order_id_sent_eight_times_at_once_is_placed_once():
    hub = make_hub()
    body = json.dumps(hub.vector("backorder_3_lines_pickup.json"))

    def send(_index):
        response = Client().post(
            ORDERS,
            body,
            content_type="application/ld+json",
            headers={"Authorization": f"Bearer {hub.secret}"},
        )
        return response.status_code, response.json()

    results = run_together(send, 8)

    assert sorted(status for status, _answer in results) == [200] * 7 + [201]
    order = Order.objects.get()
    assert {answer["@graph"][0]["@id"] for _status, answer in results} == {f"{ORDERS}/{order.code}"}
    assert ExternalOrder.objects.get().order == order
    assert OrderLine.objects.count() == 3
    assert hub.shop.item("cheese").quantity_ordered == 2


def test_six_platforms_for_a_slot_of_three_places_exactly_three_book_it():
    hub = make_hub(slot_capacity=3, cheese_stock=20)
    slot = hub.shop.slots[0]
    secrets = [hub.secret] + [
        dfc_token_create(
            organisation=hub.shop.organisation,
            user=hub.shop.member(),
            name="Hub",
            scopes=[Scope.ORDERS_WRITE],
        ).secret
        for _ in range(5)
    ]

    def send(index):
        document = hub.vector("backorder_3_lines_pickup.json")
        document["@graph"][0]["@id"] = f"https://hub{index}.example.net/orders/1"
        document["@graph"][0]["dfc-b:selects"] = f"{SESSIONS}#slot-{slot.pk}"
        response = Client().post(
            ORDERS,
            json.dumps(document),
            content_type="application/ld+json",
            headers={"Authorization": f"Bearer {secrets[index]}"},
        )
        return response.status_code

    results = run_together(send, 6)

    assert sorted(results) == [201] * 3 + [409] * 3
    assert Slot.objects.get(pk=slot.pk).booked == 3
    assert Order.objects.filter(slot=slot).count() == ExternalOrder.objects.count() == 3
