"""A received JSON-LD document as nodes to read: parsed, expanded with the shipped contexts
only (``loader.expand``), then indexed by ``@id``, whatever its shape (one node, ``@graph``,
nodes inline or by reference, values one or many).

Terms are read by their local name in the DFC business ontology (``dfc-b``) and vocabulary
(``dfc-v``), whichever shipped context version named their namespace, so that 1.16.0 and
2.0.0 documents read the same. Every refusal is a ``DfcError`` naming the node and the
property at fault; nothing is read from the network.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from . import errors, loader, vocabulary

# A document bigger than this is refused before it is read (an order of a few hundred lines
# is far below it).
MAX_BYTES = 256 * 1024


@cache
def namespaces(prefix: str) -> frozenset[str]:
    """The namespace IRIs ``prefix`` (``dfc-b``, ``dfc-v``) has in every shipped context."""
    found = {vocabulary.PREFIXES[prefix]}
    for address in loader.SHIPPED:
        context = loader.load_document(f"https://{address}")["document"].get("@context", {})
        if isinstance(context, dict) and isinstance(context.get(prefix), str):
            found.add(context[prefix])
    return frozenset(found)


def local_name(iri: str, prefix: str = "dfc-b") -> str | None:
    """``iri``'s name in ``prefix``'s namespace ("Order"), None when it is not one of them."""
    for namespace in namespaces(prefix):
        if iri.startswith(namespace):
            return iri[len(namespace) :]
    return None


@dataclass
class Node:
    id: str
    types: set[str]  # local names in dfc-b
    properties: dict[str, list]  # local name in dfc-b → expanded values

    @property
    def is_blank(self) -> bool:
        return self.id.startswith("_:")

    def values(self, name: str) -> list:
        return self.properties.get(name, [])

    def reference(self, name: str, *, required: bool = False) -> str | None:
        """The one node ``name`` points to (inline or by ``@id``), or None when absent."""
        values = self.values(name)
        if not values:
            if required:
                raise errors.PropertyMissing(node=self.id, property=f"dfc-b:{name}")
            return None
        if len(values) > 1:
            raise errors.OneValueExpected(node=self.id, property=f"dfc-b:{name}")
        value = values[0]
        if isinstance(value, dict) and "@id" in value:
            return value["@id"]
        iri = _iri_of_literal(value.get("@value") if isinstance(value, dict) else None)
        if iri is None:
            raise errors.ReferenceExpected(node=self.id, property=f"dfc-b:{name}")
        return iri

    def number(self, name: str) -> Decimal | None:
        """The one number of ``name`` (a JSON number or a string holding one), or None."""
        values = self.values(name)
        if not values:
            return None
        if len(values) > 1:
            raise errors.OneValueExpected(node=self.id, property=f"dfc-b:{name}")
        raw = values[0].get("@value") if isinstance(values[0], dict) else None
        try:
            if isinstance(raw, bool) or not isinstance(raw, int | float | str):
                raise InvalidOperation
            number = Decimal(str(raw).strip())
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise errors.NumberExpected(
                node=self.id, property=f"dfc-b:{name}", value=_short(raw)
            ) from None
        return number


def _iri_of_literal(text) -> str | None:
    """A string a context did not type as ``@id`` (the published contexts leave a few object
    properties untyped), read as the IRI it writes: absolute, a blank node label, or a
    compact IRI of a DFC prefix."""
    if not isinstance(text, str) or not text or any(c.isspace() for c in text):
        return None
    prefix, colon, rest = text.partition(":")
    if not colon:
        return None
    if prefix in vocabulary.PREFIXES:
        return vocabulary.PREFIXES[prefix] + rest
    if prefix == "_" or rest.startswith("//"):
        return text
    return None


class Graph:
    """The nodes of a received document, by ``@id``."""

    def __init__(self, expanded: list):
        self.nodes: dict[str, Node] = {}
        self._blank = 0
        self._visit(expanded)

    def of_type(self, name: str) -> list[Node]:
        return [node for node in self.nodes.values() if name in node.types]

    def get(self, node_id: str) -> Node | None:
        return self.nodes.get(node_id)

    def _visit(self, value) -> None:
        if isinstance(value, list):
            for item in value:
                self._visit(item)
            return
        if not isinstance(value, dict) or "@value" in value:
            return
        if "@list" in value:
            self._visit(value["@list"])
            return
        if "@graph" in value:
            self._visit(value["@graph"])
        keys = set(value) - {"@id", "@graph", "@index"}
        if "@id" not in value:
            if not keys:
                return
            self._blank += 1
            value["@id"] = f"_:cabas-inline-{self._blank}"  # an inline node without id: named here
        node = self.nodes.setdefault(value["@id"], Node(value["@id"], set(), {}))
        for type_iri in value.get("@type", []):
            if name := local_name(type_iri):
                node.types.add(name)
        for key, items in value.items():
            if key.startswith("@"):
                continue
            name = local_name(key)
            if name is None:
                continue  # a term of another vocabulary: not read
            node.properties.setdefault(name, []).extend(items)
            self._visit(items)


def read_document(body: bytes) -> Graph:
    """``body`` (a request's) as a Graph: refused when too large, not JSON, not an object,
    without a ``@context``, naming a context Cabas does not ship, or not JSON-LD."""
    if len(body) > MAX_BYTES:
        raise errors.DocumentTooLarge(limit=MAX_BYTES // 1024)
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise errors.NotJson() from None
    if not isinstance(document, dict):
        raise errors.NotAnObject()
    if "@context" not in document:
        raise errors.ContextMissing(
            node="@context", property="@context", known=", ".join(loader.known_urls())
        )
    try:
        expanded = loader.expand(document)
    except loader.DocumentNotShipped as error:
        raise errors.ContextUnknown(
            node="@context",
            property="@context",
            url=_short(error.url, 200),
            known=", ".join(loader.known_urls()),
        ) from None
    except (loader.JsonLdInvalid, RecursionError) as error:
        raise errors.NotJsonLd(reason=_short(str(error), 200)) from None
    return Graph(expanded)


def _short(value, length: int = 40) -> str:
    text = str(value)
    return text if len(text) <= length else text[: length - 1] + "…"
