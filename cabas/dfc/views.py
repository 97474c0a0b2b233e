"""The DFC API, ``/api/dfc/`` (paths shaped like Open Food Network's): thin views.

Read only and public for now: an organisation's catalog as its public page shows it
(``cabas.dfc.export``). Errors are JSON: ``{"error": {"code", "message"}}``, 404 for an
unknown organisation or address under /api/dfc/.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import selectors
from .export import catalog_graph

CONTENT_TYPE = "application/json; charset=utf-8"  # what OFN's 1.16.0 answers say


def _json(document: dict, status: int = 200) -> HttpResponse:
    body = json.dumps(document, ensure_ascii=False, indent=None)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPE)


def _not_found(message: str) -> HttpResponse:
    return _json({"error": {"code": "not_found", "message": message}}, status=404)


@require_GET
def enterprise(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation as a DFC Enterprise with its public catalog."""
    organisation = selectors.published_organisation(slug=slug)
    if organisation is None:
        return _not_found("No such organisation.")
    with timezone.override(organisation.timezone):
        day = timezone.localdate()
    products = selectors.published_products(organisation=organisation, day=day)
    url = request.build_absolute_uri(reverse("dfc:enterprise", kwargs={"slug": slug}))
    return _json(catalog_graph(organisation=organisation, products=products, enterprise_url=url))


def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    return _not_found("Nothing is published at this address.")
