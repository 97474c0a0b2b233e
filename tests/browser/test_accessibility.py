"""Automated accessibility check (axe-core, from npm) of the pages everyone meets first.

axe finds what a machine can find (labels, contrast, landmarks, lang, names of buttons); it
does not replace trying the pages with a keyboard and a screen reader.
"""

import json
from pathlib import Path

import pytest

from cabas.accounts.tests.factories import UserFactory
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make assets` (npm ci)")
    # Run by the browser's debugging protocol, which the page's Content-Security-Policy does
    # not govern (an added <script> would be refused, as it should be).
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_public_pages_have_no_serious_accessibility_violation(page):
    organisation = OrganisationFactory(slug="paniers", description="Des légumes et du fromage.")
    pages = ["/", "/accounts/login/", "/accounts/signup/", f"/o/{organisation.slug}/"]
    found = {}
    for url in pages:
        page.goto(url)
        if violations := _violations(page):
            found[url] = violations
    assert found == {}, json.dumps(found, indent=1)


def test_member_and_coordinator_pages_have_no_serious_accessibility_violation(page):
    membership = MembershipFactory(is_coordinator=True, user=UserFactory(email="c@example.org"))
    slug = membership.organisation.slug
    log_in(page, "c@example.org", password="Courgette-Tarn-2026")
    page.wait_for_url(f"**/o/{slug}/home/")
    found = {}
    for url in [
        f"/o/{slug}/home/",
        f"/o/{slug}/manage/members/",
        f"/o/{slug}/manage/invitations/",
        f"/o/{slug}/manage/settings/",
        "/accounts/profile/",
    ]:
        page.goto(url)
        if violations := _violations(page):
            found[url] = violations
    assert found == {}, json.dumps(found, indent=1)
