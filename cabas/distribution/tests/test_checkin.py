"""Distribution day's screens and the pickup's close (the changes of orders themselves are
the orders' services: cabas/orders/tests/test_fulfilment.py)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cabas.distribution import errors, services
from cabas.orders import errors as order_errors
from cabas.orders import services as order_services
from cabas.orders.models import Order
from cabas.orders.tests.factories import distribution_day, line_of, open_shop
from cabas.sales.models import Pickup, PickupPoint, Sale

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def day():
    return distribution_day()


def test_arrivals_are_listed_in_the_order_they_came(client, day, clock):
    PickupPoint.objects.filter(pk=day.pickup.pickup_point_id).update(car_boot_pickup=True)
    clock.move_to(day.pickup.starts_at)  # the pickup's day: arrivals are taken
    order_services.order_arrive(order=day.orders[2], note="Clio rouge, place 3")
    order_services.order_arrive(order=day.orders[0])
    client.force_login(day.volunteer)

    url = reverse("distribution:checkin_pickup", args=[day.organisation.slug, day.pickup.pk])
    page = client.get(url).content.decode()

    arrivals = page[
        page.index('id="arrivals"') : page.index("</section>", page.index('id="arrivals"'))
    ]
    assert arrivals.index(f"n° {day.orders[2].number}") < arrivals.index(
        f"n° {day.orders[0].number}"
    )
    assert "Clio rouge, place 3" in arrivals


def test_a_pickup_closes_when_every_order_is_done_then_nothing_changes(day):
    with pytest.raises(errors.PickupHasOpenOrders) as refused:
        services.pickup_close(pickup=day.pickup, by=day.volunteer)
    assert "3 commandes" in str(refused.value)

    order_services.order_set_status(order=day.orders[0], status="collected", by=day.volunteer)
    with pytest.raises(order_errors.PickupNotOver):
        order_services.pickup_mark_no_shows(pickup=day.pickup, by=day.volunteer)
    after_end = day.pickup.ends_at + timedelta(minutes=1)
    assert (
        order_services.pickup_mark_no_shows(pickup=day.pickup, by=day.volunteer, now=after_end) == 2
    )
    services.pickup_close(pickup=day.pickup, by=day.volunteer)

    assert Pickup.objects.get(pk=day.pickup.pk).closed_at is not None
    assert not Order.objects.filter(pickup=day.pickup, finalised_at__isnull=True).exists()
    with pytest.raises(order_errors.PickupClosed):
        order_services.order_line_weigh(
            line=line_of(day.orders[0], "Poulet"), weighed_kg=D("3"), by=day.volunteer
        )
    # the other pickup has no order; closing it distributes the sale
    assert Sale.objects.get(pk=day.sale.pk).status == "closed"
    services.pickup_close(pickup=day.open_pickup, by=day.volunteer)
    assert Sale.objects.get(pk=day.sale.pk).status == "distributed"


def test_checking_in_an_order_of_another_organisation_is_not_found(client, day):
    other = open_shop()
    foreign = order_services.order_place(user=other.member(), sale=other.sale,
                                         pickup_id=other.open_pickup.pk, slot_id=None,
                                         lines=[(other.products["bread"].pk, D(1))])  # fmt: skip
    client.force_login(day.volunteer)

    url = reverse("distribution:checkin_order", args=[day.organisation.slug, foreign.code])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "status", "status": "collected"}).status_code == 404
    assert Order.objects.get(pk=foreign.pk).status == "placed"


def test_the_check_in_pages_for_a_volunteer(client, day):
    client.force_login(day.volunteer)
    slug = day.organisation.slug
    order = day.orders[0]

    home = client.get(reverse("distribution:checkin_home", args=[slug])).content.decode()
    assert day.pickup.pickup_point.name in home
    found = client.get(reverse("distribution:checkin_pickup", args=[slug, day.pickup.pk]),
                       {"q": order.user.last_name}).content.decode()  # fmt: skip
    assert f"n° {order.number}" in found
    url = reverse("distribution:checkin_order", args=[slug, order.code])
    client.post(url, {"action": "weigh", "line": line_of(order, "Poulet").pk,
                      "weighed_kg": "3,1"})  # fmt: skip
    client.post(url, {"action": "status", "status": "collected"})
    page = client.get(url).content.decode()
    assert "41,09\u00a0€" in page  # 3.1 kg × 11.90 = 36.89, + 4.20 of bread
    # The payment line names the order (a noun), not the shop's button "Commander".
    assert "<p>Commande 41,09\u00a0€" in page and "Commander" not in page
    assert Order.objects.get(pk=order.pk).status == "collected"
    assert Order.objects.get(pk=order.pk).total == D("41.09")


@pytest.mark.parametrize(
    ("typed", "kept", "shown"),
    [("1,2", D("1.2"), "1,2"), ("1.2", D("1.2"), "1,2"), ("2", D("2"), "2")],
)
def test_a_weight_is_typed_with_a_comma_or_a_point(client, day, typed, kept, shown):
    client.force_login(day.volunteer)
    order = day.orders[0]
    url = reverse("distribution:checkin_order", args=[day.organisation.slug, order.code])

    client.post(url, {"action": "weigh", "line": line_of(order, "Poulet").pk, "weighed_kg": typed})

    assert line_of(order, "Poulet").weighed_kg == kept
    page = client.get(url, headers={"accept-language": "fr"}).content.decode()
    # The field gives the weight back as typed in French: "1,2", never "1.200" (1 200 in French).
    assert f'name="weighed_kg" value="{shown}" inputmode="decimal"' in page


def test_a_weight_that_is_no_number_is_refused_and_changes_nothing(client, day):
    client.force_login(day.volunteer)
    order = day.orders[0]
    url = reverse("distribution:checkin_order", args=[day.organisation.slug, order.code])

    response = client.post(
        url,
        {"action": "weigh", "line": line_of(order, "Poulet").pk, "weighed_kg": "1,2,5"},
        headers={"accept-language": "fr"},
        follow=True,
    )

    assert line_of(order, "Poulet").weighed_kg is None
    assert "Indiquez un poids supérieur à zéro, en kg (par ex. 1,35)." in response.content.decode()


def test_missing_is_undone_from_the_check_in_screen(client, day):
    order = day.orders[1]  # 2 cheeses (13.00) + 2 breads (8.40)
    line = line_of(order, "Tomme")
    client.force_login(day.volunteer)
    url = reverse("distribution:checkin_order", args=[day.organisation.slug, order.code])

    page = client.post(url, {"action": "missing", "line": line.pk}, follow=True).content.decode()

    assert (
        "Manquant : « Tomme ». La personne sera prévenue par e-mail dans quelques minutes" in page
    )
    assert 'value="unmark_missing"' in page
    assert Order.objects.get(pk=order.pk).total == D("8.40")
    # The undo is offered once, right after the tap; the line keeps its own undo button.
    again = client.get(url).content.decode()
    assert "La personne sera prévenue" not in again and "Annuler « Manquant »" in again

    page = client.post(url, {"action": "unmark_missing", "line": line.pk}, follow=True)

    assert "« Tomme » : « Manquant » annulé." in page.content.decode()
    assert Order.objects.get(pk=order.pk).total == D("21.40")
    assert line_of(order, "Tomme").is_missing is False


def test_the_status_buttons_keep_the_workflows_order(client, day):
    """A volunteer finds the buttons in the same place on every order and every server process:
    to prepare → being picked → ready → collected → no-show (they came from a set)."""
    client.force_login(day.volunteer)
    url = reverse("distribution:checkin_order", args=[day.organisation.slug, day.orders[0].code])

    page = client.get(url).content.decode()

    shown = re.findall(r'name="status" value="(\w+)"', page)
    assert shown == ["picking", "ready", "collected", "no_show"]


def test_the_actions_read_as_actions_and_the_status_as_a_status(client, day):
    """On a phone, « Retirée » beside « à préparer » read as two statuses: the buttons say
    what they do (« Marquer retirée »), the status is said to be one (« Statut : »)."""
    client.force_login(day.volunteer)
    slug = day.organisation.slug
    order = day.orders[0]
    fr = {"accept-language": "fr"}

    listed = client.get(
        reverse("distribution:checkin_pickup", args=[slug, day.pickup.pk]), headers=fr
    ).content.decode()
    one = client.get(
        reverse("distribution:checkin_order", args=[slug, order.code]), headers=fr
    ).content.decode()

    row = re.search(rf"<li class=\"card order-placed\">.*?n° {order.number}.*?</li>", listed, re.S)
    assert "Statut : <strong>à préparer</strong>" in row.group(0)
    assert re.search(r"<button[^>]*>Marquer retirée</button>", row.group(0))
    assert "Statut : <strong>à préparer</strong>" in one
    buttons = re.findall(r'<button type="submit" class="button[^"]*">([^<]+)</button>', one)
    assert {"Marquer prête", "Marquer retirée", "Marquer non retirée"} <= set(buttons)
    assert "Retirée" not in buttons and "Prête" not in buttons


def test_the_no_show_action_and_status_agree_with_an_order_feminine():
    with translation.override("fr"):
        assert str(Order.Status.NO_SHOW.label) == "non retirée"
        assert _("Mark as no-show") == "Marquer non retirée"
