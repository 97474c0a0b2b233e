"""The shop, basket, checkout and member pages, as a member's browser (or htmx) uses them."""

import gzip
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.accounts.tests.factories import UserFactory
from cabas.orders import services
from cabas.orders.models import Basket, Order
from cabas.orders.tests.factories import open_shop
from cabas.sales.models import SaleItem, Slot

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def shop():
    return open_shop()


def url(shop, name, **kwargs):
    return reverse(f"orders:{name}", kwargs={"slug": shop.organisation.slug, **kwargs})


def add(client, shop, name, quantity, **headers):
    return client.post(
        url(shop, "basket_set", sale_id=shop.sale.pk),
        {"product": shop.products[name].pk, "quantity": quantity},
        headers=headers,
    )


def test_the_shop_lists_products_by_category_with_availability(client, shop):
    services.order_place(user=shop.member(), sale=shop.sale, pickup_id=shop.open_pickup.pk,
                         slot_id=None, lines=[(shop.products["cheese"].pk, D(3))])  # fmt: skip

    page = client.get(url(shop, "sale_shop", sale_id=shop.sale.pk)).content.decode()

    assert "Pain de campagne" in page and "Tomme" in page
    assert "2 restants" in page  # cheese: 5 - 3
    assert "11,90\u00a0€/kg" in page  # chicken, variable weight
    assert 'loading="lazy"' not in page or "img" in page


def test_the_quantity_hint_follows_the_product_rule(client, shop):
    page = client.get(url(shop, "sale_shop", sale_id=shop.sale.pk)).content.decode()

    def hint(name):
        pk = shop.products[name].pk
        return re.search(rf'<input type="text" name="quantity"[^>]*id="q-{pk}"[^>]*>', page)[0]

    assert 'title="Un nombre entier, par exemple 2"' in hint("bread")  # pieces: no 0,5
    assert 'title="Un nombre entier, par exemple 2"' in hint("chicken")  # weighed pieces
    assert 'title="Un nombre, par exemple 2 ou 0,5"' in hint("tomatoes")  # by weight


def test_filters_search_category_producer_and_organic(client, shop):
    shop.products["bread"].is_organic = True
    shop.products["bread"].save()
    base = url(shop, "sale_shop", sale_id=shop.sale.pk)

    assert "Tomme" not in client.get(base, {"q": "pain"}).content.decode()
    dairy = client.get(base, {"category": "dairy"}).content.decode()
    assert "Tomme" in dairy and "Pain de campagne" not in dairy
    organic = client.get(base, {"organic": "on"}).content.decode()
    assert "Pain de campagne" in organic and "Tomme" not in organic


def test_a_visitor_fills_a_basket_without_an_account_and_logs_in_at_checkout(client, shop):
    assert add(client, shop, "bread", "2").status_code == 302
    add(client, shop, "tomatoes", "1,5")
    basket_page = client.get(url(shop, "basket", sale_id=shop.sale.pk)).content.decode()
    assert "14,40\u00a0€" in basket_page  # 8.40 + 6.00

    checkout = client.get(url(shop, "checkout", sale_id=shop.sale.pk))
    assert checkout.status_code == 302 and "/accounts/login/" in checkout.url

    member = shop.member()
    client.force_login(member)
    page = client.get(url(shop, "checkout", sale_id=shop.sale.pk)).content.decode()
    assert "Tomates" in page and "4 créneaux libres" in page  # the point is chosen first
    assert Basket.objects.get().user == member


def test_htmx_updates_the_product_form_and_the_basket_summary(client, shop):
    response = add(client, shop, "bread", "3", HX_Request="true")

    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'hx-swap-oob="true"' in body and "12,60\u00a0€" in body
    refused = add(client, shop, "bread", "1,5", HX_Request="true")
    assert refused.status_code == 422 and "nombres entiers" in refused.content.decode()
    removed = add(client, shop, "bread", "0", HX_Request="true")
    assert "Votre panier est vide." in removed.content.decode()


