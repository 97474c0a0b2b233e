"""Parts of pages rendered once per content and shared by every visitor and every server
process (the "default" cache: the database table or Redis).

A fragment's key is a digest of everything it shows (read by a cheap query of plain values
on every request), of the template's source, of the code that writes it, of the language and
of the static URL: a changed name or price, another template, and the very next page uses
another entry. Nothing is ever invalidated by hand, so no write path can forget to; an entry
not asked for goes after ``SECONDS``. The shop's product list (``orders.shop_page``) and the
organisation's public page use it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

SECONDS = 3600  # a fragment not asked for in an hour goes; a changed one has another key


@cache
def template_digest(name: str) -> str:
    """The template's source, once per process: a new version of it is another key."""
    return hashlib.sha256(get_template(name).template.source.encode()).hexdigest()[:16]


@cache
def code_digest(path: str) -> str:
    """A module's source (``__file__`` of the code writing the fragment), once per process."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def digest(template: str, *shown, code: str = "") -> str:
    """The key of what ``template`` shows: its source, ``code``'s (a module path), the
    language, the static URL, and ``shown`` (plain values: their ``repr`` is hashed)."""
    text = repr((
        template_digest(template), code_digest(code) if code else "", get_language(),
        settings.STATIC_URL, shown,
    ))  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()


def fragment(key: str, build: Callable[[], str]) -> SafeString:
    """The HTML kept under ``key``, or ``build()``'s, kept for the next request. ``build``
    renders through templates, which escape what people wrote."""
    html = caches["default"].get(key)
    if not isinstance(html, str):
        html = str(build())
        caches["default"].set(key, html, SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered by its template)
