"""The e-mail provider's webhooks (django-anymail's views under /anymail/): a hard bounce, a
spam complaint or a rejection marks the address undeliverable; a soft bounce, a delivery or
an opening does not; without the basic-auth secret nothing changes.

The payloads follow the providers' documented formats: Brevo's transactional webhook posts
one JSON event; Mailjet's event API posts an array of events (grouped) or one."""

import base64
import json

import pytest
from django.test import Client

from cabas.notifications.models import UndeliverableAddress

pytestmark = pytest.mark.django_db

SECRET = "cabas-hook:s3cret-0123456789"
BREVO = "/anymail/brevo/tracking/"
MAILJET = "/anymail/mailjet/tracking/"


@pytest.fixture(autouse=True)
def _webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


def _post(url, payload, secret=SECRET):
    auth = {}
    if secret:
        token = base64.b64encode(secret.encode()).decode()
        auth["HTTP_AUTHORIZATION"] = f"Basic {token}"
    # A provider has no cookie nor CSRF token.
    return Client(enforce_csrf_checks=True).post(
        url, json.dumps(payload), content_type="application/json", **auth
    )


def _brevo(event, email="camille@example.org", **extra):
    return {
        "event": event,
        "email": email,
        "id": 521344,
        "date": "2026-12-02 10:00:00",
        "ts": 1796202000,
        "message-id": "<202612021000.77@smtp-relay.mailin.fr>",
        "ts_event": 1796202000,
        "subject": "La vente est ouverte",
        "tag": "",
        "sending_ip": "185.41.28.109",
        "ts_epoch": 1796202000123,
        **extra,
    }


def _mailjet(event, email="camille@example.org", **extra):
    return {
        "event": event,
        "time": 1796202000,
        "MessageID": 19421777835146490,
        "Message_GUID": "1ab23cd4-e567-8901-2345-6789f0gh1i2j",
        "email": email,
        "mj_campaign_id": 0,
        "mj_contact_id": 987654321,
        "customcampaign": "",
        "CustomID": "",
        "Payload": "",
        **extra,
    }


def _listed():
    return list(UndeliverableAddress.objects.values_list("email", "reason", "provider"))


def test_a_brevo_hard_bounce_marks_the_address(settings):
    response = _post(
        BREVO,
        _brevo("hard_bounce", email="Camille@Example.org", reason="550 5.1.1 user unknown"),
    )

    assert response.status_code == 200
    assert _listed() == [("camille@example.org", "bounced", "Brevo")]
    assert UndeliverableAddress.objects.get().detail == "550 5.1.1 user unknown"


@pytest.mark.parametrize(
    ("event", "reason"),
    [("spam", "complained"), ("complaint", "complained"), ("blocked", "rejected")],
)
def test_a_brevo_complaint_or_block_marks_the_address(event, reason):
    assert _post(BREVO, _brevo(event)).status_code == 200

    assert _listed() == [("camille@example.org", reason, "Brevo")]


@pytest.mark.parametrize(
    "event", ["soft_bounce", "delivered", "request", "deferred", "unique_opened", "click"]
)
def test_other_brevo_events_change_nothing(event):
    assert _post(BREVO, _brevo(event)).status_code == 200

    assert _listed() == []


def test_mailjet_grouped_events_mark_hard_bounces_and_complaints_only():
    events = [
        _mailjet(
            "bounce",
            email="hard@example.org",
            blocked=False,
            hard_bounce=True,
            error_related_to="recipient",
            error="user unknown",
            comment="Host or domain name not found",
        ),
        _mailjet(
            "bounce",
            email="soft@example.org",
            blocked=False,
            hard_bounce=False,
            error_related_to="recipient",
            error="quota exceeded",
            comment="Mailbox full",
        ),
        _mailjet("spam", email="spam@example.org", source="JMRPP"),
        _mailjet(
            "blocked",
            email="blocked@example.org",
            error_related_to="recipient",
            error="blacklisted",
        ),
        _mailjet("sent", email="fine@example.org", smtp_reply="250 OK"),
        _mailjet("open", email="reader@example.org", ip="192.0.2.1", geo="FR", agent="x"),
    ]

    assert _post(MAILJET, events).status_code == 200

    assert _listed() == [
        ("blocked@example.org", "rejected", "Mailjet"),
        ("hard@example.org", "bounced", "Mailjet"),
        ("spam@example.org", "complained", "Mailjet"),
    ]


def test_a_single_mailjet_event_is_read_too():
    payload = _mailjet("bounce", hard_bounce=True, error="mailbox inactive", blocked=False)

    assert _post(MAILJET, payload).status_code == 200

    assert _listed() == [("camille@example.org", "bounced", "Mailjet")]


@pytest.mark.parametrize("secret", ["", "cabas-hook:wrong", "someone:" + SECRET])
def test_a_wrong_or_missing_secret_changes_nothing(secret):
    brevo = _post(BREVO, _brevo("hard_bounce"), secret=secret)
    mailjet = _post(MAILJET, [_mailjet("spam")], secret=secret)

    assert (brevo.status_code, mailjet.status_code) == (400, 400)
    assert _listed() == []


def test_an_unsecured_webhook_is_ignored(settings):
    """Without ANYMAIL_WEBHOOK_SECRET anybody could post a fake bounce and silence a member."""
    settings.ANYMAIL = {}

    with pytest.warns(Warning, match="insecure"):
        response = _post(BREVO, _brevo("hard_bounce"), secret="")

    assert response.status_code == 200
    assert _listed() == []


def test_a_second_report_keeps_one_row_with_the_latest_reason():
    _post(BREVO, _brevo("hard_bounce"))
    _post(BREVO, _brevo("spam"))

    assert _listed() == [("camille@example.org", "complained", "Brevo")]
