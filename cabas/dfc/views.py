"""The DFC API's published documents, ``/api/dfc/`` (paths shaped like Open Food Network's).

Read only and public: what the organisation's public page shows (``cabas.dfc.export``,
``export_producers``, ``export_sales``), in DFC 1.16.0 or 2.0.0 as the request's ``Accept``
asks (``versions.negotiate``: 406 for an unknown profile). ``responses.dfc_api`` resolves the
organisation (404), runs the view in its time zone and language and answers a ``DfcError`` as
a JSON problem; 404 too for an unknown or inactive producer or product, an Offer of an
organisation that does not show its prices, or any other address under /api/dfc/.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from . import selectors
from .auth import sees_prices
from .errors import DfcError
from .export import catalog_graph, catalog_items_graph, node_document, product_nodes
from .export_producers import producer_catalog_items_graph, producer_graph
from .export_sales import sale_sessions_graph
from .export_webid import webid_document
from .responses import dfc_api, error_response, refusal
from .versions import answer, negotiate

# Node kind in the URL → its place in export.product_nodes' answer.
NODE_INDEX = {"supplied_products": 0, "catalog_items": 1, "offers": 2}


class NotPublished(DfcError):
    code = "not_found"
    status = 404
    default_message = _("Nothing is published at this address.")


def _catalog_read(view):
    """A read of an organisation's published catalog (``dfc_api``): GET only, no session, so
    another method is a 405, not a CSRF page."""
    return csrf_exempt(require_GET(dfc_api(view)))


def _url(name: str, **kwargs) -> str:
    """A node's address on the site's public address (``SITE_URL``), not the request's host:
    other platforms keep these ids to recognise the same product when they read it again."""
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _producer(organisation, pk: int):
    """The producer ``pk`` as the public page shows it today, or ``NotPublished``."""
    day = timezone.localdate()  # the organisation's day: dfc_api runs in its context
    producer = selectors.published_producer(organisation=organisation, day=day, pk=pk)
    if producer is None:
        raise NotPublished(_("No such producer supplying this organisation."))
    return producer


@_catalog_read
def enterprise(request: HttpRequest, organisation, slug: str) -> HttpResponse:
    """The organisation as a DFC Enterprise with its public catalog."""
    version = negotiate(request)
    producers = selectors.published_producers(organisation=organisation, day=timezone.localdate())
    document = catalog_graph(
        organisation=organisation,
        producers=producers,
        enterprise_url=_url("dfc:enterprise", slug=slug),
        version=version,
        with_offers=sees_prices(request, organisation),
    )
    return answer(document, version)


@_catalog_read
def catalog_items(request: HttpRequest, organisation, slug: str) -> HttpResponse:
    """The organisation's CatalogItems, with their SuppliedProducts and Offers."""
    version = negotiate(request)
    products = selectors.published_products(organisation=organisation, day=timezone.localdate())
    document = catalog_items_graph(
        products=products,
        enterprise_url=_url("dfc:enterprise", slug=slug),
        list_url=_url("dfc:catalog_items", slug=slug),
        version=version,
        with_offers=sees_prices(request, organisation),
    )
    return answer(document, version)


@_catalog_read
def product_node(request: HttpRequest, organisation, slug: str, pk: int, kind: str):
    """One SuppliedProduct, CatalogItem or Offer: the address its ``@id`` gives."""
    version = negotiate(request)
    day = timezone.localdate()
    product = selectors.published_product(organisation=organisation, day=day, pk=pk)
    nodes = []
    if product is not None:
        url = _url("dfc:enterprise", slug=slug)
        with_offer = sees_prices(request, organisation)
        nodes = product_nodes(product, enterprise_url=url, with_offer=with_offer)
    if NODE_INDEX[kind] >= len(nodes):
        raise NotPublished(_("No such product in this organisation's published catalog."))
    return answer(node_document(nodes[NODE_INDEX[kind]], version), version)


@_catalog_read
def producer(request: HttpRequest, organisation, slug: str, pk: int) -> HttpResponse:
    """A producer supplying the organisation as an Enterprise, with its products."""
    version = negotiate(request)
    document = producer_graph(
        producer=_producer(organisation, pk),
        enterprise_url=_url("dfc:enterprise", slug=slug),
        version=version,
        with_offers=sees_prices(request, organisation),
    )
    return answer(document, version)


@_catalog_read
def producer_catalog_items(request: HttpRequest, organisation, slug: str, pk: int):
    """A producer's CatalogItems in the organisation, with their SuppliedProducts and Offers."""
    version = negotiate(request)
    document = producer_catalog_items_graph(
        producer=_producer(organisation, pk),
        enterprise_url=_url("dfc:enterprise", slug=slug),
        list_url=_url("dfc:producer_catalog_items", slug=slug, pk=pk),
        version=version,
        with_offers=sees_prices(request, organisation),
    )
    return answer(document, version)


@_catalog_read
def sale_sessions(request: HttpRequest, organisation, slug: str) -> HttpResponse:
    """The organisation's sales taking orders now, with their pickups and offers."""
    version = negotiate(request)
    sales = selectors.published_sales(organisation=organisation, now=timezone.now())
    document = sale_sessions_graph(
        organisation=organisation,
        sales=sales,
        list_url=_url("dfc:sale_sessions", slug=slug),
        enterprise_url=_url("dfc:enterprise", slug=slug),
        version=version,
        with_offers=sees_prices(request, organisation),
    )
    return answer(document, version)


@csrf_exempt  # read only, no session: another method is a 405, not a CSRF page
@require_GET
def webid(request: HttpRequest) -> HttpResponse:
    """The platform's WebID: Cabas as a ``dfc-t:Platform`` (no organisation)."""
    try:
        version = negotiate(request)
    except DfcError as error:
        return refusal(error)
    return answer(webid_document(webid_url=_url("dfc:webid"), version=version), version)


@csrf_exempt  # a POST without a CSRF token to an unknown address is a 404 too
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    return error_response("not_found", NotPublished.default_message, 404)
