"""A volunteer, on a phone, opens "Permanences" from the menu, taps "Je m’inscris" on a duty,
sees it marked as theirs in place, then finds it on their home page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales.tests.factories import PickupPointFactory
from cabas.work.models import Signup, WorkSettings
from cabas.work.tests.factories import DutyFactory
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_volunteer_signs_up_for_a_duty_and_finds_it_on_their_home(page, live_server):
    organisation = OrganisationFactory(name="Les Paniers du Ségala")
    WorkSettings.objects.create(organisation=organisation)
    point = PickupPointFactory(organisation=organisation, name="Salle des fêtes", town="Mirandol")
    starts = timezone.now() + timedelta(days=10)
    duty = DutyFactory(organisation=organisation, task_type__name="Préparation des paniers",
                       pickup__pickup_point=point, starts_at=starts)  # fmt: skip
    DutyFactory(organisation=organisation, task_type__name="Caisse", starts_at=starts)
    volunteer = MembershipFactory(
        organisation=organisation, is_volunteer=True, user__first_name="Léa"
    )

    log_in(page, volunteer.user.email)
    page.wait_for_url(re.compile(rf"/o/{organisation.slug}/home/$"))

    # From the menu (behind its button on a phone) to the duties.
    page.get_by_role("button", name="Menu").click()
    page.locator("#main-menu").get_by_role("link", name="Permanences").click()
    page.wait_for_url(re.compile(rf"/o/{organisation.slug}/duties/$"))
    card = page.locator(f"#duty-{duty.pk}")
    card.get_by_text("3 places libres sur 3").wait_for()

    button = card.get_by_role("button", name="Je m’inscris")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44
    button.click()

    # The card is swapped in place: marked as mine, with the way out and its deadline.
    card.get_by_text("Vous êtes inscrit·e. Merci !").wait_for()
    # htmx settles the new card's attributes a moment after its content: wait for them.
    from playwright.sync_api import expect

    expect(card).to_have_class(re.compile(r"\bduty-mine\b"))
    card.get_by_text("2 places libres sur 3").wait_for()
    assert card.get_by_role("button", name="Me désinscrire").is_visible()
    assert card.get_by_text("Désinscription possible jusqu’au").is_visible()
    other = page.locator(".duty", has_text="Caisse")
    assert other.get_by_role("button", name="Je m’inscris").is_visible()
    assert Signup.objects.get().membership_id == volunteer.pk
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390

    # The home page shows it among the next duties.
    page.goto(f"/o/{organisation.slug}/home/")
    block = page.locator("section.home-duties")
    block.get_by_role("heading", name="Mes prochaines permanences").wait_for()
    assert block.get_by_text("Préparation des paniers").is_visible()
    assert "Salle des fêtes" in block.inner_text()
    assert "1 permanence cherche encore quelqu’un." in block.inner_text()
