"""A member's calendar page on a phone: the address fits the screen and can be selected, the
buttons are big enough to tap, and "Changer l'adresse" gives a new one."""

import pytest

from cabas.work.models import CalendarFeed

from .test_accessibility import _violations
from .test_phone_pages import _SMALL_TARGETS, PHONE_WIDTH, _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_calendar_page_fits_a_phone_and_changes_the_address(page, world):
    _log_in(page, world.users["member"].email)
    page.goto(f"/o/{world.org_a.slug}/calendar/")

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert page.evaluate(_SMALL_TARGETS) == []
    assert _violations(page) == []
    old = CalendarFeed.objects.get(membership=world.memberships["member"]).token
    address = page.get_by_label("Copiez cette adresse")
    assert address.input_value().endswith(f"/calendar/{old}.ics")

    page.get_by_role("button", name="Changer l'adresse").click()
    # The page after the POST (a load state right after the click may be the old page's).
    page.get_by_text("Votre adresse d'agenda a changé").wait_for()

    new = CalendarFeed.objects.get(membership=world.memberships["member"]).token
    assert new != old
    assert page.get_by_label("Copiez cette adresse").input_value().endswith(f"/calendar/{new}.ics")
