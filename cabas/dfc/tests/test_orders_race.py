"""The same DFC order sent many times at once, on PostgreSQL (a transactional test with
threads): one order is placed, every sender gets it."""

import json

import pytest
from django.test import Client

from cabas.core.tests.concurrency import postgresql_only, run_together
from cabas.dfc.models import ExternalOrder
from cabas.dfc.tests.orders_kit import ORDERS, make_hub
from cabas.orders.models import Order, OrderLine

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
