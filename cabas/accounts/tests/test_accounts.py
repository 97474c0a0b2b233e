"""Sign-up with verification, log in by password or by an e-mailed code, password reset,
profile — read from the test outbox, as a member would from their mailbox."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from cabas.accounts.models import User
from cabas.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "camille@example.org",
    "first_name": "Camille",
    "last_name": "Durand",
    "phone": "06 12 34 56 78",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def _link(message, path_part: str) -> str:
    return re.search(rf"https?://[^/\s]+(/accounts/{path_part}/\S+)", message.body).group(1)


def test_sign_up_sends_a_verification_email_and_the_link_verifies(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)

    assert response.status_code == 302
    user = User.objects.get(email="camille@example.org")
    assert (user.first_name, user.last_name, user.phone) == ("Camille", "Durand", "06 12 34 56 78")
    assert user.language == "fr"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[Cabas]")
    confirm_url = _link(mail.outbox[0], "confirm-email")

    response = client.post(confirm_url)

    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("profile")).status_code == 200  # logged in after confirming


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"email": "pas-une-adresse"}, "email", "adresse de courriel valide"),
        ({"password1": "123456", "password2": "123456"}, "password1", "trop court"),
        ({"password2": "autre-chose-2026"}, "password2", "même mot de passe"),
    ],
)
def test_bad_sign_up_says_why_and_creates_nothing(client, change, field, words):
    UserFactory(email="deja@example.org")
    users_before = User.objects.count()

    response = client.post(reverse("account_signup"), {**SIGNUP, **change})

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert words in errors
    assert User.objects.count() == users_before
    assert mail.outbox == []


def test_log_in_with_a_password(client):
    UserFactory(email="marie@example.org")

    response = client.post(
        reverse("account_login"), {"login": "marie@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200


def test_the_log_in_page_speaks_the_sites_french_and_shows_its_main_button(client):
    """allauth's page in the site's words and style: one green « Se connecter » button, the
    e-mailed code as a plain button beside, the link to create an account."""
    page = client.get(reverse("account_login"), headers={"accept-language": "fr"})

    html = page.content.decode()
    assert "Pas encore de compte\u00a0?" in html and "Créez votre compte" in html
    assert re.search(r'<button class="button primary"\s+type="submit"\s*>\s*Se connecter', html)
    code = re.search(r'<a href="[^"]+" class="button"\s*>\s*Recevoir un code par e-mail', html)
    assert code is not None
    assert "Adresse e-mail" in html and "Courriel" not in html
    assert "n'avez" not in html and "merci de vous" not in html


def test_a_wrong_password_is_refused(client):
    UserFactory(email="marie@example.org")

    response = client.post(
        reverse("account_login"), {"login": "marie@example.org", "password": "mauvais"}
    )

    assert response.status_code == 200
    assert "incorrect" in response.content.decode()


def test_log_in_with_a_one_time_code_sent_by_email(client, django_capture_on_commit_callbacks):
    UserFactory(email="marie@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_request_login_code"), {"email": "marie@example.org"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Cabas" in body
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.M).group(1)

    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200


def test_a_wrong_login_code_does_not_log_in(client, django_capture_on_commit_callbacks):
    UserFactory(email="marie@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": "marie@example.org"})

    response = client.post(reverse("account_confirm_login_code"), {"code": "ZZZZZZ"})

    assert response.status_code == 200
    assert client.get(reverse("profile")).status_code == 302  # still anonymous


def test_password_reset_by_email(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="marie@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "marie@example.org"})
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0], "password/reset/key")
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link

    response = client.post(
        set_url, {"password1": "Nouveau-mot-2026!", "password2": "Nouveau-mot-2026!"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nouveau-mot-2026!")


def test_profile_edit_saves_names_phone_second_person_and_language(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("profile"),
        {
            "first_name": "Jeanne",
            "last_name": "Roux",
            "phone": "05 63 00 00 00",
            "second_person": "Paul Roux (mon voisin)",
            "language": "en",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.second_person, user.language) == (
        "Jeanne",
        "Paul Roux (mon voisin)",
        "en",
    )
    assert '<html lang="en">' in client.get(reverse("profile")).content.decode()


def test_profile_rejects_an_unknown_language_and_changes_nothing(client):
    user = UserFactory(first_name="Jeanne")
    client.force_login(user)

    response = client.post(
        reverse("profile"), {"first_name": "X", "last_name": "Y", "language": "de"}
    )

    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    user.refresh_from_db()
    assert user.first_name == "Jeanne"
