"""Every paginated page reads its ``?page=`` by one rule (``page_of``)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def page_number(text, num_pages: int) -> int:
    """The page a ``?page=`` asks for: a number out of range is the nearest page (0 and -1
    the first, 999999 the last), anything else ("abc", "", none) the first. Django's own
    ``get_page`` showed the last page for -1."""
    try:
        wanted = int(str(text).strip())
    except (TypeError, ValueError):  # also a number of thousands of digits
        return 1
    return min(max(wanted, 1), max(num_pages, 1))


def page_of(items, per_page: int, text) -> Page:
    """The page of ``items`` (``per_page`` a page) that ``text``, the ``?page=`` sent, asks
    for, by ``page_number``'s rule: never a 404 or a 500."""
    paginator = Paginator(items, per_page)
    return paginator.page(page_number(text, paginator.num_pages))
