"""Nobody learns from Cabas's answers whether an address has an account: sign-up, password
reset and log-in by code answer a known and an unknown address alike, and only the owner of a
known address receives an e-mail."""

import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from cabas.accounts.models import User
from cabas.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

KNOWN = "marie@example.org"
UNKNOWN = "personne@example.org"


def _answer(response, address: str) -> tuple:
    """What a visitor sees: the status, where it leads, and the page it leads to, with the
    address typed and the per-request form token taken out."""
    chain = [(url, status) for url, status in response.redirect_chain]
    text = response.content.decode().replace(address, "ADDRESS")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return response.status_code, chain, text


def _post(path: str, data: dict, capture) -> tuple:
    with capture(execute=True):
        response = Client().post(path, data, follow=True)
    return response


@pytest.mark.parametrize(
    ("url_name", "field"),
    [("account_reset_password", "email"), ("account_request_login_code", "email")],
)
def test_password_reset_and_login_code_answer_alike_for_known_and_unknown_addresses(
    url_name, field, django_capture_on_commit_callbacks
):
    UserFactory(email=KNOWN)
    path = reverse(url_name)

    known = _post(path, {field: KNOWN}, django_capture_on_commit_callbacks)
    known_mail = [message.to for message in mail.outbox]
    mail.outbox.clear()
    unknown = _post(path, {field: UNKNOWN}, django_capture_on_commit_callbacks)

    assert known.redirect_chain  # both leave the form for the "sent" page…
    assert _answer(known, KNOWN) == _answer(unknown, UNKNOWN)  # …and read the same
    assert known_mail == [[KNOWN]]
    assert mail.outbox == []  # nothing is sent to an address without an account


def test_sign_up_with_an_existing_address_answers_like_a_new_one_and_tells_its_owner(
    django_capture_on_commit_callbacks,
):
    """Signing up with an address that has an account says "check your mailbox", as for a new
    address; that mailbox's owner is told that someone tried, and no account is made."""
    owner = UserFactory(email=KNOWN, first_name="Marie")
    form = {
        "first_name": "Camille",
        "last_name": "Durand",
        "phone": "06 12 34 56 78",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    path = reverse("account_signup")

    new = _post(path, {**form, "email": UNKNOWN}, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[UNKNOWN]]  # the verification
    mail.outbox.clear()
    users_before = User.objects.count()
    existing = _post(path, {**form, "email": KNOWN}, django_capture_on_commit_callbacks)

    assert new.redirect_chain == [(reverse("account_email_verification_sent"), 302)]
    assert _answer(existing, KNOWN) == _answer(new, UNKNOWN)
    assert [message.to for message in mail.outbox] == [[KNOWN]]
    assert mail.outbox[0].subject == "[Cabas] Ce compte existe déjà"
    assert User.objects.count() == users_before
    owner.refresh_from_db()
    assert (owner.first_name, owner.check_password(PASSWORD)) == ("Marie", True)


class CountingHasher(MD5PasswordHasher):
    """The tests' hasher, counting the passwords it hashes."""

    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


def test_sign_up_with_an_existing_address_hashes_a_password_like_a_new_one(
    settings, django_capture_on_commit_callbacks
):
    """Hashing a password is the slow part of a sign-up (about 0.25 s with the real hasher):
    the answer for a known address must not come back that much sooner."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    UserFactory(email=KNOWN)
    form = {"password1": PASSWORD, "password2": PASSWORD, "first_name": "C", "last_name": "D"}
    path = reverse("account_signup")

    hashed = []
    for address in (UNKNOWN, KNOWN):
        CountingHasher.hashed = 0
        _post(path, {**form, "email": address}, django_capture_on_commit_callbacks)
        hashed.append(CountingHasher.hashed)

    assert hashed == [1, 1]
