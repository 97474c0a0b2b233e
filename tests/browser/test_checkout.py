"""The checkout on a phone, in French: the pickup point first, then its slots (each named with
its point), confirm; the order page and the home page then say where, when and at which
address. On the second order the usual point is already chosen. A full slot cannot be chosen.
Also without script: the point's slots come with a button."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cabas.orders import services
from cabas.orders.models import Order
from cabas.orders.tests.factories import open_shop
from cabas.sales import services as sales_services
from cabas.sales.models import SlotMode
from tests.browser import test_accessibility as a11y
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_basket(shop, member):
    services.basket_set_quantity(sale=shop.sale, product_id=shop.products["bread"].pk,
                                 quantity=Decimal(2), user=member)  # fmt: skip


def hour(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def slot_radio(page, point, slot):
    """A slot's radio found by its accessible name, which must say its point and its time."""
    name = re.compile(re.escape(point.name) + r", .+, " + re.escape(hour(slot.starts_at)) + "–")
    return page.locator("#checkout-slots").get_by_role("radio", name=name)


def test_point_then_slot_then_the_order_and_home_say_where_and_when(page):
    shop = open_shop()
    member = shop.member(email="lea@example.org", first_name="Léa")
    point = shop.pickup.pickup_point
    fill_basket(shop, member)
    checkout = f"/o/{shop.organisation.slug}/shop/{shop.sale.pk}/checkout/"
    log_in(page, member.email, checkout)

    # No usual point yet: nothing is chosen, no slot is offered.
    assert page.get_by_role("radio", name=re.compile(re.escape(point.name))).count() == 1
    assert page.locator("input[name=place]").count() == 0
    assert a11y._violations(page) == []

    # Choose the point: its slots come in (htmx), with its address and instructions.
    page.get_by_role("radio", name=re.compile(re.escape(point.name))).check()
    slot = shop.slots[1]
    slot_radio(page, point, slot).check()
    slots = page.locator("#checkout-slots")
    assert point.address in slots.inner_text()
    assert "Retrait au coffre" in slots.inner_text()
    assert page.locator("input[name=place]").count() == len(shop.slots)
    assert a11y._violations(page) == [], json.dumps(a11y._violations(page))
    page.get_by_role("button", name="Confirmer ma commande").click()

    # The order page: where, when, at which address.
    page.wait_for_url(re.compile(r"/orders/[0-9a-f-]+/$"))
    order = Order.objects.get()
    assert order.slot_id == slot.pk
    text = page.locator("main").inner_text()
    assert "Commande n° 1" in text
    assert point.name in text and point.address in text
    assert f"{hour(slot.starts_at)}–{hour(slot.ends_at)}" in text

    # The home page shows it too, with a link to it.
    page.goto(f"/o/{shop.organisation.slug}/home/")
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Mes commandes à retirer")
    )
    text = section.inner_text()
    assert point.name in text and point.address in text
    assert f"{hour(slot.starts_at)}–{hour(slot.ends_at)}" in text
    section.get_by_role("link", name="Commande n° 1").click()
    page.wait_for_url(re.compile(r"/orders/[0-9a-f-]+/$"))
    assert a11y._violations(page) == []

    # The next sale: the usual point is already chosen, its slots shown at once.
    next_week = open_shop(organisation=shop.organisation)
    usual = sales_services.pickup_create(
        sale=next_week.sale, pickup_point=point,
        starts_at=next_week.pickup.starts_at + timedelta(days=1),
        ends_at=next_week.pickup.starts_at + timedelta(days=1, hours=1),
        slot_mode=SlotMode.SLOTS, slot_minutes=30, slot_capacity=4,
    )  # fmt: skip
    fill_basket(next_week, member)
    page.goto(f"/o/{shop.organisation.slug}/shop/{next_week.sale.pk}/checkout/")
    chosen = page.get_by_role("radio", name=re.compile(re.escape(point.name) + ".*habituel"))
    assert chosen.is_checked()
    second_slot = usual.slots.order_by("starts_at")[1]
    slot_radio(page, point, second_slot).check()
    page.get_by_role("button", name="Confirmer ma commande").click()
    page.wait_for_url(re.compile(r"/orders/[0-9a-f-]+/$"))
    assert Order.objects.get(sale=next_week.sale).slot_id == second_slot.pk


def test_a_full_slot_is_marked_and_cannot_be_chosen(page):
    shop = open_shop(slot_capacity=1)
    services.order_place(user=shop.member(), sale=shop.sale, pickup_id=shop.pickup.pk,
                         slot_id=shop.slots[0].pk,
                         lines=[(shop.products["bread"].pk, Decimal(1))])  # fmt: skip
    member = shop.member(email="sam@example.org")
    fill_basket(shop, member)
    point = shop.pickup.pickup_point
    checkout = f"/o/{shop.organisation.slug}/shop/{shop.sale.pk}/checkout/"
    log_in(page, member.email, checkout)

    page.get_by_role("radio", name=re.compile(re.escape(point.name))).check()

    full = slot_radio(page, point, shop.slots[0])
    assert full.is_disabled()
    label = full.locator("xpath=ancestor::label")
    assert "complet" in label.inner_text()
    with pytest.raises(Exception, match="disabled|not enabled|Timeout"):
        full.check(timeout=1_000)
    assert not full.is_checked()
    assert slot_radio(page, point, shop.slots[1]).is_enabled()


def test_without_script_the_point_then_its_slots(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 390, "height": 844},
        java_script_enabled=False,
    )  # fmt: skip
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        shop = open_shop()
        member = shop.member(email="noe@example.org")
        fill_basket(shop, member)
        point = shop.open_pickup.pickup_point  # a pickup without slots: the opening hours
        log_in(page, member.email, f"/o/{shop.organisation.slug}/shop/{shop.sale.pk}/checkout/")

        page.get_by_role("radio", name=re.compile(re.escape(point.name))).check()
        page.get_by_role("button", name="Voir les créneaux de ce point").click()
        slots = page.locator("#checkout-slots")
        slots.get_by_role("radio", name=re.compile(re.escape(point.name) + ".*heures")).check()
        page.get_by_role("button", name="Confirmer ma commande").click()

        page.wait_for_url(re.compile(r"/orders/[0-9a-f-]+/$"))
        assert Order.objects.get().pickup_id == shop.open_pickup.pk
    finally:
        context.close()


def test_the_checkout_summary_puts_the_amounts_in_a_right_hand_column_on_a_phone(page):
    """As in the basket and on the order's page: every amount and the total end at the
    table's right edge, not wherever their column happens to start."""
    shop = open_shop()
    member = shop.member(email="lea@example.org", first_name="Léa")
    fill_basket(shop, member)
    checkout = f"/o/{shop.organisation.slug}/shop/{shop.sale.pk}/checkout/"
    log_in(page, member.email, checkout)

    table = page.locator("main table").first
    right = table.evaluate("t => t.getBoundingClientRect().right")
    amounts = table.locator("td.amount")
    assert amounts.count() == 2  # the line and the total
    for index in range(amounts.count()):
        cell = amounts.nth(index)
        text_right = cell.evaluate(
            """td => { const r = document.createRange(); r.selectNodeContents(td);
                       const cs = getComputedStyle(td);
                       return r.getBoundingClientRect().right + parseFloat(cs.paddingRight); }"""
        )
        assert abs(text_right - right) <= 2, (cell.inner_text(), text_right, right)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
