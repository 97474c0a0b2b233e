"""Links in e-mails lead to the site's public address (SITE_URL), never to the host and port
the request happened to come through (a development server's :8000, a proxy's inside name)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from cabas.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://cabas.example.org"


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def test_the_sign_up_confirmation_links_to_the_site_url(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    signup = {
        "email": "camille@example.org", "first_name": "Camille", "last_name": "Durand",
        "phone": "", "password1": PASSWORD, "password2": PASSWORD,
    }  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), signup, HTTP_HOST="127.0.0.1:8000")

    links = _links(mail.outbox[0])
    assert links and all(link.startswith(SITE + "/") for link in links), links
    assert any("/accounts/confirm-email/" in link for link in links)


def test_the_password_reset_links_to_the_site_url(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    UserFactory(email="marie@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_reset_password"),
            {"email": "marie@example.org"},
            HTTP_HOST="127.0.0.1:8000",
        )

    links = _links(mail.outbox[0])
    assert any(link.startswith(SITE + "/accounts/password/reset/key/") for link in links), links
    assert ":8000" not in mail.outbox[0].body


def test_an_invitation_links_to_the_site_url(
    client, settings, world, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    client.force_login(world.users["coordinator"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("orgs:invitations", kwargs={"slug": world.org_a.slug}),
            {"email": "nouvelle@example.org"},
            HTTP_HOST="127.0.0.1:8000",
        )

    links = _links(mail.outbox[0])
    assert links and all(link.startswith(SITE + "/") for link in links), links
