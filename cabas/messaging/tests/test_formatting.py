"""What a coordinator writes reaches the members as text, never as code: the simple
formatting is rendered, raw HTML and dangerous links are not; attachments are what they say."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from cabas.messaging import errors, services
from cabas.messaging.formatting import message_html
from cabas.messaging.models import Message
from cabas.orders.tests.factories import open_shop

from .factories import sent

pytestmark = pytest.mark.django_db


def test_an_address_written_out_is_a_link():
    html = message_html("Le programme : https://exemple.org/fete?jour=1 ou www.mairie.fr")
    assert '<a href="https://exemple.org/fete?jour=1">https://exemple.org/fete?jour=1</a>' in html
    assert '<a href="http://www.mairie.fr">www.mairie.fr</a>' in html


def test_simple_formatting_is_rendered():
    html = message_html("**Gras**, *italique*\n\n- un\n- deux\n\n[Le site](https://exemple.org)")
    assert "<strong>Gras</strong>" in html and "<em>italique</em>" in html
    assert "<li>un</li>" in html
    assert '<a href="https://exemple.org">Le site</a>' in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src="https://pisteur.example/p.gif" onerror="alert(1)">',
        "[clic](javascript:alert(1))",
        '<a href="https://exemple.org" onclick="alert(1)">lien</a>',
    ],
)
def test_raw_html_and_dangerous_links_are_shown_as_text(text):
    html = message_html(text)
    # Only paragraphs and plain https links come out: the tags are text (&lt;…); an address
    # inside them may become a link, never an attribute of anything.
    assert set(re.findall(r"<(\w+)", html)) <= {"p", "a"}
    assert all(re.fullmatch(r'href="https://[^"<>]*"', attrs)
               for attrs in re.findall(r"<a ([^>]*)>", html))  # fmt: skip
    assert 'href="javascript:' not in html


def test_an_image_is_a_link_never_a_remote_picture_in_the_e_mail():
    html = message_html("![affiche](https://pisteur.example/p.gif)")
    assert "<img" not in html
    assert '<a href="https://pisteur.example/p.gif">affiche</a>' in html


def test_the_e_mail_of_a_message_with_code_in_it_carries_no_code():
    shop = open_shop()
    shop.member(email="membre@example.org")
    mail.outbox.clear()
    sent(shop.organisation, subject="<b>Objet</b>", body='<script>alert("x")</script> **ok**')
    email = mail.outbox[0]
    html = email.alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;Objet&lt;/b&gt;" in html
    assert email.subject == "<b>Objet</b>"  # a subject is plain text: shown as typed
    assert '<script>alert("x")</script> **ok**' in email.body


@pytest.mark.parametrize(
    "name, content",
    [
        ("programme.exe", b"MZ\x90\x00"),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),  # renamed web page
        ("photo.png", b"GIF89a"),
        ("grand.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)),  # over 5 MB
    ],
)
def test_an_attachment_that_is_not_what_it_says_or_too_big_is_refused(name, content):
    shop = open_shop()
    with pytest.raises(errors.AttachmentRefused):
        services.message_save(
            organisation=shop.organisation, by=None, subject="Avec pièce jointe", body="Texte",
            attachment=SimpleUploadedFile(name, content),
        )  # fmt: skip
    assert not Message.objects.exists()


def test_a_pdf_a_photo_and_an_office_document_are_accepted():
    shop = open_shop()
    for name, content in (
        ("ordre-du-jour.pdf", b"%PDF-1.7 ..."),
        ("affiche.png", b"\x89PNG\r\n\x1a\n...."),
        ("tableau.ods", b"PK\x03\x04...."),
    ):
        message = services.message_save(
            organisation=shop.organisation, by=None, subject=name, body="Texte",
            attachment=SimpleUploadedFile(name, content),
        )  # fmt: skip
        assert message.attachment_name == name
