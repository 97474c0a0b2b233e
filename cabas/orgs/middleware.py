"""The core's refusal of unreadable input (``cabas.core.middleware``), shown within the
organisation whose page was asked for: its name, menu and language, as its other pages, when
the person may see that page (else the plain page, which tells nothing about it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from cabas.core import middleware as core

from .context import chosen_language, organisation_context
from .models import Organisation
from .permissions import can, membership_of


def _organisation_of(request: HttpRequest) -> Organisation | None:
    """The organisation of an ``/o/<slug>/`` page the person may see (as ``org_view`` would
    let them), set on the request for the header and menu; None otherwise."""
    if getattr(request, "organisation", None) is not None:  # the view already ran
        return request.organisation
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    slug = match.kwargs.get("slug")
    action = getattr(match.func, "cabas_action", None)
    if not slug or action is None:
        return None
    organisation = Organisation.objects.filter(slug=slug, is_active=True).first()
    if organisation is None or not can(request.user, action, organisation):
        return None
    request.organisation = organisation
    request.membership = membership_of(request.user, organisation)
    return organisation


class BadInputMiddleware(core.BadInputMiddleware):
    def page(self, request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
        organisation = _organisation_of(request)
        if organisation is None:
            return super().page(request, message, status)
        with organisation_context(organisation, language=chosen_language(request)):
            return super().page(request, message, status)
