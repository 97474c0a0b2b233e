"""A member's home page ("Bonjour") shows what they came for; a coordinator's, the work of
today and the coming days; the public page leads to the open shop."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone

from cabas.money import services as money_services
from cabas.orders import services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.sales.models import Sale
from cabas.sales.tests.factories import PickupFactory, SaleFactory

pytestmark = pytest.mark.django_db
D = Decimal


def home_url(organisation) -> str:
    return reverse("site:member_home", kwargs={"slug": organisation.slug})


def home_of(client, user, organisation) -> str:
    client.force_login(user)
    response = client.get(home_url(organisation))
    assert response.status_code == 200
    return response.content.decode()


def order(shop, member, slot_index=0):
    return services.order_place(
        user=member, sale=shop.sale, pickup_id=shop.pickup.pk,
        slot_id=shop.slots[slot_index].pk, lines=[(shop.products["bread"].pk, D(1))],
    )  # fmt: skip


def coordinator_of(shop):
    user = shop.member(first_name="Chloé")
    Membership.objects.filter(user=user).update(is_coordinator=True)
    return user


# --- a member ---------------------------------------------------------------------------------


def test_a_member_sees_the_open_sale_with_its_cutoff_in_the_organisations_time_zone(client):
    shop = open_shop()
    shop.organisation.timezone = "America/Martinique"  # UTC−4, five hours behind Paris in winter
    shop.organisation.save()
    member = shop.member(first_name="Léa")
    cutoff = timezone.localtime(shop.sale.closes_at, shop.organisation.tzinfo)

    page = home_of(client, member, shop.organisation)

    assert "Bonjour Léa" in page
    assert "Vente du vendredi" in page
    day = dateformat.format(cutoff, "l j F")
    assert f"Commandes jusqu’au {day} à {cutoff:%H:%M}" in page
    paris = timezone.localtime(shop.sale.closes_at)
    assert (paris - timedelta(hours=5)).strftime("%H:%M") == f"{cutoff:%H:%M}"
    shop_url = reverse("orders:sale_shop", args=[shop.organisation.slug, shop.sale.pk])
    assert f'href="{shop_url}"' in page and "Commander" in page
    assert "crédit" not in page and "À payer" not in page  # a zero balance is not news


def test_a_member_sees_their_order_with_point_slot_address_and_a_link(client):
    shop = open_shop()
    member = shop.member()
    placed = order(shop, member, slot_index=1)
    point = shop.pickup.pickup_point
    slot = timezone.localtime(shop.slots[1].starts_at)

    page = home_of(client, member, shop.organisation)

    assert "Mes commandes à retirer" in page
    assert reverse("orders:order", args=[shop.organisation.slug, placed.code]) in page
    assert f"Commande n° {placed.number}" in page
    assert point.name in page and point.address in page and point.town in page
    assert f"{slot:%H:%M}–" in page
    assert "Retrait au coffre" in page  # the point's instructions
    assert "Vous avez commandé (n° 1)" in page  # the sale's card says so, no second order
    # The member's word for the status, as on the order page; not the team's "à préparer".
    assert " · confirmée · " in page and "à préparer" not in page


def test_without_an_open_sale_the_next_opening_is_announced(client):
    shop = open_shop()
    services.order_place(user=shop.member(), sale=shop.sale, pickup_id=shop.open_pickup.pk,
                         slot_id=None, lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    from cabas.sales import services as sales_services

    sales_services.sale_close_now(sale=shop.sale)
    opens = timezone.localtime(timezone.now() + timedelta(days=3)).replace(hour=9, minute=0)
    SaleFactory(organisation=shop.organisation, title="Vente de Noël", status="scheduled",
                opens_at=opens, closes_at=opens + timedelta(days=2))  # fmt: skip

    page = home_of(client, shop.member(), shop.organisation)

    assert "Aucune vente ne prend de commandes en ce moment." in page
    assert "Prochaine vente : Vente de Noël" in page and "à 09:00" in page


def test_the_balance_shows_when_it_is_not_zero(client):
    shop = open_shop()
    member = shop.member()
    money_services.payment_record(organisation=shop.organisation, user=member, amount="12.50",
                                  method="cash", by=member)  # fmt: skip

    page = home_of(client, member, shop.organisation)

    assert "Vous avez un crédit de 12,50\u00a0€." in page
    assert reverse("money:my_account", args=[shop.organisation.slug]) in page


def _member_home_queries(client, sales: int) -> int:
    first = open_shop()
    member = first.member()
    order(first, member)
    for _ in range(sales - 1):
        shop = open_shop(organisation=first.organisation)
        order(shop, member)
    money_services.payment_record(organisation=first.organisation, user=member, amount="5",
                                  method="cash", by=member)  # fmt: skip
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(home_url(first.organisation)).content.decode()
    assert page.count("Vous avez commandé") == sales
    return len(queries)


def test_the_member_home_costs_the_same_queries_for_1_and_4_sales_and_orders(client):
    assert _member_home_queries(client, 1) == _member_home_queries(client, 4)


# --- a coordinator ----------------------------------------------------------------------------


def _past_pickup_with_an_unresolved_payment(shop):
    now = timezone.now()
    sale = SaleFactory(organisation=shop.organisation, status=Sale.Status.CLOSED,
                       opens_at=now - timedelta(days=6),
                       closes_at=now - timedelta(days=3))  # fmt: skip
    pickup = PickupFactory(sale=sale, starts_at=now - timedelta(days=1),
                           ends_at=now - timedelta(days=1, hours=-2))  # fmt: skip
    payer = shop.member()
    money_services.payment_record(organisation=shop.organisation, user=payer, amount="8",
                                  method="unresolved", by=payer, pickup=pickup)  # fmt: skip
    return pickup


def _today_pickup(shop):
    now = timezone.now()
    sale = SaleFactory(organisation=shop.organisation, status=Sale.Status.CLOSED,
                       opens_at=now - timedelta(days=4),
                       closes_at=now - timedelta(days=1))  # fmt: skip
    return PickupFactory(sale=sale, starts_at=now + timedelta(hours=2),
                         ends_at=now + timedelta(hours=4))  # fmt: skip


def test_a_coordinator_sees_the_work_of_today_and_the_week(client):
    shop = open_shop(slots=4)
    order(shop, shop.member(), 0)
    order(shop, shop.member(), 1)
    today = _today_pickup(shop)
    past = _past_pickup_with_an_unresolved_payment(shop)
    SaleFactory(organisation=shop.organisation, title="Vente sans retrait", status="scheduled")

    page = home_of(client, coordinator_of(shop), shop.organisation)

    assert "Aujourd’hui et cette semaine" in page
    # The sale closing tomorrow, with its orders.
    assert "Ventes qui se terminent" in page and "2 commandes" in page
    # Today's pickup, and the coming ones with their orders and sheets.
    today_part = page.split("Retraits aujourd’hui")[1].split("Retraits des prochains jours")[0]
    assert today.pickup_point.name in today_part and "0 commande" in today_part
    coming = page.split("Retraits des prochains jours")[1].split("À vérifier")[0]
    assert shop.pickup.pickup_point.name in coming and shop.open_pickup.pickup_point.name in coming
    assert "Fiche de préparation" in coming
    # The gaps the data shows.
    gaps = page.split("À vérifier")[1]
    assert "Vente sans retrait" in gaps and "aucun point de retrait" in gaps
    assert f"{shop.open_pickup.pickup_point.name}, " in gaps and "pas encore de commande" in gaps
    assert "2 créneaux sur 4 sans commande" in gaps
    assert past.pickup_point.name in gaps and "1 paiement à régler" in gaps


def test_a_plain_member_does_not_see_the_coordinators_work(client):
    shop = open_shop()
    order(shop, shop.member())

    page = home_of(client, shop.member(), shop.organisation)

    assert "Aujourd’hui et cette semaine" not in page and "À vérifier" not in page


def test_a_volunteer_sees_todays_pickups_with_their_check_in(client):
    shop = open_shop()
    today = _today_pickup(shop)
    volunteer = shop.member()
    Membership.objects.filter(user=volunteer).update(is_volunteer=True)

    page = home_of(client, volunteer, shop.organisation)

    assert "Retraits aujourd’hui" in page and today.pickup_point.name in page
    assert reverse("distribution:checkin_pickup", args=[shop.organisation.slug, today.pk]) in page
    assert shop.pickup.pickup_point.name not in page  # not today's
    assert "À vérifier" not in page


def _coordinator_home_queries(client, copies: int) -> int:
    first = open_shop()
    coordinator = coordinator_of(first)
    for index in range(copies):
        shop = first if index == 0 else open_shop(organisation=first.organisation)
        order(shop, shop.member())
        _today_pickup(shop)
        _past_pickup_with_an_unresolved_payment(shop)
        SaleFactory(organisation=shop.organisation, status="scheduled")
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(home_url(first.organisation)).content.decode()
    assert page.count("paiement à régler") == copies
    return len(queries)


def test_the_coordinator_home_costs_the_same_queries_for_1_and_3_weeks_of_work(client):
    assert _coordinator_home_queries(client, 1) == _coordinator_home_queries(client, 3)


# --- the public page --------------------------------------------------------------------------


def test_the_public_page_links_each_open_sale_to_its_shop(client):
    shop = open_shop()
    other = open_shop(organisation=shop.organisation)

    page = client.get(reverse("site:public", args=[shop.organisation.slug])).content.decode()

    for sale in (shop.sale, other.sale):
        url = reverse("orders:sale_shop", args=[shop.organisation.slug, sale.pk])
        assert f'href="{url}"' in page
    assert page.count(">Commander<") == 2


def test_the_public_page_announces_the_next_opening_when_none_is_open(client):
    shop = open_shop()
    from cabas.sales import services as sales_services

    sales_services.sale_close_now(sale=shop.sale)
    opens = timezone.localtime(timezone.now() + timedelta(days=2)).replace(hour=8, minute=30)
    SaleFactory(organisation=shop.organisation, title="Vente de la semaine prochaine",
                status="scheduled", opens_at=opens,
                closes_at=opens + timedelta(days=2))  # fmt: skip

    page = client.get(reverse("site:public", args=[shop.organisation.slug])).content.decode()

    assert "Aucune vente ne prend de commandes en ce moment." in page
    assert "Prochaine vente : Vente de la semaine prochaine" in page and "à 08:30" in page
    assert "/shop/" not in page
