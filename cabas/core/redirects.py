"""Where to go after a form: the ``next`` the page sent, when it stays on this site."""

from __future__ import annotations

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
