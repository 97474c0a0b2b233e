"""Reading a DFC catalog (JSON-LD) into the product import's lines (``catalog.importers``).

The document is expanded with the shipped contexts only (``loader.expand``), then flattened:
every node, inline or given by reference, single or in an array, is found by its ``@id``.
Each CatalogItem is one line (in the order of the document): the SuppliedProduct it
``references`` gives the name, the description (``description`` or the connectors'
``hasDescription``), the category (``hasType``, ``mapping_back.category_of``) and the unit
(``hasQuantity``, ``mapping_back.unit_fields``); the item gives the reference (``sku``); its
Offer — ``offeredThrough`` from the item, or an Offer whose ``offers``/``offeredItem`` names
the item or its product — the price incl. VAT (``hasPrice``: ``value``, ``VATrate``,
``hasUnit`` which must be ``dfc-m:Euro``) and the stock (``stockLimitation`` of the Offer, else
of the item: negative or absent = on demand, otherwise a quantity per sale). Numbers may be
JSON numbers or strings. The SuppliedProduct's ``@id`` is the line's external id: a catalog
read again updates the products it made.

What the catalog does not say (no description, no type, no quantity) is left as it is on a
product already imported; minimum, step, organic, local and photo are never read.

Every problem is reported with the node's ``@id`` and the property (``dfc-b:hasPrice``), the
line then being refused: the import applies nothing while one remains.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _
from pyld import jsonld

from cabas.catalog import importers
from cabas.catalog.importers import FileUnreadable, LineError, ParsedLine, ParseResult
from cabas.catalog.models import Product

from . import mapping_back
from .export import compact
from .loader import DocumentNotShipped, JsonLdInvalid, expand

FORMAT = "dfc"
LARGEST = Decimal(10) ** 8
RDF_TYPE = "@type"
# Where the product rules' problems are said (``catalog.imports``' errors by column).
COLUMNS = {
    "name": "dfc-b:name",
    "description": "dfc-b:description",
    "category": "dfc-b:hasType",
    "reference": "dfc-b:sku",
    "price": "dfc-b:hasPrice",
    "vat_rate": "dfc-b:VATrate",
    "default_quantity_per_sale": "dfc-b:stockLimitation",
    "stock_quantity": "dfc-b:stockLimitation",
    **dict.fromkeys(
        (
            "unit_kind",
            "unit_label",
            "content_quantity",
            "content_unit",
            "content_count",
            "min_quantity",
            "quantity_step",
        ),
        "dfc-b:hasQuantity",
    ),  # fmt: skip
}


def short(iri: str) -> str:
    """A DFC business-ontology IRI as ``dfc-b:name`` (any version of its namespace)."""
    namespace, hash_sign, name = iri.rpartition("#")
    if hash_sign and namespace.endswith("DFC_BusinessOntology.owl"):
        return f"dfc-b:{name}"
    return iri


class _Graph:
    """The flattened document: nodes by ``@id`` with ``dfc-b:`` property names."""

    def __init__(self, flattened: list[dict]):
        self.nodes: dict[str, dict] = {}
        for node in flattened:
            self.nodes[node["@id"]] = {
                (key if key.startswith("@") else short(key)): value for key, value in node.items()
            }

    def of_type(self, name: str) -> list[dict]:
        return [node for node in self.nodes.values() if f"dfc-b:{name}" in _types(node)]

    def refs(self, node: dict, *names: str) -> list[str]:
        """The ``@id`` of every node or IRI ``node`` names by one of ``names``."""
        return [value["@id"] for name in names for value in node.get(name, []) if "@id" in value]

    def ref(self, node: dict, *names: str) -> dict | None:
        ids = self.refs(node, *names)
        return self.nodes.get(ids[0], {"@id": ids[0]}) if ids else None


def _types(node: dict) -> set[str]:
    return {short(type_iri) for type_iri in node.get(RDF_TYPE, [])}


def _document_order(expanded, wanted: set[str]) -> list[str]:
    """The ids of ``wanted`` in the order the document gives them first."""
    seen: dict[str, None] = {}  # ordered, and a look-up is not a scan of the list

    def walk(value):
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            if value.get("@id") in wanted and value["@id"] not in seen:
                seen[value["@id"]] = None
            for key, item in value.items():
                if key not in ("@id", "@value"):
                    walk(item)

    walk(expanded)
    return list(seen) + sorted(wanted - set(seen))


def max_items() -> int:
    """As many catalog items as a table import may have rows."""
    return getattr(settings, "TABLE_IMPORT_MAX_ROWS", 20_000)


def read_catalog(content: bytes) -> ParseResult:
    """Every CatalogItem of the document as an import line (see the module)."""
    try:
        return _read_catalog(content)
    except RecursionError as exc:  # a document nested thousands deep
        raise FileUnreadable(_("This document is nested too deeply to be read.")) from exc


def _read_catalog(content: bytes) -> ParseResult:
    try:
        document = json.loads(bytes(content).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        reason = _("This is not a JSON document: %(reason)s.") % {"reason": exc}
        raise FileUnreadable(reason) from exc
    if not isinstance(document, dict | list):
        raise FileUnreadable(_("This is not a JSON-LD document (an object or a list)."))
    try:
        expanded = expand(document)
        graph = _Graph(jsonld.flatten(expanded))
    except DocumentNotShipped as exc:
        raise FileUnreadable(
            _("The document names the context %(url)s, which Cabas does not know.")
            % {"url": exc.url}
        ) from exc
    except (JsonLdInvalid, jsonld.JsonLdError) as exc:
        reason = _("This is not valid JSON-LD: %(reason)s") % {"reason": exc}
        raise FileUnreadable(reason) from exc
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        # pyld trips on some malformed input instead of refusing it: still a refusal, never
        # an import left unchecked.
        reason = _("This is not valid JSON-LD: %(reason)s") % {"reason": type(exc).__name__}
        raise FileUnreadable(reason) from exc
    items = {node["@id"]: node for node in graph.of_type("CatalogItem")}
    if not items:
        raise FileUnreadable(
            _("No catalog item (dfc-b:CatalogItem) found: is this a DFC catalog in JSON-LD?")
        )
    limit = max_items()
    if len(items) > limit:
        raise FileUnreadable(
            _("This catalog has %(count)s items: at most %(limit)s are read at once.")
            % {"count": len(items), "limit": limit}
        )
    result = ParseResult(format=FORMAT)
    offers = _offers_by_item(graph)
    seen: dict[str, int] = {}
    for number, item_id in enumerate(_document_order(expanded, set(items)), start=1):
        line = _Line(number, graph, result)
        line.read(items[item_id], offers, seen)
        result.lines.append(line.parsed())
    return result


def _offers_by_item(graph: _Graph) -> dict[str, list[dict]]:
    """Offers by the id of what they offer (an item or a product): both spellings."""
    offers: dict[str, list[dict]] = {}
    for offer in graph.of_type("Offer"):
        for target in graph.refs(offer, "dfc-b:offers", "dfc-b:offeredItem"):
            offers.setdefault(target, []).append(offer)
    return offers


class _Line:
    """One CatalogItem read into product fields; each problem names a node and a property."""

    def __init__(self, number: int, graph: _Graph, result: ParseResult):
        self.number, self.graph, self.result = number, graph, result
        self.fields: dict = {"external_id": ""}
        self.item_id = ""
        self.ok = True
        self.vat_missing = False

    def error(self, node: dict, prop: str, reason: str) -> None:
        self.ok = False
        where = _("Node %(node)s: %(reason)s") % {"node": node.get("@id", "?"), "reason": reason}
        self.result.errors.append(LineError(self.number, prop, where))

    def parsed(self) -> ParsedLine:
        reference = self.fields.get("reference", "")
        return ParsedLine(
            line=self.number,
            reference=reference,
            producer_name="",
            fields=self.fields,
            ok=self.ok,
            vat_missing=self.vat_missing,
            external_id=self.fields["external_id"],
            source=_("Node %(node)s") % {"node": self.item_id},
        )

    # --- values ---------------------------------------------------------------------------

    def literal(self, node: dict, prop: str):
        """The node's value of ``prop`` (the French one of several languages), or None."""
        values = [value for value in node.get(prop, []) if "@value" in value]
        for value in values:
            if value.get("@language", "").lower().startswith("fr"):
                return value["@value"]
        return values[0]["@value"] if values else None

    def text(self, node: dict, prop: str, *, limit: int | None = None) -> str | None:
        value = self.literal(node, prop)
        if value is None:
            return None
        if not isinstance(value, str):
            value = str(value)
        if limit is not None and len(value.strip()) > limit:
            self.error(node, prop, _("longer than %(limit)s characters.") % {"limit": limit})
            return None
        return value.strip()

    def decimal(self, node: dict, prop: str, *, owner=None, column="") -> Decimal | None:
        """A number (JSON number or string); a problem is said on ``owner`` (the node holding
        a blank node, e.g. the Offer of a Price) and ``column`` when given."""
        value = self.literal(node, prop)
        if value is None:
            return None
        node, prop = owner or node, column or prop
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.error(node, prop, _("“%(value)s” is not a number.") % {"value": value})
            return None
        try:
            number = Decimal(value.strip()) if isinstance(value, str) else Decimal(str(value))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.error(node, prop, _("“%(value)s” is not a number.") % {"value": value})
            return None
        if abs(number) >= LARGEST:
            self.error(node, prop, _("%(value)s is too large.") % {"value": value})
            return None
        return number

    # --- the item ------------------------------------------------------------------------

    def read(self, item: dict, offers: dict, seen: dict) -> None:
        self.item_id = item["@id"]
        sku = self.text(item, "dfc-b:sku", limit=64)
        self.fields["reference"] = sku or ""
        product = self.graph.ref(item, "dfc-b:references")
        if product is None or "dfc-b:SuppliedProduct" not in _types(product):
            self.error(item, "dfc-b:references", _("it names no SuppliedProduct."))
        else:
            self.product(product, seen)
        offer = self.offer_of(item, product, offers)
        if offer is None:
            self.error(item, "dfc-b:offeredThrough", _("no Offer gives this item a price."))
        else:
            self.price(offer)
        self.stock(offer, item)

    def product(self, product: dict, seen: dict) -> None:
        if product["@id"].startswith("_:"):
            self.error(product, "@id", _("the product has no @id: a new import could not find it."))
            return
        if product["@id"] in seen:
            reason = _("the same product is already on line %(line)s.")
            self.error(product, "@id", reason % {"line": seen[product["@id"]]})
            return
        seen[product["@id"]] = self.number
        self.fields["external_id"] = product["@id"]
        if len(product["@id"]) > 500:
            self.error(product, "@id", _("longer than %(limit)s characters.") % {"limit": 500})
        if not str(self.literal(product, "dfc-b:name") or "").strip():
            self.error(product, "dfc-b:name", _("the product needs a name."))
        elif name := self.text(product, "dfc-b:name", limit=200):
            self.fields["name"] = name
        for prop in ("dfc-b:description", "dfc-b:hasDescription"):
            description = self.text(product, prop)
            if description is not None:
                self.fields["description"] = description
                break
        product_type = self.graph.ref(product, "dfc-b:hasType")
        if product_type is not None:
            self.fields["category"] = mapping_back.category_of(product_type["@id"])
        self.quantity(product)

    def quantity(self, product: dict) -> None:
        quantity = self.graph.ref(product, "dfc-b:hasQuantity")
        if quantity is None:
            return
        unit = self.graph.ref(quantity, "dfc-b:hasUnit")
        value = self.decimal(quantity, "dfc-b:value", owner=product, column="dfc-b:hasQuantity")
        if unit is None:
            self.error(product, "dfc-b:hasQuantity", _("the quantity has no unit (dfc-b:hasUnit)."))
            return
        try:
            self.fields.update(mapping_back.unit_fields(unit["@id"], value))
        except mapping_back.QuantityInvalid:
            reason = _("the quantity %(value)s cannot be a product's (above 0, at most 99999).")
            self.error(product, "dfc-b:hasQuantity", reason % {"value": value})

    def offer_of(self, item: dict, product: dict | None, offers: dict) -> dict | None:
        """The item's Offer: one for everyone (no ``offersTo``) before one for a category."""
        ids = self.graph.refs(item, "dfc-b:offeredThrough")
        found = [self.graph.nodes.get(offer_id, {"@id": offer_id}) for offer_id in ids]
        found += offers.get(item["@id"], [])
        if product is not None:
            found += offers.get(product["@id"], [])
        found = [offer for offer in found if "dfc-b:hasPrice" in offer]
        found.sort(key=lambda offer: bool(self.graph.refs(offer, "dfc-b:offersTo",
                                                          "dfc-b:offeredTo")))  # fmt: skip
        return found[0] if found else None

    def price(self, offer: dict) -> None:
        price = self.graph.ref(offer, "dfc-b:hasPrice")
        if price is None:
            self.error(offer, "dfc-b:hasPrice", _("the price is not a Price node."))
            return
        currency = self.graph.ref(price, "dfc-b:hasUnit")
        name = mapping_back.local_name(currency["@id"], "measures") if currency else None
        if name != "Euro":
            reason = _("the price is in %(unit)s; only euros (dfc-m:Euro) are accepted.")
            unit = compact(currency["@id"]) if currency else _("no currency")
            self.error(offer, "dfc-b:hasUnit", reason % {"unit": unit})
        value = self.decimal(price, "dfc-b:value", owner=offer, column="dfc-b:hasPrice")
        if value is None:
            if "dfc-b:value" not in price:
                self.error(offer, "dfc-b:hasPrice", _("the price has no value (dfc-b:value)."))
        elif value < 0:
            self.error(offer, "dfc-b:hasPrice", _("the price is below 0."))
        else:
            self.fields["price"] = value.quantize(Decimal("0.01"))
        rate = self.decimal(price, "dfc-b:VATrate", owner=offer)
        if rate is None:
            self.vat_missing = "dfc-b:VATrate" not in price
        else:
            self.fields["vat_rate"] = rate

    def stock(self, offer: dict | None, item: dict) -> None:
        node = offer if offer and "dfc-b:stockLimitation" in offer else item
        stock = self.decimal(node, "dfc-b:stockLimitation")
        if stock is None or stock < 0:
            self.fields["stock_mode"] = Product.StockMode.UNLIMITED
        else:
            self.fields["stock_mode"] = Product.StockMode.PER_SALE
            self.fields["default_quantity_per_sale"] = stock


def register() -> None:
    """Make the product import read DFC catalogs (from ``DfcConfig.ready``)."""
    importers.document_format_register(
        FORMAT, importers.DocumentFormat(parse=read_catalog, columns=COLUMNS)
    )
