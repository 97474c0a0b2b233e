"""The JSON-LD documents Cabas knows, served from files shipped with the code, never the network.

pyld asks its document loader for every ``@context`` URL it meets. This loader answers only for
the DFC context URLs listed in ``SHIPPED`` (by any of the addresses the DFC connectors use for
the same document) and refuses any other URL with ``DocumentNotShipped``: a server must not
fetch what a received document points at, and the tests here cannot.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

from pyld import jsonld

DOCUMENTS = Path(__file__).resolve().parent / "jsonld"

CONTEXT_1_16 = "https://w3id.org/dfc/ontology/context/context_1.16.0.json"
# The address OFN's 2.0.0 answers name (the v2 connectors also use the others in SHIPPED).
CONTEXT_2_0 = "https://w3id.org/dfc/ontology/context/context_2.0.0.json"

# Address (without scheme, without trailing slash) → shipped file.
SHIPPED = {
    "w3id.org/dfc/ontology/context/context_1.16.0.json": "context_1.16.0.json",
    # The address the DFC website gives in its link header for the same document.
    "www.datafoodconsortium.org/wp-content/plugins/wordpress-context-jsonld/"
    "context_1.16.0.jsonld": "context_1.16.0.json",
    "w3id.org/dfc/ontology/context/context_2.0.0.json": "context_2.0.0.json",
    "w3id.org/dfc/ontology/v2.0.0/context/context_2.0.0.json": "context_2.0.0.json",
    "www.datafoodconsortium.org/wp-content/plugins/wordpress-context-jsonld/"
    "context_2.0.0.jsonld": "context_2.0.0.json",
    # connector-ruby's 2.0.0 Context preloads it under this address too.
    "cdn.jsdelivr.net/gh/datafoodconsortium/ontology/context/context_2.0.0.json": (
        "context_2.0.0.json"
    ),
}


class DocumentNotShipped(Exception):
    """A JSON-LD document was asked for that Cabas does not ship (it is never fetched)."""

    code = "dfc_document_not_shipped"

    def __init__(self, url: str):
        self.url = url
        super().__init__(
            f"The JSON-LD document {url!r} is not one Cabas knows; it is never fetched from "
            f"the network. Known contexts: {', '.join(known_urls())}."
        )


class JsonLdInvalid(Exception):
    """A document could not be processed as JSON-LD (its message says why)."""

    code = "dfc_jsonld_invalid"


def known_urls() -> list[str]:
    return sorted(f"https://{address}" for address in SHIPPED)


def _address(url: str) -> str:
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return url[len(scheme) :].rstrip("/")
    return url


@cache
def _read(name: str) -> dict:
    return json.loads((DOCUMENTS / name).read_text(encoding="utf-8"))


def load_document(url: str, options: dict | None = None) -> dict:
    """pyld's document loader: the shipped document for ``url``, or ``DocumentNotShipped``."""
    name = SHIPPED.get(_address(url or ""))
    if name is None:
        raise DocumentNotShipped(url)
    return {
        "contextUrl": None,
        "documentUrl": url,
        # A copy: pyld must never be able to change the cached document.
        "document": copy.deepcopy(_read(name)),
        "contentType": "application/ld+json",
    }


def expand(document: dict | list) -> list:
    """``document`` expanded with the shipped contexts only.

    Raises ``DocumentNotShipped`` when it names an unknown context, ``JsonLdInvalid`` for
    anything else pyld refuses.
    """
    try:
        return jsonld.expand(document, {"documentLoader": load_document})
    except jsonld.JsonLdError as error:
        cause = _cause(error)
        if isinstance(cause, DocumentNotShipped):
            raise DocumentNotShipped(cause.url) from error
        raise JsonLdInvalid(str(error).splitlines()[0]) from error


def _cause(error: BaseException) -> BaseException | None:
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, DocumentNotShipped):
            return error
        error = getattr(error, "cause", None) or error.__cause__ or error.__context__
    return None
