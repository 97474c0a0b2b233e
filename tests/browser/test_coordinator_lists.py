"""On a phone (390 px, French), the coordinator's pages that used to list everything: the
sale's offer, a page of products at a time, narrowed to a producer and a search, a quantity
saved without leaving them; a member put on the shifts after a search by name. The pages fit
the screen, their targets are big enough, axe finds nothing serious."""

from decimal import Decimal

import pytest

from cabas.accounts.tests.factories import UserFactory
from cabas.orders.tests.factories import open_shop
from cabas.orgs.tests.factories import MembershipFactory
from cabas.work.models import ShiftMember

from .test_inventory import _check_phone
from .test_phone_pages import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_offer_is_narrowed_to_a_producer_and_a_search_and_a_row_saved_stays_there(page, world):
    shop = open_shop(organisation=world.org_a, extra_products=60)
    found: dict = {}
    _log_in(page, world.users["coordinator"].email)

    page.goto(f"/o/{world.org_a.slug}/sales/{shop.sale.pk}/offer/")
    page.get_by_text("page 1 sur 2").wait_for()
    _check_phone(page, found)
    page.get_by_label("Producteur", exact=True).select_option(label="Ferme du Cérou")
    page.get_by_label("Produit", exact=True).fill("tomme")
    page.get_by_role("button", name="Afficher", exact=True).click()
    page.get_by_text("1 produit", exact=True).wait_for()
    row = page.locator("tr", has_text="Tomme")
    row.get_by_label("Quantité disponible").fill("3")
    row.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Offre mise à jour.").wait_for()

    assert "q=tomme" in page.url
    assert shop.sale.items.get(product__name="Tomme").quantity_available == Decimal("3")
    _check_phone(page, found)
    assert found == {}


def test_a_member_is_found_by_name_and_put_on_the_shifts(page, world):
    user = UserFactory(first_name="Xyléa", last_name="Martin")
    membership = MembershipFactory(organisation=world.org_a, user=user)
    found: dict = {}
    _log_in(page, world.users["coordinator"].email)

    page.goto(f"/o/{world.org_a.slug}/shifts/members/new/")
    page.get_by_label("Chercher le membre (nom ou e-mail)").fill("xyl")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_label("Xyléa Martin").check()
    _check_phone(page, found)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/o/{world.org_a.slug}/shifts/members/")

    assert ShiftMember.objects.get(membership=membership).regime == "flying"
    assert found == {}
