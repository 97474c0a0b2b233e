"""Messages on a phone (390 px, French): a coordinator writes to the customers of one pickup
point, sees how many will receive it and the preview, sends it and follows its progress; a
member finds it in « Messages », reads it, then unsubscribes from the messages with the link
of the e-mail (one tap, and a way back). The pages fit the screen, their buttons are big
enough, axe finds nothing serious."""

import re
from decimal import Decimal

import pytest
from django.core import mail

from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership

from .test_inventory import _check_phone
from .test_phone_pages import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _customers(world):
    """The member and a neighbour ordered at the point with slots, someone else elsewhere."""
    shop = open_shop(organisation=world.org_a)
    neighbour = shop.member(email="voisine@example.org")
    elsewhere = shop.member(email="ailleurs@example.org")
    for user, pickup in ((world.users["member"], shop.pickup), (neighbour, shop.pickup),
                         (elsewhere, shop.open_pickup)):  # fmt: skip
        order_services.order_place(
            user=user, sale=shop.sale, pickup_id=pickup.pk,
            slot_id=pickup.slots.first().pk if pickup.has_slots else None,
            lines=[(shop.products["bread"].pk, Decimal(1))],
        )  # fmt: skip
    return shop


# long: one walk, a coordinator's message and a member reading it, as they do it on phones
def test_a_coordinator_writes_to_a_points_customers_and_a_member_reads_and_unsubscribes(
    page, world
):
    shop = _customers(world)
    point = shop.pickup.pickup_point
    slug = world.org_a.slug
    found: dict = {}
    mail.outbox.clear()

    _log_in(page, world.users["coordinator"].email)
    page.goto(f"/o/{slug}/")
    assert page.locator(f'a[href="/o/{slug}/messages/"]').count() >= 1  # in the menu
    page.goto(f"/o/{slug}/messages/")
    page.get_by_role("heading", name="Messages aux membres").wait_for()
    _check_phone(page, found)
    page.get_by_role("link", name="Écrire un message").click()
    # Only the choice the audience needs shows (the others are hidden by the page's script).
    page.locator("#id_pickup_point").wait_for(state="hidden")
    # Customers of a sale: the pickups of the chosen sale only, the slots of the chosen pickup
    # only (fetched again when the choice changes; the current sale is chosen first).
    other = open_shop(organisation=world.org_a)  # another sale, with its own pickups
    page.reload()
    page.get_by_label("Clients d’une vente (ou d’un de ses retraits ou créneaux)").check()
    assert page.locator("#id_sale").input_value() == str(shop.sale.pk)
    assert page.locator("#id_slot option:not([value=''])").count() == 0
    assert page.locator(".choose-button").count() == 0  # the no-script button is not needed
    page.locator("#id_sale").select_option(str(other.sale.pk))
    page.locator(f"#id_pickup option[value='{other.pickup.pk}']").wait_for(state="attached")
    assert page.locator("#id_pickup option:not([value=''])").count() == 2
    page.locator("#id_pickup").select_option(str(other.pickup.pk))
    page.locator(f"#id_slot option[value='{other.slots[0].pk}']").wait_for(state="attached")
    assert page.locator("#id_slot option:not([value=''])").count() == len(other.slots)
    page.get_by_label("Clients d’un point de retrait").check()
    page.locator("#id_pickup_point").select_option(str(point.pk))
    page.locator("#id_sale").wait_for(state="hidden")
    page.locator("#id_subject").fill("Retrait sur le parking vendredi")
    page.locator("#id_body").fill("Cette semaine, le retrait se fait **sur le parking**.")
    _check_phone(page, found)
    page.get_by_role("button", name="Enregistrer et voir l’aperçu").click()
    page.get_by_text("2 personnes recevront ce message.").wait_for()
    assert page.locator(".message-preview strong").inner_text() == "sur le parking"
    _check_phone(page, found)
    page.get_by_role("button", name="Envoyer à 2 personnes").click()
    page.get_by_text("Le message part vers 2 personnes.").wait_for()
    page.get_by_text("2 envoyés").wait_for()
    assert page.locator("table").get_by_text("voisine@example.org").count() == 1
    assert page.locator("table").get_by_text("ailleurs@example.org").count() == 0
    _check_phone(page, found)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.users["member"].email, "voisine@example.org"]
    )

    # The member reads it in « Messages », without anyone else's address.
    _log_in(page, world.users["member"].email)
    page.goto(f"/o/{slug}/")
    assert page.locator(f'a[href="/o/{slug}/my/messages/"]').count() >= 1  # in the menu
    page.goto(f"/o/{slug}/my/messages/")
    page.get_by_role("link", name="Retrait sur le parking vendredi").click()
    page.get_by_text("Cette semaine, le retrait se fait").wait_for()
    assert "voisine@example.org" not in page.content()
    _check_phone(page, found)
    page.goto(f"/o/{slug}/my/emails/")
    page.get_by_label("Messages de la coordination").wait_for()
    _check_phone(page, found)

    # The e-mail's link: one tap unsubscribes from the messages, nothing else.
    email = next(m for m in mail.outbox if m.to == [world.users["member"].email])
    link = re.fullmatch(r"<(.+)>", email.extra_headers["List-Unsubscribe"]).group(1)
    page.goto(link)
    page.get_by_role("button", name="Se désinscrire").click()
    page.get_by_role("heading", name="C’est fait").wait_for()
    _check_phone(page, found)
    membership = Membership.objects.get(organisation=world.org_a, user=world.users["member"])
    assert (membership.accepts_announcements, membership.accepts_reminders) == (False, True)
    assert found == {}