def test_basket_refuses_more_than_left(client, shop):
    add(client, shop, "cheese", "6")
    assert not Basket.objects.filter(lines__isnull=False).exists()


def test_the_basket_follows_the_member_across_devices(client, shop):
    member = shop.member()
    client.force_login(member)
    add(client, shop, "bread", "2")
    other_device = type(client)()
    other_device.force_login(member)

    assert (
        "Pain de campagne"
        in other_device.get(url(shop, "basket", sale_id=shop.sale.pk)).content.decode()
    )


def checkout(client, shop, place=None, form_id="8a3d0a52-8a52-4b1f-8b7a-0d9c8c5a4f11", **extra):
    place = place or f"{shop.pickup.pk}-{shop.slots[0].pk}"
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url(shop, "checkout", sale_id=shop.sale.pk),
                           {"place": place, "token": form_id, "note": "", **extra})  # fmt: skip


def test_checkout_places_the_order_once_even_when_submitted_twice(client, shop):
    member = shop.member()
    client.force_login(member)
    add(client, shop, "cheese", "2")

    first = checkout(client, shop)
    second = checkout(client, shop)  # the second click finds the basket emptied by the first
    add(client, shop, "cheese", "2")  # and a replay with a basket again
    third = checkout(client, shop)

    order = Order.objects.get()
    assert first.url == second.url == third.url == url(shop, "order", code=order.code)
    assert SaleItem.objects.get(pk=shop.item("cheese").pk).quantity_ordered == 2
    assert len(mail.outbox) == 1
    page = client.get(first.url).content.decode()
    assert "Commande n° 1" in page and "Retrait au coffre" in page


def test_a_full_slot_is_shown_full_and_refused(client):
    shop = open_shop(slot_capacity=1)
    services.order_place(
        user=shop.member(),
        sale=shop.sale,
        pickup_id=shop.pickup.pk,
        slot_id=shop.slots[0].pk,
        lines=[(shop.products["bread"].pk, D(1))],
    )
    client.force_login(shop.member())
    add(client, shop, "bread", "1")

    checkout_url = url(shop, "checkout", sale_id=shop.sale.pk)
    page = client.get(checkout_url, {"pickup": shop.pickup.pk}).content.decode()
    assert "complet" in page
    response = checkout(client, shop)
    assert response.status_code == 200 and "Ce créneau est complet" in response.content.decode()
    assert Order.objects.count() == 1


def test_members_only_shop_asks_to_log_in_then_explains_how_to_join(client, shop):
    shop.organisation.members_only = True
    shop.organisation.save()
    page = url(shop, "sale_shop", sale_id=shop.sale.pk)

    assert "/accounts/login/" in client.get(page).url
    client.force_login(UserFactory())
    refused = client.get(page)
    assert refused.status_code == 403 and "adhésion" in refused.content.decode()
    client.force_login(shop.member())
    assert client.get(page).status_code == 200


def test_change_then_cancel_from_the_order_page(client, shop):
    member = shop.member()
    client.force_login(member)
    add(client, shop, "cheese", "2")
    checkout(client, shop)
    order = Order.objects.get()

    client.post(url(shop, "order_edit", code=order.code))
    add(client, shop, "cheese", "4")
    checkout(client, shop, place=f"{shop.pickup.pk}-{shop.slots[1].pk}",
             form_id="0b6f1bfe-7a57-4a43-bb1b-42b0e4d1a001")  # fmt: skip
    order.refresh_from_db()
    assert (order.total, order.slot_id) == (D("26.00"), shop.slots[1].pk)
    assert SaleItem.objects.get(pk=shop.item("cheese").pk).quantity_ordered == 4

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url(shop, "order_cancel", code=order.code))
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert SaleItem.objects.get(pk=shop.item("cheese").pk).quantity_ordered == 0
    assert [m.subject[:30] for m in mail.outbox] == [
        "Votre commande n° 1 est confir",
        "Votre commande n° 1 a été modi",
        "Votre commande n° 1 est annulé",
    ]
    # Its page says so as it says an active order's state (capitalised, like « Confirmée »).
    page = client.get(url(shop, "order", code=order.code), headers={"accept-language": "fr"})
    assert "· <strong>Annulée</strong></p>" in page.content.decode()


