"""A coordinator's duty pages on a phone (390 px, French): they fit, their buttons are big
enough, axe finds nothing serious; and a gap is filled by tapping "Affecter"."""

import json

import pytest

from cabas.sales.tests.factories import PickupFactory
from cabas.work import services
from cabas.work.models import Signup
from cabas.work.tests.factories import DutyTemplateFactory

from .test_accessibility import _violations
from .test_phone_pages import _SMALL_TARGETS, _WIDE, PHONE_WIDTH, _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_duty_pages_fit_a_phone_and_a_gap_is_filled(page, world):
    DutyTemplateFactory(organisation=world.org_a, places=2)
    pickup = PickupFactory(sale__organisation=world.org_a)
    services.duties_generate_for_pickups(pickup_ids=[pickup.pk])
    base = f"/o/{world.org_a.slug}/work"
    _log_in(page, world.users["coordinator"].email)

    found = {}
    for url in (
        f"{base}/gaps/",
        f"{base}/pickups/{pickup.pk}/duties/",
        f"{base}/duties/needed/",
        f"{base}/duties/needed/new/",
        f"{base}/tasks/",
        f"{base}/settings/",
    ):
        page.goto(url)
        problems = {}
        if page.evaluate("document.documentElement.scrollWidth") > PHONE_WIDTH:
            problems["width"] = page.evaluate(_WIDE)
        if small := page.evaluate(_SMALL_TARGETS):
            problems["small targets"] = small
        if violations := _violations(page):
            problems["axe"] = violations
        if problems:
            found[url] = problems
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)

    page.goto(f"{base}/gaps/")
    assert page.get_by_text("Manque : 2 personnes").is_visible()
    page.get_by_label("Membre", exact=True).select_option(label=str(world.users["volunteer"]))
    page.get_by_role("button", name="Affecter").click()
    # The page comes back after the POST: wait for it rather than for a load state that
    # the page before the click already had.
    page.get_by_text("Manque : 1 personne").wait_for()
    assert Signup.objects.get().membership == world.memberships["volunteer"]
