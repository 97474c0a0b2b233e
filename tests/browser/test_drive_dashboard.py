"""The dashboard's "Drive" section on a phone (390 px, French): its charts are drawn from the
page's data, its tables hold the same numbers, the page fits the screen."""

import pytest

from cabas.accounts.tests.factories import UserFactory
from cabas.insights.tests.test_drive import coop  # noqa: F401 (the fixture)
from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import MembershipFactory

from .test_inventory import _check_phone
from .test_phone_pages import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_drive_charts_are_drawn_with_their_tables(page, coop):  # noqa: F811
    coordinator = UserFactory()
    MembershipFactory(
        organisation=coop.organisation, user=coordinator, status=Membership.Status.ACTIVE,
        is_coordinator=True,
    )  # fmt: skip
    _log_in(page, coordinator.email)
    page.goto(f"/o/{coop.organisation.slug}/dashboard/?start=2026-11-02&end=2026-11-15")
    page.get_by_role("heading", name="Commandes par jour d’ouverture").wait_for()
    # Drawn once the deferred scripts have run (before "load"); no polling: the page's CSP
    # forbids the evaluation it needs.
    page.wait_for_load_state("load")
    assert page.evaluate("Chart.getChart('drive-days-chart').data.datasets[0].data") == [2, 2]
    assert page.evaluate("Chart.getChart('drive-stock-chart').data.datasets[0].data") == [
        15.87,
        14.5,
    ]
    section = page.locator("#drive ~ section").first.inner_text().replace("\u00a0", " ")
    assert "jeu 5 novembre 2026" in section  # the month in full: never « nov. », « jui »
    assert "19,20 €" in section
    found: dict = {}
    _check_phone(page, found)
    assert found == {}
