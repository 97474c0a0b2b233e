"""A newcomer signs up, verifies the e-mail, joins an open organisation and lands home."""

import re

import pytest
from django.core import mail

from cabas.accounts.models import User
from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_verify_join_and_see_member_home(page, live_server):
    organisation = OrganisationFactory(
        name="Les Paniers du Cordais", slug="paniers-cordais", join_policy="open"
    )

    # Sign up.
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "camille@example.org")
    page.fill("input[name=first_name]", "Camille")
    page.fill("input[name=last_name]", "Durand")
    page.fill("input[name=password1]", "Fromage-de-chevre-81")
    page.fill("input[name=password2]", "Fromage-de-chevre-81")
    page.locator("form:has(input[name=password2]) [type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))

    # The verification e-mail was sent (through the task queue) in French.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille@example.org"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)

    # Verify: open the link, confirm.
    page.goto(link.replace("https://", "http://"))
    page.locator("main form [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/$"))
    assert User.objects.get(email="camille@example.org").emailaddress_set.get().verified

    # Join the open organisation from its public page.
    page.goto(f"/o/{organisation.slug}/")
    page.locator("form[action$='/join/'] [type=submit]").click()
    page.wait_for_url(re.compile(rf"/o/{organisation.slug}/home/$"))
    assert page.locator("h1").inner_text().startswith("Bonjour Camille")
    membership = Membership.objects.get(
        organisation=organisation, user__email="camille@example.org"
    )
    assert membership.status == Membership.Status.ACTIVE
