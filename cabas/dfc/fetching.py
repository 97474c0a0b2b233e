"""Fetching a DFC catalog from another platform's address, safely (the worker does it).

- Only ``http`` and ``https`` addresses.
- Against server-side request forgery: the host is resolved and every address it resolves to
  must be public — loopback, private, link-local (``169.254.169.254``, the cloud metadata
  address), multicast, reserved and unspecified addresses are refused, unless
  ``settings.CABAS_DFC_FETCH_ALLOW_PRIVATE`` (False by default; the tests' local server).
  Redirects are followed by hand, at most ``MAX_REDIRECTS``, each new address checked again.
  (The check and the connection resolve the name apart: a name whose owner changes its answer
  in between is not caught; a firewall rule keeping the server off its private networks is
  the complete defence.)
- A timeout (``FETCH_TIMEOUT`` seconds to connect and between bytes, ``FETCH_DEADLINE`` for
  the whole reading), and at most
  ``catalog.imports.max_upload_bytes()`` read: a longer answer is refused, not cut.
- ``Accept: application/ld+json, application/json``; no credentials are sent.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from cabas.catalog.imports import max_upload_bytes

MAX_REDIRECTS = 3
FETCH_TIMEOUT = 15
# The whole reading's limit: a server dripping a byte now and then never holds a worker long.
FETCH_DEADLINE = 60
ACCEPT = "application/ld+json, application/json"
CHUNK = 64 * 1024


class FetchRefused(Exception):
    """The catalog could not be had; the message says why, in the reader's language."""


def _allow_private() -> bool:
    return bool(getattr(settings, "CABAS_DFC_FETCH_ALLOW_PRIVATE", False))


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_url(url: str) -> None:
    """``FetchRefused`` unless ``url`` is an http(s) address of public hosts only."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(_("Only http and https addresses can be read."))
    if not parts.hostname:
        raise FetchRefused(_("The address has no host."))
    if _allow_private():
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise FetchRefused(_("The host %(host)s is not known.") % {"host": parts.hostname}) from exc
    addresses = {info[4][0] for info in infos}
    if not addresses or not all(_is_public(address) for address in addresses):
        raise FetchRefused(
            _("The host %(host)s is on a private or local network: it is not read.")
            % {"host": parts.hostname}
        )


def fetch_catalog(url: str) -> bytes:
    """The document at ``url`` (see the module), or ``FetchRefused``."""
    limit = max_upload_bytes()
    with requests.Session() as session:
        session.trust_env = False  # no proxy, no .netrc credentials from the environment
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(url)
            try:
                response = session.get(
                    url,
                    headers={"Accept": ACCEPT},
                    timeout=FETCH_TIMEOUT,
                    allow_redirects=False,
                    stream=True,
                )
            except requests.RequestException as exc:
                raise FetchRefused(
                    _("The address did not answer (%(reason)s).") % {"reason": type(exc).__name__}
                ) from exc
            with response:
                if response.is_redirect:
                    url = urljoin(url, response.headers.get("Location", ""))
                    continue
                if response.status_code != 200:
                    raise FetchRefused(
                        _("The address answered with the HTTP status %(status)s.")
                        % {"status": response.status_code}
                    )
                return _read_body(response, limit)
    raise FetchRefused(_("Too many redirections (more than %(count)s).") % {"count": MAX_REDIRECTS})


def _read_body(response, limit: int) -> bytes:
    too_big = FetchRefused(
        _("The catalog is larger than %(mb)s MB.") % {"mb": max(limit // (1024 * 1024), 1)}
    )
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        raise too_big
    body = bytearray()
    deadline = time.monotonic() + FETCH_DEADLINE
    try:
        for chunk in response.iter_content(CHUNK):
            body += chunk
            if len(body) > limit:
                raise too_big
            if time.monotonic() > deadline:
                raise FetchRefused(
                    _("The address took more than %(seconds)s seconds to send the catalog.")
                    % {"seconds": FETCH_DEADLINE}
                )
    except requests.RequestException as exc:
        raise FetchRefused(
            _("The address did not answer (%(reason)s).") % {"reason": type(exc).__name__}
        ) from exc
    return bytes(body)
