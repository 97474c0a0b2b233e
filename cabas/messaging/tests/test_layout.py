"""The members' e-mail layout (``messaging.layout.member_email``): a plain-text and an HTML
part, the organisation's name (escaped) and logo (inline, never fetched from a server), the
one-click unsubscribe headers on bulk e-mails only, and no tracking."""

import io
import json
import re

import pytest
import requests
from anymail.exceptions import AnymailUnsupportedFeature
from django.core.files.base import ContentFile
from django.utils.html import format_html
from PIL import Image

from cabas.messaging.layout import member_email
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

REMOTE_IMAGE = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']?\s*(https?:)?//", re.I)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 110, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Ferme du Ségala", slug="segala")


@pytest.fixture
def with_logo(organisation):
    organisation.logo.save("logo.png", ContentFile(_png()), save=True)
    return organisation


def _email(organisation, kind="announcements", **kwargs):
    membership = MembershipFactory(organisation=organisation)
    defaults = {
        "organisation": organisation,
        "to": membership.user.email,
        "subject": "La vente est ouverte",
        "text": "Bonjour, la vente est ouverte.",
        "html": format_html("<p>{}</p>", "Bonjour, la vente est ouverte."),
        "membership_id": membership.pk,
        "unsubscribe_kind": kind,
    }
    return member_email(**{**defaults, **kwargs})


def _html(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_both_parts_carry_the_content_and_the_organisations_name(organisation):
    message = _email(organisation)

    assert "Bonjour, la vente est ouverte." in message.body
    assert message.body.startswith("Ferme du Ségala\n")
    html = _html(message)
    assert "<p>Bonjour, la vente est ouverte.</p>" in html
    assert "Ferme du Ségala" in html
    assert '<html lang="fr">' in html


def test_the_logo_is_attached_inline_and_nothing_is_fetched_from_a_server(with_logo):
    message = _email(with_logo)

    html = _html(message)
    assert 'src="cid:logo"' in html
    assert not REMOTE_IMAGE.search(html)
    [logo] = message.attachments
    assert logo["Content-ID"] == "<logo>"
    assert logo.get_content_type() == "image/png"
    assert logo.get_payload(decode=True) == with_logo.logo.open("rb").read()
    assert message.message().get_content_type() == "multipart/related"


def test_without_a_logo_there_is_no_image_at_all(organisation):
    message = _email(organisation)

    assert "<img" not in _html(message)
    assert message.attachments == []


def test_a_provider_without_inline_images_gets_no_logo_and_no_broken_image(with_logo, settings):
    settings.EMAIL_INLINE_IMAGES = False

    message = _email(with_logo)

    assert "<img" not in _html(message)
    assert message.attachments == []


def test_bulk_emails_carry_the_one_click_unsubscribe_headers(organisation):
    message = _email(organisation, kind="reminders")

    unsubscribe = re.fullmatch(
        r"<(http://127\.0\.0\.1:8000/unsubscribe/\S+/)>", message.extra_headers["List-Unsubscribe"]
    )
    assert unsubscribe is not None
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.group(1) in message.body
    assert unsubscribe.group(1) in _html(message)
    assert "Ne plus recevoir les rappels" in message.body


def test_a_transactional_email_has_no_unsubscribe_header_nor_link(organisation):
    message = _email(organisation, kind="")

    headers = message.message()
    assert headers["List-Unsubscribe"] is None
    assert headers["List-Unsubscribe-Post"] is None
    assert "/unsubscribe/" not in message.body
    assert "/unsubscribe/" not in _html(message)


def test_the_organisations_name_is_escaped_in_html():
    organisation = OrganisationFactory(name="<b>Fermes</b> & Co")

    html = _html(_email(organisation, html="<i>texte brut</i>"))

    assert "&lt;b&gt;Fermes&lt;/b&gt; &amp; Co" in html
    assert "<b>Fermes</b>" not in html
    assert "&lt;i&gt;texte brut&lt;/i&gt;" in html  # a plain str is escaped too


def test_the_provider_is_told_not_to_track_opens_nor_clicks(organisation):
    message = _email(organisation)

    assert message.track_opens is False
    assert message.track_clicks is False


def _brevo_answer(session, method, url, **kwargs) -> requests.Response:
    """What Brevo's API answers to a message it accepted (no request leaves the machine)."""
    answer = requests.Response()
    answer.status_code = 201
    answer.headers["Content-Type"] = "application/json"
    answer._content = b'{"messageId": "<202612021000.1@smtp-relay.mailin.fr>"}'
    answer.url = url
    return answer


def test_a_provider_without_those_switches_sends_the_email_as_it_can(
    with_logo, settings, monkeypatch
):
    """Brevo's API has neither inline images nor per-message tracking switches: anymail would
    refuse the e-mail, so the layout leaves both out (settings say so for that provider)."""
    settings.EMAIL_BACKEND = "anymail.backends.brevo.EmailBackend"
    settings.ANYMAIL = {"BREVO_API_KEY": "test-key"}
    posted = []
    monkeypatch.setattr(
        requests.Session,
        "request",
        lambda session, method, url, **kwargs: (
            posted.append(kwargs) or _brevo_answer(session, method, url, **kwargs)
        ),
    )
    with pytest.raises(AnymailUnsupportedFeature):
        _email(with_logo).send()

    settings.EMAIL_INLINE_IMAGES = False
    settings.EMAIL_TRACKING_SWITCH = False
    assert _email(with_logo).send() == 1

    payload = json.loads(posted[-1]["data"])
    assert "List-Unsubscribe" in payload["headers"]
    assert "attachment" not in payload
