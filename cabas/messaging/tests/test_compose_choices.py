"""The message form lists the pickups of one sale and the slots of one pickup (a sale at ten
times our size has 120 pickups and 1,440 slots): the current sale by default, another chosen
in the query string or with the no-JavaScript button; junk choices are ignored, a pickup or
slot of another organisation is refused, and the page's queries do not grow with the sale."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.messaging.models import Message
from cabas.orders.tests.factories import open_shop
from cabas.sales import services as sales_services
from cabas.sales.models import SlotMode
from cabas.sales.tests.factories import PickupPointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(shop):
    """A second open sale of the same organisation, closing after the first."""
    return open_shop(organisation=shop.organisation)


def _new(shop, query: str = "") -> str:
    return reverse("messaging:message_new", kwargs={"slug": shop.organisation.slug}) + query


def _listed(response, name: str) -> list:
    return [value for value, _label in response.context["form"][name].field.widget.choices if value]


def test_the_form_lists_the_current_sales_pickups_and_no_slot_until_a_pickup_is_chosen(
    client, shop, other
):
    client.force_login(shop.coordinator)

    page = client.get(_new(shop))

    assert page.context["form"]["sale"].value() == shop.sale.pk
    assert sorted(_listed(page, "pickup")) == sorted([shop.pickup.pk, shop.open_pickup.pk])
    assert _listed(page, "slot") == []
    assert "choisissez d’abord son retrait" in page.content.decode()


def test_another_sale_and_pickup_are_chosen_in_the_query_string(client, shop, other):
    client.force_login(shop.coordinator)

    page = client.get(_new(shop, f"?sale={other.sale.pk}&pickup={other.pickup.pk}"))

    assert page.context["form"]["sale"].value() == other.sale.pk
    assert sorted(_listed(page, "pickup")) == sorted([other.pickup.pk, other.open_pickup.pk])
    assert _listed(page, "slot") == [slot.pk for slot in other.slots]


@pytest.mark.parametrize(
    "query",
    ["?sale=abc", "?sale=-1", "?sale=%C2%B2", "?sale=99999999999999999999999", "?pickup=abc",
     "?sale=&pickup=", "?pickup=99999999999999999999"],
)  # fmt: skip
def test_junk_in_the_query_string_is_ignored(client, shop, query):
    client.force_login(shop.coordinator)

    page = client.get(_new(shop, query))

    assert page.status_code == 200
    assert page.context["form"]["sale"].value() == shop.sale.pk


def test_another_organisations_sale_in_the_query_string_is_ignored(client, shop):
    elsewhere = open_shop()
    client.force_login(shop.coordinator)

    page = client.get(_new(shop, f"?sale={elsewhere.sale.pk}&pickup={elsewhere.pickup.pk}"))

    assert page.context["form"]["sale"].value() == shop.sale.pk
    assert elsewhere.pickup.pk not in _listed(page, "pickup")


@pytest.mark.parametrize("field", ["pickup", "slot"])
def test_another_organisations_pickup_or_slot_is_refused_and_nothing_is_saved(client, shop, field):
    elsewhere = open_shop()
    chosen = elsewhere.pickup.pk if field == "pickup" else elsewhere.slots[0].pk
    client.force_login(shop.coordinator)

    answer = client.post(_new(shop), {
        "audience": "sale", "sale": shop.sale.pk, field: chosen,
        "subject": "Ailleurs", "body": "Texte",
    })  # fmt: skip

    assert answer.status_code == 200 and field in answer.context["form"].errors
    assert not Message.objects.exists()


def test_a_slot_of_the_chosen_pickup_is_saved_with_its_pickup(client, shop):
    slot = shop.slots[1]
    client.force_login(shop.coordinator)

    answer = client.post(_new(shop), {
        "audience": "sale", "sale": shop.sale.pk, "pickup": shop.pickup.pk, "slot": slot.pk,
        "subject": "Créneau", "body": "Texte",
    })  # fmt: skip

    assert answer.status_code == 302
    message = Message.objects.get()
    assert (message.sale, message.pickup, message.slot) == (shop.sale, shop.pickup, slot)


def test_the_button_without_javascript_shows_the_chosen_sale_again_as_typed(client, shop, other):
    client.force_login(shop.coordinator)

    page = client.post(_new(shop), {
        "audience": "sale", "sale": other.sale.pk, "pickup": other.pickup.pk, "choose": "1",
        "subject": "Mon objet", "body": "Mon texte",
    })  # fmt: skip

    assert page.status_code == 200 and not Message.objects.exists()
    assert not page.context["form"].is_bound
    assert 'value="Mon objet"' in page.content.decode()
    assert _listed(page, "slot") == [slot.pk for slot in other.slots]


def _add_pickups(shop, count: int) -> None:
    start = shop.pickup.starts_at
    for _ in range(count):
        sales_services.pickup_create(
            sale=shop.sale, pickup_point=PickupPointFactory(organisation=shop.organisation),
            starts_at=start, ends_at=start + timedelta(hours=1),
            slot_mode=SlotMode.SLOTS, slot_minutes=15, slot_capacity=5,
        )  # fmt: skip


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_form_runs_the_same_queries_for_a_small_and_a_large_sale(client, shop, other):
    client.force_login(shop.coordinator)
    chosen = _new(shop, f"?sale={shop.sale.pk}&pickup={shop.pickup.pk}")
    _queries(client, chosen)  # the session's first visit loads it once
    few = _queries(client, chosen)

    _add_pickups(shop, 6)
    _add_pickups(other, 6)

    assert _queries(client, chosen) == few
    assert _queries(client, _new(shop)) <= few
