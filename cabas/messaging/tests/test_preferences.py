"""A member's e-mail preferences: one choice per kind, saved through
membership_email_consent_set; the orders' e-mails cannot be turned off."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("messaging:preferences", kwargs={"slug": "collectif-a"})


def _consent(membership):
    membership.refresh_from_db()
    return membership.accepts_announcements, membership.accepts_reminders


def test_the_page_shows_the_choices_and_says_orders_emails_always_go(client, world):
    membership = world.memberships["member"]
    membership.accepts_reminders = False
    membership.save(update_fields=["accepts_reminders"])
    client.force_login(world.users["member"])

    page = client.get(URL).content.decode()

    assert 'id="id_announcements" checked>' in page
    assert 'id="id_reminders">' in page
    assert "ne peuvent pas être désactivés : ils sont toujours envoyés" in page


def test_saving_turns_each_kind_on_or_off(client, world):
    client.force_login(world.users["member"])

    response = client.post(URL, {"reminders": "on"}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Vos préférences d’e-mails sont enregistrées." in response.content.decode()
    assert _consent(world.memberships["member"]) == (False, True)

    client.post(URL, {"announcements": "on", "reminders": "on"})
    assert _consent(world.memberships["member"]) == (True, True)


def test_only_the_persons_own_membership_changes(client, world):
    client.force_login(world.users["member"])

    client.post(URL, {})

    assert _consent(world.memberships["member"]) == (False, False)
    assert _consent(world.memberships["volunteer"]) == (True, True)
    assert _consent(world.memberships["outsider"]) == (True, True)


def test_an_outsider_cannot_reach_another_organisations_page(client, world):
    client.force_login(world.users["outsider"])

    response = client.post(URL, {})

    assert response.status_code == 404
    assert _consent(world.memberships["member"]) == (True, True)


def test_a_strange_post_changes_nothing_and_answers_cleanly(client, world):
    """A boolean form cannot be invalid: unknown fields are ignored, a GET never writes."""
    client.force_login(world.users["member"])

    client.get(URL, {"announcements": ""})
    response = client.post(URL, {"announcements": "on", "reminders": "on", "extra": "x" * 5000})

    assert response.status_code == 302
    assert _consent(world.memberships["member"]) == (True, True)


def test_the_member_menu_leads_to_the_page(client, world):
    """Mon espace → Messages (the archive), which links to the preferences."""
    client.force_login(world.users["member"])

    page = client.get(reverse("site:member_home", kwargs={"slug": "collectif-a"}))
    archive = reverse("messaging:archive", kwargs={"slug": "collectif-a"})
    assert f'href="{archive}"' in page.content.decode()
    assert f'href="{URL}"' in client.get(archive).content.decode()
