"""The one-click unsubscribe page: a GET only asks (mail scanners open links), a POST
unsubscribes (the page's button, or the mail client's RFC 8058 POST without cookie nor CSRF
token), the signed token is the only credential."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from cabas.messaging.unsubscribe import SALT, unsubscribe_token
from cabas.orgs.models import Membership

pytestmark = pytest.mark.django_db


def _url(membership, kind="announcements"):
    token = unsubscribe_token(membership_id=membership.pk, kind=kind)
    return reverse("messaging:unsubscribe", kwargs={"token": token})


def _consent(membership):
    membership.refresh_from_db()
    return membership.accepts_announcements, membership.accepts_reminders


def test_opening_the_link_asks_and_changes_nothing(world):
    membership = world.memberships["member"]
    url = _url(membership)  # once: a token carries the second it was signed

    response = Client().get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ne plus recevoir les messages de la coordination (Collectif A) ?" in page
    assert f'<form method="post" action="{url}">' in page
    assert _consent(membership) == (True, True)


def test_the_button_unsubscribes_from_that_kind_only(world):
    membership = world.memberships["member"]

    response = Client().post(_url(membership, "reminders"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Vous ne recevrez plus les rappels (Collectif A)." in page
    assert reverse("messaging:preferences", kwargs={"slug": "collectif-a"}) in page
    assert 'name="subscribe"' in page
    assert _consent(membership) == (True, False)


def test_the_mail_clients_one_click_post_unsubscribes_without_cookie_or_csrf_token(world):
    membership = world.memberships["member"]
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        _url(membership),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert _consent(membership) == (False, True)


def test_unsubscribing_twice_is_harmless(world):
    membership = world.memberships["member"]
    client = Client(enforce_csrf_checks=True)

    first = client.post(_url(membership), {"List-Unsubscribe": "One-Click"})
    second = client.post(_url(membership), {"List-Unsubscribe": "One-Click"})

    assert (first.status_code, second.status_code) == (200, 200)
    assert _consent(membership) == (False, True)


def test_subscribing_again_from_the_confirmation(world):
    membership = world.memberships["member"]
    client = Client()
    client.post(_url(membership))

    response = client.post(_url(membership), {"subscribe": "1"})

    assert "Vous recevrez de nouveau les messages de la coordination" in response.content.decode()
    assert _consent(membership) == (True, True)


FORGED = {
    "not-a-token": lambda: "not-a-token",
    # A token signed with another key, or naming an unknown kind, or tampered with.
    "another-key": lambda: signing.dumps([1, "announcements"], key="another-secret", salt=SALT),
    "unknown-kind": lambda: signing.dumps([1, "orders"], salt=SALT),
    "tampered": lambda: "x" + unsubscribe_token(membership_id=1, kind="reminders")[1:],
}


# Named, and made in the test: a signed token carries its time, which differs between the
# processes that collect the tests (pytest-xdist needs the same names everywhere).
@pytest.mark.parametrize("forged", sorted(FORGED))
def test_a_forged_token_is_refused_and_changes_nothing(world, forged):
    token = FORGED[forged]()
    before = list(Membership.objects.values_list("accepts_announcements", "accepts_reminders"))

    for method in ("get", "post"):
        response = getattr(Client(), method)(
            reverse("messaging:unsubscribe", kwargs={"token": token})
        )
        assert response.status_code == 404
        assert "Ce lien n’est pas valable" in response.content.decode()

    after = list(Membership.objects.values_list("accepts_announcements", "accepts_reminders"))
    assert after == before


def test_the_link_of_a_membership_that_no_longer_exists_is_refused(world):
    membership = world.memberships["member"]
    url = _url(membership)
    membership.delete()

    response = Client().post(url)

    assert response.status_code == 404
    assert "Ce lien n’est pas valable" in response.content.decode()


def test_the_page_never_shows_an_address(world):
    """Whoever holds the link (a forwarded e-mail) learns no address, not even the member's."""
    membership = world.memberships["member"]
    client = Client()
    client.force_login(world.users["outsider"])

    pages = [client.get(_url(membership)), client.post(_url(membership))]

    for page in pages:
        body = page.content.decode()
        assert "@example.org" not in body
        assert membership.user.email not in body


def test_the_page_is_in_the_organisations_language(world):
    world.org_a.language = "en"
    world.org_a.save(update_fields=["language"])

    response = Client().get(_url(world.memberships["member"], "reminders"))

    assert "Stop receiving the reminders of Collectif A?" in response.content.decode()


def test_the_link_opened_again_after_unsubscribing_says_it_is_done(world):
    membership = world.memberships["member"]
    url = reverse(
        "messaging:unsubscribe",
        kwargs={"token": unsubscribe_token(membership_id=membership.pk, kind="announcements")},
    )
    Client().post(url)
    page = Client().get(url).content.decode()
    assert "C’est fait" in page
    assert "Se réinscrire" in page
    membership.refresh_from_db()
    assert membership.accepts_announcements is False
