"""The checkout page on a phone: the pickup point first (the member's usual one chosen for
them), then that point's slots, each named with its point; full slots marked and refused; a
refusal keeps the point chosen. Works without script (a GET step) and with htmx."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cabas.orders import services
from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop
from cabas.sales import services as sales_services
from cabas.sales.models import Slot, SlotMode
from cabas.sales.tests.factories import PickupPointFactory

pytestmark = pytest.mark.django_db
D = Decimal
TOKEN = "8a3d0a52-8a52-4b1f-8b7a-0d9c8c5a4f11"


def checkout_url(shop) -> str:
    return reverse("orders:checkout", args=[shop.organisation.slug, shop.sale.pk])


def with_basket(client, shop, member=None):
    member = member or shop.member()
    services.basket_set_quantity(sale=shop.sale, product_id=shop.products["bread"].pk,
                                 quantity=D(1), user=member)  # fmt: skip
    client.force_login(member)
    return member


def place_inputs(page: str) -> list[str]:
    return re.findall(r'<input type="radio" name="place"[^>]*>', page)


def checked_pickup(page: str) -> str | None:
    found = re.search(r'<input type="radio" name="pickup" value="(\d+)" checked>', page)
    return found.group(1) if found else None


def test_the_point_comes_first_then_only_its_slots(client):
    shop = open_shop(slots=4)
    with_basket(client, shop)

    first = client.get(checkout_url(shop)).content.decode()
    assert "1. Où retirez-vous votre commande ?" in first
    assert first.count('type="radio" name="pickup"') == 2 and checked_pickup(first) is None
    assert place_inputs(first) == []
    assert "Choisissez d’abord un point de retrait" in first

    page = client.get(checkout_url(shop), {"pickup": shop.pickup.pk}).content.decode()

    point = shop.pickup.pickup_point
    assert checked_pickup(page) == str(shop.pickup.pk)
    assert len(place_inputs(page)) == 4
    # Each slot's name says its point (read aloud with the time), and the point's address.
    assert page.count(f'<span class="visually-hidden">{point.name}, ') == 4
    assert f"2. Quel créneau à {point.name}" in page
    assert point.address in page and "Retrait au coffre, parking de la mairie" in page
    assert shop.open_pickup.pickup_point.address not in page
    # A screen reader hears that the slots changed: the status region (outside the swapped
    # part, which htmx also copies) names the point.
    status = re.search(r'<p id="checkout-slots-status"[^>]*role="status">([^<]*)</p>', page)
    assert status.group(1) == f"Les créneaux de {point.name} sont affichés ci-dessous."
    assert 'hx-select-oob="#checkout-slots-status:innerHTML"' in page


def test_the_usual_point_is_chosen_on_the_next_order(client):
    shop = open_shop()
    member = shop.member()
    services.order_place(user=member, sale=shop.sale, pickup_id=shop.pickup.pk,
                         slot_id=shop.slots[0].pk,
                         lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    next_week = open_shop(organisation=shop.organisation)
    usual = sales_services.pickup_create(
        sale=next_week.sale, pickup_point=shop.pickup.pickup_point,
        starts_at=next_week.pickup.starts_at + timedelta(days=1),
        ends_at=next_week.pickup.starts_at + timedelta(days=1, hours=1),
        slot_mode=SlotMode.SLOTS, slot_minutes=30, slot_capacity=3,
    )  # fmt: skip
    with_basket(client, next_week, member)

    page = client.get(checkout_url(next_week)).content.decode()

    assert checked_pickup(page) == str(usual.pk)
    assert "votre point habituel" in page
    assert [re.search(r'value="([\d-]+)"', i).group(1) for i in place_inputs(page)] == [
        f"{usual.pk}-{slot.pk}" for slot in usual.slots.order_by("starts_at")
    ]


def test_a_full_slot_is_marked_and_disabled(client):
    shop = open_shop(slot_capacity=1)
    services.order_place(user=shop.member(), sale=shop.sale, pickup_id=shop.pickup.pk,
                         slot_id=shop.slots[0].pk,
                         lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    with_basket(client, shop)

    page = client.get(checkout_url(shop), {"pickup": shop.pickup.pk}).content.decode()

    full, *others = place_inputs(page)
    assert "disabled" in full and all("disabled" not in other for other in others)
    assert page.count("— <strong>complet</strong>") == 1
    assert "3 créneaux libres" in page  # on the point's choice


def test_a_point_not_chosen_counts_its_free_slots_without_listing_them(client):
    shop = open_shop(slot_capacity=1)
    services.order_place(user=shop.member(), sale=shop.sale, pickup_id=shop.pickup.pk,
                         slot_id=shop.slots[0].pk,
                         lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    Slot.objects.filter(pk=shop.slots[1].pk).update(is_open=False)
    with_basket(client, shop)

    page = client.get(checkout_url(shop), {"pickup": shop.open_pickup.pk}).content.decode()

    assert "2 créneaux libres" in page  # 4 slots: one full, one closed
    assert place_inputs(page) == [place_inputs(page)[0]]  # the chosen point's one place
    assert f'value="{shop.open_pickup.pk}-0"' in page
    assert f'value="{shop.pickup.pk}-{shop.slots[2].pk}"' not in page


def test_a_slot_that_became_full_is_refused_clearly_and_the_point_stays_chosen(client):
    shop = open_shop(slot_capacity=1)
    with_basket(client, shop)
    services.order_place(
        user=shop.member(),
        sale=shop.sale,
        pickup_id=shop.pickup.pk,
        slot_id=shop.slots[0].pk,
        lines=[(shop.products["bread"].pk, D(1))],
    )  # fmt: skip (meanwhile)
    chosen = f"{shop.pickup.pk}-{shop.slots[0].pk}"

    response = client.post(checkout_url(shop), {"place": chosen, "token": TOKEN, "note": "Merci"})

    page = response.content.decode()
    assert response.status_code == 200
    assert '<div class="message error" role="alert">' in page and "Ce créneau est complet" in page
    assert checked_pickup(page) == str(shop.pickup.pk) and len(place_inputs(page)) == 4
    assert f'value="{chosen}" disabled checked' in page  # the choice, now full, is shown so
    assert "Merci</textarea>" in page
    assert Order.objects.count() == 1


def test_confirming_without_a_slot_keeps_the_point(client):
    shop = open_shop()
    with_basket(client, shop)

    response = client.post(checkout_url(shop), {"pickup": shop.pickup.pk, "token": TOKEN})

    page = response.content.decode()
    assert "Choisissez où et quand" in page
    assert checked_pickup(page) == str(shop.pickup.pk) and len(place_inputs(page)) == 4
    assert not Order.objects.exists()


@pytest.mark.parametrize("chosen", ["no point", "no slot"])
def test_a_confirmation_without_a_place_says_so_once_in_french_and_changes_nothing(client, chosen):
    shop = open_shop()
    with_basket(client, shop)
    posted = (
        {"token": TOKEN} if chosen == "no point" else {"pickup": shop.pickup.pk, "token": TOKEN}
    )

    response = client.post(checkout_url(shop), posted, headers={"accept-language": "fr"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Choisissez où et quand vous retirez votre commande.") == 1
    assert page.count('class="message error" role="alert"') == 1
    assert page.count("errorlist") == 0  # not again beside the field
    assert not Order.objects.exists()


def test_a_pickup_of_another_sale_or_garbage_chooses_nothing(client):
    shop = open_shop()
    other = open_shop()
    with_basket(client, shop)

    page = client.get(checkout_url(shop), {"pickup": other.pickup.pk}).content.decode()
    assert checked_pickup(page) is None and place_inputs(page) == []
    assert other.pickup.pickup_point.name not in page
    assert client.get(checkout_url(shop), {"pickup": "12abc"}).status_code == 400


def test_changing_an_order_starts_on_its_point(client):
    shop = open_shop()
    member = shop.member()
    order = services.order_place(user=member, sale=shop.sale, pickup_id=shop.open_pickup.pk,
                                 slot_id=None,
                                 lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    services.basket_from_order(order=order)
    client.force_login(member)

    page = client.get(checkout_url(shop)).content.decode()

    assert checked_pickup(page) == str(shop.open_pickup.pk)
    assert place_inputs(page) == [
        f'<input type="radio" name="place" value="{shop.open_pickup.pk}-0" checked>'
    ]


def _checkout_queries(client, points: int, slots: int) -> int:
    shop = open_shop(slots=slots)
    start = shop.pickup.starts_at
    for _ in range(points - 2):
        sales_services.pickup_create(
            sale=shop.sale, pickup_point=PickupPointFactory(organisation=shop.organisation),
            starts_at=start, ends_at=start + timedelta(minutes=15 * slots),
            slot_mode=SlotMode.SLOTS, slot_minutes=15, slot_capacity=3,
        )  # fmt: skip
    with_basket(client, shop)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(checkout_url(shop), {"pickup": shop.pickup.pk}).content.decode()
    assert page.count('type="radio" name="pickup"') == points and len(place_inputs(page)) == slots
    return len(queries)


def test_the_checkout_costs_the_same_queries_for_2_and_12_points(client):
    assert _checkout_queries(client, 2, 4) == _checkout_queries(client, 12, 8)


def test_the_time_of_a_slot_is_in_the_organisations_time_zone(client):
    shop = open_shop()
    shop.organisation.timezone = "America/Martinique"
    shop.organisation.save()
    with_basket(client, shop)
    start = timezone.localtime(shop.slots[0].starts_at, shop.organisation.tzinfo)

    page = client.get(checkout_url(shop), {"pickup": shop.pickup.pk}).content.decode()

    assert f"<strong>{start:%H:%M}–" in page