def test_after_the_cutoff_the_order_is_read_only(client, shop):
    member = shop.member()
    order = services.order_place(
        user=member,
        sale=shop.sale,
        pickup_id=shop.open_pickup.pk,
        slot_id=None,
        lines=[(shop.products["bread"].pk, D(1))],
    )
    from cabas.sales import services as sales_services

    sales_services.sale_close_now(sale=shop.sale)
    client.force_login(member)

    page = client.get(url(shop, "order", code=order.code)).content.decode()
    assert "ne peut plus être modifiée" in page and "Annuler ma commande" not in page
    client.post(url(shop, "order_cancel", code=order.code))
    assert Order.objects.get(pk=order.pk).status == "placed"


def test_reorder_fills_the_basket_and_skips_what_is_unavailable(client, shop):
    member = shop.member()
    services.order_place(user=member, sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
                         lines=[(shop.products["bread"].pk, D(2)),
                                (shop.products["cheese"].pk, D(1))])  # fmt: skip
    next_week = open_shop(organisation=shop.organisation)
    from cabas.sales import services as sales_services

    old_cheese = SaleItem.objects.get(sale=next_week.sale, product=shop.products["cheese"])
    sales_services.sale_item_set_unavailable(item=old_cheese, unavailable=True)
    client.force_login(member)

    response = client.post(url(next_week, "reorder", sale_id=next_week.sale.pk), follow=True)

    assert "Pas disponible cette fois : Tomme." in response.content.decode()
    basket = Basket.objects.get(sale=next_week.sale, user=member)
    assert list(basket.lines.values_list("sale_item__product__name", "quantity")) == [
        ("Pain de campagne", D(2))
    ]


def test_the_shop_offers_last_times_order_to_an_empty_basket_and_tells_of_this_sales_order(
    client, shop
):
    member = shop.member()
    services.order_place(user=member, sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
                         lines=[(shop.products["bread"].pk, D(2))])  # fmt: skip
    next_week = open_shop(organisation=shop.organisation)
    client.force_login(member)
    again = "Commander comme la dernière fois"

    page = client.get(url(next_week, "sale_shop", sale_id=next_week.sale.pk)).content.decode()
    assert again in page and "Vous avez déjà la commande" not in page
    add(client, next_week, "cheese", "1")
    page = client.get(url(next_week, "sale_shop", sale_id=next_week.sale.pk)).content.decode()
    assert again not in page
    page = client.get(url(shop, "sale_shop", sale_id=shop.sale.pk)).content.decode()
    number = Order.objects.get(user=member).number
    assert f"Vous avez déjà la commande n° {number}" in page and again not in page


