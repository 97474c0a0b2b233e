"""A coordinator moves an order ("Orders of this pickup"): each select starts on the order's
current place, and moving needs an explicit choice — the current place is refused, with a
message, and nothing changes."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from cabas.orders import errors, services
from cabas.orders.models import Order, OrderEvent
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.sales.models import Pickup, Slot

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def shop():
    shop = open_shop()
    shop.order = services.order_place(user=shop.member(), sale=shop.sale,
                                      pickup_id=shop.pickup.pk, slot_id=shop.slots[1].pk,
                                      lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    coordinator = shop.member(first_name="Marie", last_name="Puech")
    Membership.objects.filter(user=coordinator).update(is_coordinator=True)
    shop.coordinator = coordinator
    return shop


def page_url(shop) -> str:
    return reverse("orders:pickup_orders", args=[shop.organisation.slug, shop.pickup.pk])


def selected_place(html: str, order: Order) -> list[str]:
    select = re.search(rf'<select id="move-{order.pk}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([\d-]+)" selected>', select)


def state(shop):
    return (
        list(Order.objects.values_list("pk", "pickup_id", "slot_id")),
        list(Slot.objects.order_by("pk").values_list("pk", "booked")),
        list(Pickup.objects.order_by("pk").values_list("pk", "booked")),
        OrderEvent.objects.filter(kind="moved").count(),
    )


def test_every_select_starts_on_the_orders_current_place(client, shop):
    other = services.order_place(user=shop.member(), sale=shop.sale, pickup_id=shop.pickup.pk,
                                 slot_id=shop.slots[3].pk,
                                 lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    client.force_login(shop.coordinator)

    first = client.get(page_url(shop) + f"?move={shop.order.pk}").content.decode()
    second = client.get(page_url(shop) + f"?move={other.pk}").content.decode()

    assert selected_place(first, shop.order) == [f"{shop.pickup.pk}-{shop.slots[1].pk}"]
    assert selected_place(second, other) == [f"{shop.pickup.pk}-{shop.slots[3].pk}"]
    assert "emplacement actuel" in first


def test_the_list_shows_one_orders_places_at_a_time(client, shop):
    """A pickup of 300 orders in a sale of 1,440 places would be 300 lists of 1,440 choices:
    each row links to its list instead, shown for the order asked for only."""
    other = services.order_place(user=shop.member(), sale=shop.sale, pickup_id=shop.pickup.pk,
                                 slot_id=shop.slots[3].pk,
                                 lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    client.force_login(shop.coordinator)

    plain = client.get(page_url(shop)).content.decode()
    moving = client.get(page_url(shop) + f"?move={other.pk}").content.decode()
    for junk in ("abc", "-1", "9" * 40):
        assert client.get(page_url(shop) + f"?move={junk}").status_code == 200

    assert "<select" not in plain
    assert plain.count("Déplacer…") == 2
    assert f'href="?move={shop.order.pk}#move-form"' in plain
    assert moving.count("<select") == 1
    assert f'<select id="move-{other.pk}"' in moving
    # Above the list, not in the table's last column (off a phone's screen).
    assert moving.index('id="move-form"') < moving.index("<table")
    assert "Annuler" in moving


def test_an_order_of_another_pickup_opens_no_list(client, shop):
    elsewhere = services.order_place(user=shop.member(), sale=shop.sale,
                                     pickup_id=shop.open_pickup.pk, slot_id=None,
                                     lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    client.force_login(shop.coordinator)

    page = client.get(page_url(shop) + f"?move={elsewhere.pk}").content.decode()

    assert "<select" not in page and 'id="move-form"' not in page


def test_a_refused_move_comes_back_to_the_orders_places(client, shop):
    client.force_login(shop.coordinator)
    place = f"{shop.pickup.pk}-{shop.slots[1].pk}"

    response = client.post(page_url(shop), {"order": shop.order.pk, "place": place})

    assert response.status_code == 302
    assert response["Location"].endswith(f"?move={shop.order.pk}#move-form")


@pytest.mark.parametrize("place", ["", "abc", "1-", "²-0", "1-2-3"])
def test_a_broken_place_opens_the_orders_places_again_and_changes_nothing(client, shop, place):
    client.force_login(shop.coordinator)
    before = state(shop)

    response = client.post(page_url(shop), {"order": shop.order.pk, "place": place})

    assert response.status_code == 302
    assert response["Location"].endswith(f"?move={shop.order.pk}#move-form")
    assert state(shop) == before
    page = client.get(response["Location"]).content.decode()
    assert "Choisissez où déplacer la commande." in page
    assert f'<select id="move-{shop.order.pk}"' in page


def test_a_move_without_a_readable_order_goes_back_to_the_list(client, shop):
    client.force_login(shop.coordinator)
    before = state(shop)

    response = client.post(page_url(shop), {"order": "x", "place": "1-0"})

    assert response.status_code == 302
    assert response["Location"] == page_url(shop)
    assert state(shop) == before


def test_moving_to_the_current_place_is_refused_and_changes_nothing(client, shop):
    before = state(shop)
    with pytest.raises(errors.MoveToSamePlace):
        services.order_move(order=shop.order, pickup_id=shop.pickup.pk,
                            slot_id=shop.slots[1].pk, by=shop.coordinator)  # fmt: skip
    assert state(shop) == before

    client.force_login(shop.coordinator)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            page_url(shop),
            {"order": shop.order.pk, "place": f"{shop.pickup.pk}-{shop.slots[1].pk}"},
            follow=True,
        )

    assert (
        f"n° {shop.order.number} : La commande est déjà à cet endroit : choisissez un autre "
        "retrait ou un autre créneau." in response.content.decode()
    )
    assert state(shop) == before
    assert mail.outbox == []


def test_choosing_another_point_moves_the_order_and_the_member_sees_it(client, shop):
    client.force_login(shop.coordinator)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(page_url(shop),
                    {"order": shop.order.pk, "place": f"{shop.open_pickup.pk}-0"})  # fmt: skip

    order = Order.objects.get(pk=shop.order.pk)
    assert (order.pickup_id, order.slot_id) == (shop.open_pickup.pk, None)
    assert mail.outbox[-1].to == [order.user.email]
    client.force_login(order.user)
    page = client.get(reverse("orders:order", args=[shop.organisation.slug, order.code]))
    assert shop.open_pickup.pickup_point.name in page.content.decode()
