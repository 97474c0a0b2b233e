"""Every page carries the Content-Security-Policy, and no page has what that policy would
refuse: an inline script without the response's nonce, an inline style, an event attribute."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from cabas.orgs.tests.test_permission_matrix import MATRIX

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",  # plus the response's nonce when a template used it
    "style-src": "'self'",
    "img-src": "'self' data: https://tile.openstreetmap.org",  # the map's tiles
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PUBLIC_PAGES = (
    "home",
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_request_login_code",
)


class _InlineCode(HTMLParser):
    """What the policy would refuse in a page: inline scripts without ``nonce``, ``<style>``,
    ``style=`` and ``on…=`` attributes, ``javascript:`` links."""

    def __init__(self, nonce: str | None):
        super().__init__()
        self.nonce = nonce
        self.refused: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            is_data = attributes.get("type") == "application/json"  # json_script: not run
            if not is_data and (self.nonce is None or attributes.get("nonce") != self.nonce):
                self.refused.append(f"inline <script> {attributes}")
        if tag == "style":
            self.refused.append("<style> element")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.refused.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action") and (value or "").startswith("javascript:"):
                self.refused.append(f"<{tag} {name}={value!r}>")


def _check_page(response, label: str) -> None:
    header = response.headers.get("Content-Security-Policy")
    assert header is not None, f"{label}: no Content-Security-Policy"
    nonce = re.search(r" 'nonce-([^']+)'", header)
    directives = dict(part.strip().split(" ", 1) for part in header.split(";"))
    if nonce:
        directives["script-src"] = directives["script-src"].replace(nonce.group(0), "")
    assert directives == POLICY, f"{label}: {header}"
    parser = _InlineCode(nonce.group(1) if nonce else None)
    parser.feed(response.content.decode())
    assert parser.refused == [], f"{label}: {parser.refused}"


def test_public_pages_carry_the_policy_and_no_inline_code(client):
    for name in PUBLIC_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        _check_page(response, name)


@pytest.mark.parametrize("persona", ["coordinator", "member"])
def test_every_page_of_the_matrix_carries_the_policy_and_no_inline_code(world, persona):
    """Every URL pattern (the permission matrix lists them all) that answers an HTML page to
    this persona."""
    client = Client()
    client.force_login(world.users[persona])
    pages = 0
    for name, row in sorted(MATRIX.items()):
        if row.method != "get":
            continue
        response = client.get(reverse(name, kwargs=row.kwargs(world)), row.data(world))
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        _check_page(response, name)
        _check_htmx_loaded(response, name)
        pages += 1
    assert pages >= 10  # the loop really looked at pages


def _check_htmx_loaded(response, label: str) -> None:
    """A page whose elements ask htmx for something (polling a worker's progress, a form that
    updates in place) loads htmx: otherwise nothing happens and nobody sees why."""
    html = response.content.decode()
    if re.search(r"\shx-(get|post|trigger)=", html):
        assert "/htmx-2.min.js" in html, f"{label}: hx- attributes without htmx"


def test_an_inline_script_without_the_nonce_is_caught():
    """The check above would see the holes it looks for."""
    parser = _InlineCode("abc")
    parser.feed(
        '<script>alert(1)</script><script nonce="abc">ok()</script><script src="/x.js"></script>'
        '<button onclick="go()">b</button><p style="color:red"></p><a href="javascript:x()">a</a>'
        '<script type="application/json">{}</script>'
    )
    assert parser.refused == [
        "inline <script> {}",
        "<button onclick='go()'>",
        "<p style='color:red'>",
        "<a href='javascript:x()'>",
    ]
