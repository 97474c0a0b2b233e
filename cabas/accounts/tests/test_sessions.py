"""A member stays logged in on their phone for weeks: the session lasts SESSION_COOKIE_AGE
(8 weeks) from the last day they came, whatever the way they logged in."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cabas.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
WEEKS = 8


def test_the_session_lasts_the_configured_weeks():
    assert settings.SESSION_COOKIE_AGE == WEEKS * 7 * 24 * 3600


def test_a_password_login_is_kept_for_weeks_without_a_remember_me_box(client):
    UserFactory(email="marie@example.org")

    page = client.get(reverse("account_login")).content.decode()
    response = client.post(
        reverse("account_login"), {"login": "marie@example.org", "password": PASSWORD}
    )

    assert 'name="remember"' not in page
    assert response.cookies["sessionid"]["max-age"] == WEEKS * 7 * 24 * 3600
    session = Session.objects.get()
    assert session.expire_date > timezone.now() + timedelta(weeks=WEEKS, hours=-1)


def test_a_login_by_code_is_kept_for_weeks(client, django_capture_on_commit_callbacks):
    UserFactory(email="marie@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": "marie@example.org"})
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[0].body, re.M).group(1)

    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.cookies["sessionid"]["max-age"] == WEEKS * 7 * 24 * 3600


def test_coming_back_a_day_later_starts_the_weeks_again_a_page_the_same_day_writes_nothing(
    client, clock
):
    UserFactory(email="marie@example.org")
    client.post(reverse("account_login"), {"login": "marie@example.org", "password": PASSWORD})
    client.get(reverse("profile"))  # the day's first page
    first = Session.objects.get().expire_date

    same_day = client.get(reverse("profile"))
    assert "sessionid" not in same_day.cookies
    assert Session.objects.get().expire_date == first

    clock.shift(timedelta(days=6))
    response = client.get(reverse("profile"))

    assert response.cookies["sessionid"]["max-age"] == WEEKS * 7 * 24 * 3600
    assert Session.objects.get().expire_date >= first + timedelta(days=6)


def test_the_first_page_after_a_login_writes_nothing(client):
    """The login writes the session: the day's refresh goes with that write, not the next
    page's (a session write is three statements, on the page that starts every order)."""
    UserFactory(email="marie@example.org")
    client.post(reverse("account_login"), {"login": "marie@example.org", "password": PASSWORD})
    written = Session.objects.get().expire_date

    first = client.get(reverse("profile"))

    assert first.status_code == 200 and "sessionid" not in first.cookies
    assert Session.objects.get().expire_date == written
