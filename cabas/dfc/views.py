"""The DFC API, ``/api/dfc/`` (paths shaped like Open Food Network's): thin views.

Read only and public for now: an organisation's catalog as its public page shows it
(``cabas.dfc.export``). Errors are JSON: ``{"error": {"code", "message"}}``; 404 for an
unknown organisation, product or address under /api/dfc/ (and for an Offer of an organisation
that does not show its prices); 406 when the 2.0.0 form is asked for (``Accept`` with
``profile="dfc-v2"``, as OFN's clients ask), which Cabas does not publish yet.
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from . import selectors
from .export import catalog_graph, catalog_items_graph, node_document, product_nodes
from .export_sales import sale_sessions_graph

CONTENT_TYPE = "application/json; charset=utf-8"  # what OFN's 1.16.0 answers say
_PROFILE = re.compile(r"""\bprofile="?([^";,\s]+)""")
# Node kind in the URL → its place in export.product_nodes' answer.
NODE_INDEX = {"supplied_products": 0, "catalog_items": 1, "offers": 2}


def _json(document: dict, status: int = 200) -> HttpResponse:
    body = json.dumps(document, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPE)


def _error(code: str, message: str, status: int) -> HttpResponse:
    return _json({"error": {"code": code, "message": message}}, status=status)


def _not_found(message: str) -> HttpResponse:
    return _error("not_found", message, 404)


def _refusal(request: HttpRequest) -> HttpResponse | None:
    """406 when the request asks for a profile other than DFC 1.16.0's."""
    profile = _PROFILE.search(request.headers.get("Accept", ""))
    if profile and profile.group(1) != "dfc-v1":
        return _error(
            "not_acceptable",
            f"The profile {profile.group(1)!r} is not published; this API answers in DFC "
            "1.16.0 only (no profile).",
            406,
        )
    return None


def _published(slug: str):
    """The organisation and the day its public page shows, or None."""
    organisation = selectors.published_organisation(slug=slug)
    if organisation is None:
        return None, None
    with timezone.override(organisation.timezone):
        return organisation, timezone.localdate()


def _url(name: str, slug: str) -> str:
    """A node's address on the site's public address (``SITE_URL``), not the request's host:
    other platforms keep these ids to recognise the same product when they read it again."""
    return settings.SITE_URL + reverse(name, kwargs={"slug": slug})


@csrf_exempt  # read only, no session: another method is a 405, not a CSRF page
@require_GET
def enterprise(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation as a DFC Enterprise with its public catalog."""
    if refusal := _refusal(request):
        return refusal
    organisation, day = _published(slug)
    if organisation is None:
        return _not_found("No such organisation.")
    products = selectors.published_products(organisation=organisation, day=day)
    url = _url("dfc:enterprise", slug)
    return _json(catalog_graph(organisation=organisation, products=products, enterprise_url=url))


@csrf_exempt  # read only, no session: another method is a 405, not a CSRF page
@require_GET
def catalog_items(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's CatalogItems, with their SuppliedProducts and Offers."""
    if refusal := _refusal(request):
        return refusal
    organisation, day = _published(slug)
    if organisation is None:
        return _not_found("No such organisation.")
    products = selectors.published_products(organisation=organisation, day=day)
    url = _url("dfc:enterprise", slug)
    return _json(
        catalog_items_graph(organisation=organisation, products=products, enterprise_url=url)
    )


@csrf_exempt  # read only, no session: another method is a 405, not a CSRF page
@require_GET
def product_node(request: HttpRequest, slug: str, pk: int, kind: str) -> HttpResponse:
    """One SuppliedProduct, CatalogItem or Offer: the address its ``@id`` gives."""
    if refusal := _refusal(request):
        return refusal
    organisation, day = _published(slug)
    if organisation is None:
        return _not_found("No such organisation.")
    product = selectors.published_product(organisation=organisation, day=day, pk=pk)
    nodes = []
    if product is not None:
        url = _url("dfc:enterprise", slug)
        nodes = product_nodes(product, enterprise_url=url, with_offer=organisation.public_prices)
    if NODE_INDEX[kind] >= len(nodes):
        return _not_found("No such product in this organisation's published catalog.")
    return _json(node_document(nodes[NODE_INDEX[kind]]))


@csrf_exempt  # read only, no session: another method is a 405, not a CSRF page
@require_GET
def sale_sessions(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's sales taking orders now, with their pickups and offers."""
    if refusal := _refusal(request):
        return refusal
    organisation, _day = _published(slug)
    if organisation is None:
        return _not_found("No such organisation.")
    sales = selectors.published_sales(organisation=organisation, now=timezone.now())
    return _json(
        sale_sessions_graph(
            organisation=organisation,
            sales=sales,
            list_url=_url("dfc:sale_sessions", slug),
            enterprise_url=_url("dfc:enterprise", slug),
        )
    )


@csrf_exempt  # a POST without a CSRF token to an unknown address is a 404 too
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    return _not_found("Nothing is published at this address.")