def test_my_orders_lists_current_and_past(client, shop):
    member = shop.member()
    services.order_place(user=member, sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
                         lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    client.force_login(member)

    page = client.get(url(shop, "my_orders")).content.decode()

    assert "Commande n° 1" in page and "Vente du vendredi" in page


# --- Query budgets: the same number of queries for 10 and 300 products -----------------------


def _queries(client, path, method="get", data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, data or {})
    assert response.status_code in (200, 302)
    return len(queries)


def _pages(client, shop, member):
    """Shop page, basket, checkout and my orders, with the basket holding every product."""
    for item in SaleItem.objects.filter(sale=shop.sale).select_related("product"):
        services.basket_set_quantity(sale=shop.sale, product_id=item.product_id,
                                     quantity=item.product.min_quantity, user=member)  # fmt: skip
    services.order_place(user=shop.member(), sale=shop.sale, pickup_id=shop.open_pickup.pk,
                         slot_id=None, lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    client.force_login(member)
    return {
        "shop": _queries(client, url(shop, "sale_shop", sale_id=shop.sale.pk)),
        "basket": _queries(client, url(shop, "basket", sale_id=shop.sale.pk)),
        "checkout": _queries(client, url(shop, "checkout", sale_id=shop.sale.pk)),
        "my_orders": _queries(client, url(shop, "my_orders")),
    }


def test_pages_cost_the_same_queries_for_10_and_300_products(client):
    small = open_shop(extra_products=5)
    large = open_shop(extra_products=295)
    assert SaleItem.objects.filter(sale=large.sale).count() == 300

    assert _pages(client, small, small.member()) == _pages(client, large, large.member())


def test_a_coordinator_moves_an_order_and_the_member_is_told(client, shop):
    from cabas.orgs.models import Membership

    order = services.order_place(user=shop.member(), sale=shop.sale, pickup_id=shop.pickup.pk,
                                 slot_id=shop.slots[0].pk,
                                 lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    coordinator = shop.member()
    Membership.objects.filter(user=coordinator).update(is_coordinator=True)
    client.force_login(coordinator)
    page = url(shop, "pickup_orders", pickup_id=shop.pickup.pk)
    assert (
        f"{shop.pickup.pk}-{shop.slots[2].pk}"
        in client.get(f"{page}?move={order.pk}").content.decode()
    )

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(page, {"order": order.pk, "place": f"{shop.pickup.pk}-{shop.slots[2].pk}"})

    order.refresh_from_db()
    assert order.slot_id == shop.slots[2].pk
    booked = [s.booked for s in Slot.objects.filter(pickup=shop.pickup).order_by("starts_at")]
    assert booked[:3] == [0, 0, 1]
    assert mail.outbox[-1].subject.startswith("L’horaire de retrait a changé")
    # to a full place: refused, nothing moves
    full = services.order_place(user=shop.member(), sale=shop.sale, pickup_id=shop.pickup.pk,
                                slot_id=shop.slots[1].pk,
                                lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    Slot.objects.filter(pk=shop.slots[2].pk).update(capacity=1)
    response = client.post(
        page, {"order": full.pk, "place": f"{shop.pickup.pk}-{shop.slots[2].pk}"}, follow=True
    )
    assert "complet" in response.content.decode()
    assert Order.objects.get(pk=full.pk).slot_id == shop.slots[1].pk


def test_pages_are_compressed_for_phones(client, shop):
    url = reverse(
        "orders:sale_shop", kwargs={"slug": shop.organisation.slug, "sale_id": shop.sale.pk}
    )

    response = client.get(url, headers={"Accept-Encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert "Pain de campagne" in gzip.decompress(response.content).decode()


def _quantity_inputs(html: str) -> list[dict]:
    from html.parser import HTMLParser

    found = []

    class Inputs(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attributes = dict(attrs)
            if tag == "input" and attributes.get("name") == "quantity":
                found.append(attributes)

    Inputs().feed(html)
    return found


def test_quantities_by_the_kilo_are_fields_a_french_phone_can_type_in(client, shop):
    """A quantity field takes "1,5" as well as "1.5": it is a text field with the decimal
    keyboard (a number field drops the comma in Chromium: "0,5" became 5), its value as a
    French person types it ("1,5", never "1,500" nor "1.5"), whole numbers only for pieces."""
    client.force_login(shop.member())
    add(client, shop, "tomatoes", "1,5")

    for page in (
        url(shop, "sale_shop", sale_id=shop.sale.pk),
        url(shop, "basket", sale_id=shop.sale.pk),
    ):
        inputs = {
            i["id"]: i
            for i in _quantity_inputs(
                client.get(page, headers={"accept-language": "fr"}).content.decode()
            )
        }
        tomatoes = inputs[f"q-{shop.products['tomatoes'].pk}"]
        assert (tomatoes["type"], tomatoes["inputmode"], tomatoes["value"]) == (
            "text",
            "decimal",
            "1,5",
        ), page
        if page.endswith("/basket/"):
            continue
        bread = inputs[f"q-{shop.products['bread'].pk}"]
        assert (bread["type"], bread["inputmode"], bread["value"]) == ("text", "numeric", "1")


@pytest.mark.parametrize(
    ("typed", "kept"), [("0,5", "0.5"), ("0.5", "0.5"), ("1,5", "1.5"), ("2", "2"), (" 1 ", "1")]
)
def test_a_quantity_by_the_kilo_is_typed_with_a_comma_or_a_point(client, shop, typed, kept):
    client.force_login(shop.member())

    add(client, shop, "tomatoes", typed)

    line = Basket.objects.get().lines.get()
    assert line.quantity == Decimal(kept)


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "0,5 kg", "1e3", "-1", "1" * 40])
def test_a_quantity_that_is_no_number_is_refused_in_french_and_changes_nothing(client, shop, typed):
    client.force_login(shop.member())
    add(client, shop, "tomatoes", "1,5")

    response = add(client, shop, "tomatoes", typed, HX_Request="true", accept_language="fr")

    assert response.status_code == 422
    assert f"« {typed[:20]} » n’est pas une quantité." in response.content.decode()
    assert Basket.objects.get().lines.get().quantity == Decimal("1.5")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0,0005", "« Tomates » : la plus petite quantité est 0,5\u00a0kg."),
        ("0.0001", "« Tomates » : la plus petite quantité est 0,5\u00a0kg."),
        ("0,2", "« Tomates » : la plus petite quantité est 0,5\u00a0kg."),
        ("1,0001", "« Tomates » : par multiples de 0,5\u00a0kg."),
        ("1,25", "« Tomates » : par multiples de 0,5\u00a0kg."),
    ],
)
def test_a_quantity_below_the_smallest_step_names_it(client, shop, typed, message):
    """Tomatoes from 0.5 kg by 0.5 kg: "0,0005" is a number, too small for them; the message
    names the smallest quantity or the step (it said « n’est pas une quantité »)."""
    client.force_login(shop.member())
    add(client, shop, "tomatoes", "1,5")

    response = add(client, shop, "tomatoes", typed, HX_Request="true", accept_language="fr")

    assert response.status_code == 422
    assert message in response.content.decode()
    assert Basket.objects.get().lines.get().quantity == Decimal("1.5")


def test_a_piece_below_one_says_pieces_are_whole(client, shop):
    client.force_login(shop.member())

    response = add(client, shop, "bread", "0,0001", HX_Request="true", accept_language="fr")

    assert response.status_code == 422
    assert "« Pain de campagne » : vendu à la pièce, en nombres entiers." in (
        response.content.decode()
    )
    assert not Basket.objects.filter(lines__isnull=False).exists()


def test_a_silly_quantity_by_the_kilo_is_refused_in_french_and_changes_nothing(client, shop):
    """A thumb slip on a phone ("99,999" kg for "0,999") is refused by the line's maximum
    (``rules.LINE_MAXIMUM``), the basket kept as it was; the box still offers the minimum."""
    client.force_login(shop.member())
    add(client, shop, "tomatoes", "1,5")

    response = add(client, shop, "tomatoes", "99,999", HX_Request="true", accept_language="fr")

    assert response.status_code == 422
    assert "« Tomates » : au plus 50 kg par commande." in response.content.decode()
    assert Basket.objects.get().lines.get().quantity == Decimal("1.5")
    assert add(client, shop, "tomatoes", "50").status_code == 302
    assert Basket.objects.get().lines.get().quantity == Decimal("50")


@pytest.mark.parametrize("product", ["-1", "9" * 30, "abc", ""])
def test_a_forged_product_id_in_the_basket_says_the_product_not_the_quantity(client, shop, product):
    client.force_login(shop.member())
    add(client, shop, "tomatoes", "1,5")

    response = client.post(
        url(shop, "basket_set", sale_id=shop.sale.pk),
        {"product": product, "quantity": "1"},
        headers={"HX-Request": "true", "accept-language": "fr"},
    )

    assert response.status_code == 422
    assert "Ce produit n’est pas proposé dans cette vente." in response.content.decode()
    assert Basket.objects.get().lines.get().quantity == Decimal("1.5")
