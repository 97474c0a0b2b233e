"""Where to go after a form: the ``next`` the page sent, when it stays on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` of the form (or of the query string), when it is a path or URL of this
    site with the request's scheme; otherwise ``default``. Every view that reads ``next``
    goes through here, so no form can send a person to another site."""
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def page_before(request: HttpRequest, default: str) -> str:
    """The page of this site a form was posted from (its ``Referer``, path and query), or
    ``default``. Where to come back after logging in when a form was sent logged out (the
    session ended): the form's address itself answers only a POST, so coming back to it
    would show an empty "405" error page."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return default
