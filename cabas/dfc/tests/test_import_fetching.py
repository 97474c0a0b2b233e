"""Fetching a catalog: a local server (the allow-private setting on), redirects, size and
status; and by default, no private, local or non-http address is ever read."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cabas.dfc import fetching

from .importing import vector


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}
    seen: list = []

    def do_GET(self):  # noqa: N802 - the http.server's name
        self.seen.append((self.path, self.headers.get("Accept"), self.headers.get("Authorization")))
        status, headers, body = self.routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    settings.CABAS_DFC_FETCH_ALLOW_PRIVATE = True
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.routes, _Handler.seen = {}, []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_catalog_is_fetched_with_the_json_ld_accept_header_and_no_credentials(server):
    _httpd, base = server
    _Handler.routes["/catalog"] = (200, {"Content-Type": "application/ld+json"},
                                   vector("ofn_catalog_items.json"))  # fmt: skip

    assert fetching.fetch_catalog(f"{base}/catalog") == vector("ofn_catalog_items.json")
    assert _Handler.seen == [("/catalog", "application/ld+json, application/json", None)]


def test_redirects_are_followed_up_to_three(server):
    _httpd, base = server
    for hop in range(3):
        _Handler.routes[f"/r{hop}"] = (302, {"Location": f"/r{hop + 1}"}, b"")
    _Handler.routes["/r3"] = (200, {}, b"{}")
    _Handler.routes["/r4"] = (302, {"Location": "/r0"}, b"")

    assert fetching.fetch_catalog(f"{base}/r0") == b"{}"
    with pytest.raises(fetching.FetchRefused, match="Too many redirections|Trop de redirections"):
        fetching.fetch_catalog(f"{base}/r4")


def test_a_redirect_to_a_private_address_is_refused(server, settings):
    _httpd, base = server
    _Handler.routes["/away"] = (302, {"Location": "http://169.254.169.254/latest/meta-data"}, b"")
    settings.CABAS_DFC_FETCH_ALLOW_PRIVATE = False
    original = fetching.check_url
    # The first address (the test's own server) is let through; the redirect's is checked.
    checked = []

    def first_allowed(url):
        checked.append(url)
        if len(checked) > 1:
            original(url)

    fetching.check_url = first_allowed
    try:
        with pytest.raises(fetching.FetchRefused):
            fetching.fetch_catalog(f"{base}/away")
    finally:
        fetching.check_url = original
    assert checked == [f"{base}/away", "http://169.254.169.254/latest/meta-data"]


def test_an_error_status_and_a_body_too_large_are_refused(server, settings):
    _httpd, base = server
    _Handler.routes["/big"] = (200, {}, b"x" * 2048)
    settings.CATALOG_IMPORT_MAX_BYTES = 1024

    with pytest.raises(fetching.FetchRefused, match="404"):
        fetching.fetch_catalog(f"{base}/missing")
    with pytest.raises(fetching.FetchRefused, match="MB|Mo"):
        fetching.fetch_catalog(f"{base}/big")


def test_a_reading_longer_than_the_deadline_is_refused(server, monkeypatch):
    _httpd, base = server
    _Handler.routes["/slow"] = (200, {}, b"x" * (3 * fetching.CHUNK))
    monkeypatch.setattr(fetching, "FETCH_DEADLINE", -1)  # already over after the first chunk

    with pytest.raises(fetching.FetchRefused, match="seconds|secondes"):
        fetching.fetch_catalog(f"{base}/slow")


def test_a_server_that_does_not_answer_is_a_clear_refusal(settings):
    settings.CABAS_DFC_FETCH_ALLOW_PRIVATE = True
    with pytest.raises(fetching.FetchRefused, match="ConnectionError"):
        fetching.fetch_catalog("http://127.0.0.1:9/")  # the discard port: nothing listens


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/catalog",
        "http://localhost:8000/api/dfc/enterprises/x",
        "http://10.0.0.1/catalog",
        "http://192.168.1.10/catalog",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/catalog",
        "http://[::ffff:127.0.0.1]/catalog",
        "http://0.0.0.0/catalog",
        "http://224.0.0.1/catalog",
    ],
)
def test_by_default_private_and_local_addresses_are_refused(url):
    with pytest.raises(fetching.FetchRefused, match="private or local|privé ou local"):
        fetching.fetch_catalog(url)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/catalog.json", "gopher://x", "/relative"]
)
def test_only_http_and_https_are_read(url):
    with pytest.raises(fetching.FetchRefused, match="http and https|http et https"):
        fetching.fetch_catalog(url)


def test_the_default_is_to_refuse_private_addresses():
    from django.conf import settings

    assert getattr(settings, "CABAS_DFC_FETCH_ALLOW_PRIVATE", False) is False
