"""On a phone, in French: a member offers their shift, another takes it on "Mes services",
both see the result (and both get an e-mail); the coordinator's attendance then gives the
point to the member who worked."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cabas.accounts.tests.factories import PASSWORD, UserFactory
from cabas.notifications.models import OutboxMessage
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.work import services
from cabas.work.models import ShiftMember, Signup
from cabas.work.tests.factories import ShiftPeriodFactory, TaskTypeFactory
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _member(organisation, first_name):
    user = UserFactory(first_name=first_name, last_name="Martin")
    membership = MembershipFactory(organisation=organisation, user=user)
    services.shift_member_set(membership=membership, regime="flying", starts_on=date(2024, 1, 1))
    return user, membership


def test_a_member_offers_a_shift_and_another_takes_it(browser, live_server, page):
    organisation = OrganisationFactory(kind="cooperative", slug="epicerie", language="fr")
    lea, lea_membership = _member(organisation, "Léa")
    malik, _ = _member(organisation, "Malik")
    starts_at = timezone.now() + timedelta(days=5)
    period = ShiftPeriodFactory(
        organisation=organisation,
        task_type=TaskTypeFactory(organisation=organisation, name="Réception des livraisons"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
    )
    services.signup_create(period=period, membership=lea_membership)
    my_shifts = f"/o/{organisation.slug}/my-shifts/"

    # Léa offers her shift
    log_in(page, lea.email)
    page.goto(my_shifts)
    page.get_by_role("heading", name="Mes prochains services").wait_for()
    page.get_by_role("button", name="Proposer un échange").click()
    page.get_by_text("proposé en échange").wait_for()

    # Malik takes it on his own phone
    other = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 390, "height": 844}
    )
    malik_page = other.new_page()
    log_in(malik_page, malik.email)
    malik_page.goto(my_shifts)
    offered = malik_page.locator("li.card", has_text="proposé par Léa")
    offered.get_by_text("Réception des livraisons").wait_for()
    button = offered.get_by_role("button", name="Je le prends")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44
    button.click()
    malik_page.get_by_text("Le service est à vous").wait_for()
    mine = malik_page.locator(
        "section", has=malik_page.get_by_role("heading", name="Mes prochains services")
    )
    mine.get_by_text("Réception des livraisons").wait_for()
    other.close()

    # Léa's page no longer lists it as hers
    page.goto(my_shifts)
    page.get_by_text("Aucun service à venir pour vous.").wait_for()
    assert Signup.objects.holding().get().membership.user == malik
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == sorted(
        [lea.email, malik.email]
    )

    # A coordinator records who came: the point goes to Malik, who worked
    coordinator = UserFactory(first_name="Anne")
    MembershipFactory(organisation=organisation, user=coordinator, is_coordinator=True)
    page.context.clear_cookies()
    log_in(page, coordinator.email)
    page.goto(f"/o/{organisation.slug}/shifts/{period.pk}/")
    card = page.locator("li.card", has_text="Malik Martin")
    present = card.locator("label", has_text="présent").first
    box = present.bounding_box()
    assert box is not None and box["height"] >= 44
    present.click()
    card.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("La présence est enregistrée.").wait_for()
    counters = dict(ShiftMember.objects.values_list("membership__user__first_name", "counter"))
    assert counters == {"Léa": 0, "Malik": 1}


def test_a_tap_after_the_session_ended_comes_back_to_the_page_after_logging_in(page):
    """The session ended (weeks without coming): « Je prends ce service » asks to log in,
    then brings the member back to « Mes services » to tap again, not to an empty page."""
    organisation = OrganisationFactory(kind="cooperative", slug="epicerie", language="fr")
    lea, _ = _member(organisation, "Léa")
    starts_at = timezone.now() + timedelta(days=5)
    ShiftPeriodFactory(
        organisation=organisation,
        task_type=TaskTypeFactory(organisation=organisation, name="Mise en rayon"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
    )
    my_shifts = f"/o/{organisation.slug}/my-shifts/"
    log_in(page, lea.email, my_shifts)
    kept = [c for c in page.context.cookies() if c["name"] != "sessionid"]
    page.context.clear_cookies()
    page.context.add_cookies(kept)

    page.get_by_role("button", name="Je prends ce service").click()
    page.wait_for_url(lambda url: "/accounts/login/" in url)
    page.fill("input[name=login]", lea.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form [type=submit]").first.click()

    page.wait_for_url(lambda url: url.endswith(my_shifts))
    page.get_by_role("button", name="Je prends ce service").wait_for()
    assert not Signup.objects.exists()  # nothing taken behind the person's back
