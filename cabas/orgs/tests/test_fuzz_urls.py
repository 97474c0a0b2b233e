"""Odd input on every page: no 5xx.

Every GET page of the permission matrix (cabas/orgs/tests/test_permission_matrix.py) that a
coordinator or a member of organisation A can open is requested with odd values for every
query parameter a view reads (found in the code: ``request.GET.get("…")``, ``request.GET["…"]``
and the fields of the forms built from ``request.GET``; plus common names), and with odd
values in place of each of its path parameters. Any answer is fine but a server error.
"""

import importlib
import re
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.urls import reverse

from cabas.orgs.tests.test_permission_matrix import MATRIX
from cabas.orgs.tests.test_redirects import stays_here

CABAS = Path(settings.BASE_DIR, "cabas")
COMMON_NAMES = {"slot", "q", "to", "from", "page", "sale", "pickup", "format", "next", "part",
                "size", "per_page", "status", "producer", "category", "sort", "past"}  # fmt: skip
ODD_VALUES = [
    "\x00",
    "²",
    "-1",
    "99999999999999999999999",
    "9999-12-31",
    "1e400",
    "%s{{ x }}<b>'\"",
    "é" * 300,
    "//evil.example/x",
]
ODD_PATH_VALUES = ["\x00", "²", "-1", "999999999999999999", "99999999999999999999999"]


def _names_read_by_views() -> set[str]:
    """Query parameter names the views read, found in their source."""
    names, form_classes = set(), set()
    for source in CABAS.glob("*/*.py"):
        text = source.read_text()
        names |= set(re.findall(r"request\.GET(?:\.get\(|\[)\"(\w+)\"", text))
        form_classes |= set(re.findall(r"(\w+Form)\(request\.GET", text))
    for module_path in CABAS.glob("*/forms.py"):
        module = importlib.import_module(f"cabas.{module_path.parent.name}.forms")
        for class_name in form_classes & set(vars(module)):
            names |= set(getattr(module, class_name).base_fields)
    return names


QUERY_NAMES = sorted(_names_read_by_views() | COMMON_NAMES)


def _odd_paths(url: str, kwargs: dict) -> list[str]:
    """``url`` with each path parameter replaced by each odd value (percent-encoded)."""
    paths = []
    for value in kwargs.values():
        segment = f"/{quote(str(value))}/"
        if segment not in url:
            continue
        for odd in ODD_PATH_VALUES:
            paths.append(url.replace(segment, f"/{quote(odd)}/", 1))
    return paths


def _status(client, url: str) -> tuple[int | None, str]:
    try:
        response = client.get(url)
    except Exception as exc:  # noqa: BLE001 — an exception in a view is the 500 we look for
        return None, f"{type(exc).__name__}: {exc}"[:200]
    location = response.get("Location", "")
    if location and not stays_here(location):
        return 599, f"redirects off-site to {location}"
    return response.status_code, ""


def test_names_read_by_views_are_found():
    """The search above finds what the views read (so a new one is fuzzed too)."""
    assert {"slot", "q", "to", "from", "per_page", "size", "negative", "expired"} <= set(
        QUERY_NAMES
    )
    assert len(QUERY_NAMES) > len(COMMON_NAMES)


def test_odd_input_on_every_page_is_never_a_server_error(world, client):
    failures, requests = [], 0
    for persona in ("coordinator", "member"):
        client.force_login(world.users[persona])
        for name in sorted(MATRIX):
            row = MATRIX[name]
            if row.method != "get" or row.expect[persona] >= 400:
                continue
            kwargs = row.kwargs(world)
            url = reverse(name, kwargs=kwargs)
            attempts = [
                f"{url}?{urlencode(dict.fromkeys(QUERY_NAMES, odd))}" for odd in ODD_VALUES
            ] + _odd_paths(url, kwargs)
            for attempt in attempts:
                requests += 1
                status, error = _status(client, attempt)
                if status is None or status >= 500:
                    failures.append(f"{persona} GET {attempt[:160]} -> {status} {error}")
    assert failures == []
    assert requests > 500  # every page was tried (a count, not a time)


def test_every_database_id_in_a_path_is_bounded():
    """Paths take database ids with <id:…> (1 to 18 digits), never <int:…>: a longer number
    would overflow the query (a 500 on SQLite) instead of being not found."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.converters import IntConverter

    from cabas.core.converters import IdConverter

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                yield pattern

    converters = [
        (str(pattern.pattern), converter)
        for pattern in walk(get_resolver().url_patterns)
        for converter in getattr(pattern.pattern, "converters", {}).values()
    ]
    unbounded = [
        path
        for path, converter in converters
        if isinstance(converter, IntConverter) and not isinstance(converter, IdConverter)
    ]
    assert unbounded == [], "use <id:…> instead of <int:…> in these paths"
    assert sum(isinstance(converter, IdConverter) for _, converter in converters) > 40
