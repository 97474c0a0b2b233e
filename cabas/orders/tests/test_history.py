"""An order's history reads as sentences (cabas/orders/history.py), with the names of places
and products resolved in a constant number of queries, from before/after data the services
record right (order_change once recorded the new quantities as the old ones)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.distribution import selectors as distribution_selectors
from cabas.orders import services
from cabas.orders.history import order_history
from cabas.orders.models import Order, OrderEvent
from cabas.orders.tests.factories import line_of, open_shop
from cabas.orgs.models import Membership
from cabas.sales import services as sales_services
from cabas.sales.models import PickupPoint

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def shop():
    shop = open_shop()
    PickupPoint.objects.filter(pk=shop.pickup.pickup_point_id).update(name="Salles")
    PickupPoint.objects.filter(pk=shop.open_pickup.pickup_point_id).update(name="Cordes")
    shop.alice = shop.member(first_name="Alice", last_name="Bru")
    shop.marie = shop.member(first_name="Marie", last_name="Puech")
    Membership.objects.filter(user=shop.marie).update(is_coordinator=True, is_volunteer=True)
    shop.order = services.order_place(
        user=shop.alice, sale=shop.sale, pickup_id=shop.pickup.pk, slot_id=shop.slots[1].pk,
        lines=[(shop.products["bread"].pk, D(1)), (shop.products["tomatoes"].pk, D(2))],
    )  # fmt: skip
    return shop


def sentences(order) -> list[str]:
    events = list(OrderEvent.objects.filter(order=order).select_related("by").order_by("at", "pk"))
    return [entry.text for entry in order_history(events)]


def products(shop, **quantities):
    return [(shop.products[name].pk, D(q)) for name, q in quantities.items()]


def test_the_members_change_records_the_quantities_before_and_after(shop):
    bread, tomatoes = shop.item("bread").pk, shop.item("tomatoes").pk

    services.order_change(order=shop.order, lines=products(shop, bread=2, tomatoes="3", cheese=1),
                          pickup_id=shop.pickup.pk, slot_id=shop.slots[1].pk)  # fmt: skip

    detail = OrderEvent.objects.get(order=shop.order, kind="changed").detail
    assert detail["before"] == {str(bread): "1.000", str(tomatoes): "2.000"}
    cheese = shop.item("cheese").pk
    assert detail["after"] == {str(bread): "2.00", str(tomatoes): "3.00", str(cheese): "1.00"}
    assert "place" not in detail
    assert sentences(shop.order)[-1] == (
        "Commande modifiée : quantité de Pain de campagne changée de 1 à 2; quantité de Tomates "
        "changée de 2 kg à 3 kg; ajout de Tomme (1) par Alice Bru"
    )


def test_the_members_change_of_place_is_told_with_the_names(shop):
    services.order_change(order=shop.order, lines=products(shop, bread=1),
                          pickup_id=shop.open_pickup.pk, slot_id=None)  # fmt: skip

    assert sentences(shop.order)[-1] == (
        "Commande modifiée : suppression de Tomates (2 kg); retrait déplacé de Salles 10:15 "
        "vers Cordes 10:00 par Alice Bru"
    )


def test_distribution_day_reads_as_sentences(shop):
    chicken = services.order_place(user=shop.member(first_name="Luc", last_name="Vidal"),
                                   sale=shop.sale, pickup_id=shop.pickup.pk,
                                   slot_id=shop.slots[0].pk,
                                   lines=products(shop, chicken=1, cheese=2))  # fmt: skip
    services.order_move(order=chicken, pickup_id=shop.open_pickup.pk, slot_id=None, by=shop.marie)
    sales_services.sale_close_now(sale=shop.sale)
    by = shop.marie
    services.order_line_weigh(line=line_of(chicken, "Poulet"), weighed_kg=D("1.85"), by=by)
    services.order_line_weigh(line=line_of(chicken, "Poulet"), weighed_kg=D("1.9"), by=by)
    services.order_line_mark_missing(line=line_of(chicken, "Tomme"), by=by)
    services.order_line_unmark_missing(line=line_of(chicken, "Tomme"), by=by)
    services.order_line_substitute(line=line_of(chicken, "Tomme"), note="Pérail", by=by)
    services.order_line_add(order=chicken, product=shop.products["tomatoes"], quantity=D("1.5"),
                            by=by, reason="Au téléphone")  # fmt: skip
    services.sale_item_set_price(item=shop.item("cheese"), price=D("6.00"), by=by,
                                 reason="Erreur d'étiquette")  # fmt: skip
    services.order_set_status(order=chicken, status="collected", by=by)

    assert sentences(chicken) == [
        "Commande passée par Luc Vidal",
        "Déplacée de Salles 10:00 vers Cordes 10:00 par Marie Puech",
        "Pesée de Poulet : 1,85 kg, 22,02\u00a0€ par Marie Puech",
        "Pesée de Poulet : 1,9 kg (au lieu de 1,85 kg), 22,61\u00a0€ par Marie Puech",
        "Produit manquant : Tomme (13,00\u00a0€ en moins) par Marie Puech",
        "« Manquant » annulé : Tomme est de nouveau dans la commande (13,00\u00a0€) "
        "par Marie Puech",
        "Remplacement de Tomme : « Pérail » par Marie Puech",
        "Ajout de Tomates : 1,5 kg, 6,00\u00a0€ par Marie Puech",
        "Prix de Tomme corrigé de 6,50\u00a0€ à 6,00\u00a0€ (ligne : 12,00\u00a0€) par Marie Puech",
        "Statut passé de « à préparer » à « retirée » par Marie Puech",
    ]


def test_a_whole_product_missing_reads_as_a_sentence(shop):
    sales_services.sale_close_now(sale=shop.sale)
    services.sale_product_set_missing(sale=shop.sale, product=shop.products["bread"],
                                      by=shop.marie, reason="Four en panne")  # fmt: skip

    events = list(OrderEvent.objects.filter(order=shop.order).select_related("by"))
    last = order_history(events)[-1]
    assert (last.text, last.reason) == (
        "Produit manquant : Pain de campagne (4,20\u00a0€ en moins) par Marie Puech",
        "Four en panne",
    )


def moves(shop, count):
    """``count`` moves of the order between the two points and slots."""
    places = [(shop.open_pickup.pk, None), (shop.pickup.pk, shop.slots[2].pk),
              (shop.open_pickup.pk, None), (shop.pickup.pk, shop.slots[3].pk)]  # fmt: skip
    for n in range(count):
        current = Order.objects.values_list("pickup_id", "slot_id").get(pk=shop.order.pk)
        pickup_id, slot_id = next(p for p in places[n % 2 :] if p != current)
        services.order_move(order=shop.order, pickup_id=pickup_id, slot_id=slot_id, by=shop.marie)


def history_queries(order) -> int:
    events = list(OrderEvent.objects.filter(order=order).select_related("by"))
    with CaptureQueriesContext(connection) as queries:
        order_history(events)
    return len(queries)


def test_names_are_read_in_the_same_queries_for_2_and_12_events(shop):
    moves(shop, 1)
    few = history_queries(shop.order)
    moves(shop, 10)
    services.order_move(order=shop.order, pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
                        by=shop.marie)  # fmt: skip
    assert history_queries(shop.order) == few == 2  # pickups with their points, slots


def test_the_check_in_page_shows_sentences_not_data(client, shop):
    moves(shop, 1)
    sales_services.sale_close_now(sale=shop.sale)
    client.force_login(shop.marie)
    url = reverse("distribution:checkin_order", args=[shop.organisation.slug, shop.order.code])

    page = client.get(url).content.decode()

    assert "Déplacée de Salles 10:15 vers Cordes 10:00 par Marie Puech" in page
    assert "{&#x27;" not in page and "{'" not in page


def test_the_check_in_page_costs_the_same_queries_for_a_short_and_a_long_history(client, shop):
    sales_services.sale_close_now(sale=shop.sale)
    client.force_login(shop.marie)
    url = reverse("distribution:checkin_order", args=[shop.organisation.slug, shop.order.code])
    moves(shop, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    moves(shop, 9)
    for _ in range(3):
        services.order_line_mark_missing(line=line_of(shop.order, "Tomates"), by=shop.marie)
        services.order_line_unmark_missing(line=line_of(shop.order, "Tomates"), by=shop.marie)
    with CaptureQueriesContext(connection) as long:
        client.get(url)
    assert len(long) == len(short)
    assert Order.objects.get(pk=shop.order.pk).events.count() > 15
    assert (
        distribution_selectors.checkin_order(organisation=shop.organisation, code=shop.order.code)
        is not None
    )
