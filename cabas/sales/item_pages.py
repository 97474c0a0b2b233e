"""One way for a coordinator's page to show a sale's items when there are thousands (the
offer, the price corrections): of one producer (``?producer=``), found by a search (``?q=``),
``ITEMS_PER_PAGE`` at a time (``?page=``). Each row keeps its own form, so saving one item
loses nothing typed elsewhere, and the page comes back to the same producer, search and page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page
from django.db.models import QuerySet

from cabas.core.paging import page_of
from cabas.core.params import query_int
from cabas.core.search import search_query

from .models import SaleItem
from .selectors import sale_items_found

ITEMS_PER_PAGE = 50


@dataclass(frozen=True)
class ItemPage:
    producer_id: int | None
    search: str
    page: Page
    query: str  # the producer and the search as a query string, for the page links

    @property
    def filtered(self) -> bool:
        return self.producer_id is not None or bool(self.search)


def item_page(request, items: QuerySet[SaleItem]) -> ItemPage:
    """The page of ``items`` the query string asks for (a junk page number is the nearest page;
    a producer that is not a whole number is a clear 400, one of no item lists nothing)."""
    producer_id = query_int(request, "producer")
    search = search_query(request)
    found = sale_items_found(items, producer_id=producer_id, search=search)
    page = page_of(found, ITEMS_PER_PAGE, request.GET.get("page"))
    query = urlencode(
        {name: value for name, value in (("producer", producer_id), ("q", search)) if value}
    )
    return ItemPage(producer_id=producer_id, search=search, page=page, query=query)
