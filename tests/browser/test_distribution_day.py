"""Distribution day on a phone (390×844, French): a volunteer weighs an item, taps "Manquant"
by mistake and undoes it; a coordinator moves an order to another point and the member sees
the new place. The primary buttons are tap targets of at least 44×44 px; axe finds nothing
serious on these screens."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cabas.notifications.models import OutboxMessage
from cabas.orders import services as order_services
from cabas.orders.models import Order
from cabas.orders.tests.factories import line_of, open_shop
from cabas.orgs.models import Membership
from cabas.sales import services as sales_services
from cabas.sales.models import PickupPoint
from tests.browser.conftest import ARTIFACTS, log_in
from tests.browser.test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def assert_tap_target(locator):
    # Measured once the page's stylesheets have loaded (the 44 px come from them): right after
    # a navigation the element can exist before its CSS applies.
    locator.page.wait_for_load_state("load")
    box = locator.bounding_box()
    assert box is not None, "not visible"
    assert box["width"] >= 44 and box["height"] >= 44, box


def test_a_volunteer_weighs_taps_missing_and_undoes_it(page):
    shop = open_shop()
    order = order_services.order_place(
        user=shop.member(first_name="Paul", last_name="Albert"), sale=shop.sale,
        pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
        lines=[(shop.products["chicken"].pk, D(1)), (shop.products["cheese"].pk, D(2))],
    )  # fmt: skip
    sales_services.sale_close_now(sale=shop.sale)
    volunteer = shop.member(email="benevole@example.org", first_name="Julien")
    Membership.objects.filter(user=volunteer).update(is_volunteer=True)
    log_in(page, volunteer.email)

    page.goto(f"/o/{shop.organisation.slug}/checkin/pickups/{shop.pickup.pk}/")
    page.get_by_role("link", name=re.compile(rf"n° {order.number}")).click()
    chicken = page.locator("li.card", has_text="Poulet")
    cheese = page.locator("li.card", has_text="Tomme")

    # Weigh the chicken: its amount and the history follow.
    assert_tap_target(chicken.get_by_role("button", name="Peser"))
    chicken.get_by_label(re.compile("Poids")).fill("1,85")
    chicken.get_by_role("button", name="Peser").click()
    page.get_by_text("Poids enregistré.").wait_for()
    assert "22,02\u00a0€" in page.locator("li.card", has_text="Poulet").inner_text()
    page.get_by_text("Pesée de Poulet : 1,85 kg, 22,02\u00a0€ par Julien").wait_for()

    # "Manquant" on the cheese, by mistake: the amount goes, the undo is right there.
    assert_tap_target(cheese.get_by_role("button", name="Manquant"))
    cheese.get_by_role("button", name="Manquant").click()
    undo = page.locator("#undo-missing")
    undo.get_by_text("Manquant : « Tomme ». La personne sera prévenue par e-mail").wait_for()
    assert "manquant" in page.locator("li.card", has_text="Tomme").inner_text()
    assert "Total : 22,02\u00a0€" in page.locator("main").inner_text()
    if violations := _violations(page):
        pytest.fail(f"axe: {violations}")
    assert_tap_target(undo.get_by_role("button", name="Annuler"))
    undo.get_by_role("button", name="Annuler").click()

    page.get_by_text("« Tomme » : « Manquant » annulé.").wait_for()
    assert page.locator("#undo-missing").count() == 0
    assert "Total : 35,02\u00a0€" in page.locator("main").inner_text()
    history = page.locator("ul.history").inner_text()
    assert "Produit manquant : Tomme (13,00\u00a0€ en moins) par Julien" in history
    assert "« Manquant » annulé : Tomme est de nouveau dans la commande" in history
    assert line_of(order, "Tomme").is_missing is False
    # The member's e-mail about it was withdrawn before it left.
    assert not OutboxMessage.objects.filter(key__contains=":missing:").exists()


def test_a_coordinator_moves_an_order_and_the_member_sees_the_new_place(page, browser,
                                                                       live_server):  # fmt: skip
    shop = open_shop()
    PickupPoint.objects.filter(pk=shop.pickup.pickup_point_id).update(name="Salles")
    PickupPoint.objects.filter(pk=shop.open_pickup.pickup_point_id).update(
        name="Cordes-sur-Ciel — Halle"
    )
    member = shop.member(email="lea@example.org", first_name="Léa")
    order = order_services.order_place(user=member, sale=shop.sale, pickup_id=shop.pickup.pk,
                                       slot_id=shop.slots[1].pk,
                                       lines=[(shop.products["bread"].pk, D(1))])  # fmt: skip
    coordinator = shop.member(email="marie@example.org", first_name="Marie")
    Membership.objects.filter(user=coordinator).update(is_coordinator=True)
    log_in(page, coordinator.email)

    page.goto(reverse("orders:pickup_orders", args=[shop.organisation.slug, shop.pickup.pk]))
    # Each row opens its own list of places.
    page.get_by_role("link", name=f"Déplacer la commande n° {order.number}").click()
    move = page.locator(f"#move-{order.pk}")
    # The select starts on the order's place, not on another pickup.
    assert move.input_value() == f"{shop.pickup.pk}-{shop.slots[1].pk}"
    assert "emplacement actuel" in move.locator("option:checked").inner_text()
    row = page.locator("#move-form")
    if violations := _violations(page):
        pytest.fail(f"axe: {violations}")

    # Submitting the current place is refused; nothing moves.
    row.get_by_role("button", name="Déplacer").click()
    page.get_by_text("La commande est déjà à cet endroit").wait_for()
    assert Order.objects.get(pk=order.pk).pickup_id == shop.pickup.pk

    # Another point, chosen explicitly: the order moves.
    page.locator(f"#move-{order.pk}").select_option(f"{shop.open_pickup.pk}-0")
    button = page.locator("#move-form").get_by_role("button", name="Déplacer")
    button.scroll_into_view_if_needed()
    assert_tap_target(button)
    # The whole form is on a phone's screen, not in the table's last column beyond its edge.
    width = page.viewport_size["width"]
    for control in (button, page.locator(f"#move-{order.pk}")):
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert_tap_target(page.locator(f"#move-{order.pk}"))
    button.click()
    page.get_by_text(f"La commande n° {order.number} a été déplacée").wait_for()
    moved = Order.objects.get(pk=order.pk)
    assert (moved.pickup_id, moved.slot_id) == (shop.open_pickup.pk, None)

    # The member, on their phone, sees the new place.
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 390, "height": 844}
    )
    member_page = context.new_page()
    try:
        log_in(member_page, member.email)
        member_page.goto(reverse("orders:order", args=[shop.organisation.slug, order.code]))
        assert "Cordes-sur-Ciel — Halle" in member_page.locator("main").inner_text()
        assert "Salles" not in member_page.locator("main").inner_text()
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        member_page.screenshot(path=str(ARTIFACTS / "member-after-move.png"), full_page=True)
        raise
    finally:
        context.close()
