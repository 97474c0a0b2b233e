"""The DFC 2.0.0 terms: its namespaces, what it changes from 1.16.0, and Cabas's 2.0.0 context.

2.0.0 keeps the prefixes and the local names of 1.16.0 (``dfc-b:Offer``, ``dfc-m:Kilogram``)
but moves every namespace to versioned w3id.org IRIs, renames the ``Enterprise`` class
``Organization``, and lists resources in LDP containers (``ldp:Container``, ``ldp:contains``).
The namespaces below are those of the 2.0.0 context as the connectors bundle it (sources in
docs/interop.md); they are facts about the standard, not a copy of its file.

Beside the object properties of 1.16.0, the 2.0.0 context makes ``V2_ADDED_OBJECT_PROPERTIES``
IRI-valued and no longer ``hasProcess``; the technical ontology adds ``dfc-t:owner``.
"""

from __future__ import annotations

from . import vocabulary

_ONTOLOGY = "http://w3id.org/dfc/ontology/v2.0.0/src/"
_TAXONOMIES = "http://w3id.org/dfc/taxonomies/v2.0.0/"

BUSINESS = _ONTOLOGY + "DFC_BusinessOntology.owl#"
TECHNICAL = _ONTOLOGY + "DFC_TechnicalOntology.owl#"
FULL_MODEL = "http://w3id.org/dfc/ontology/DFC_FullModel.owl#"
MEASURES = _TAXONOMIES + "measures.rdf#"
PRODUCT_TYPES = _TAXONOMIES + "productTypes.rdf#"
FACETS = _TAXONOMIES + "facets.rdf#"
VOCABULARY = _TAXONOMIES + "vocabulary.rdf#"
SCOPES = _TAXONOMIES + "scopes.rdf#"

# The W3C Linked Data Platform, whose containers 2.0.0 answers use for lists. Not a prefix of
# the 2.0.0 context: a list document declares it beside the context (``versions.Version``).
LDP = "http://www.w3.org/ns/ldp#"

PREFIXES = {
    **vocabulary.PREFIXES,
    "dfc": FULL_MODEL,
    "dc": "http://purl.org/dc/elements/1.1/",  # 1.16.0's ends with "/#"
    "dfc-b": BUSINESS,
    "dfc-t": TECHNICAL,
    "dfc-m": MEASURES,
    "dfc-pt": PRODUCT_TYPES,
    "dfc-f": FACETS,
    "dfc-v": VOCABULARY,
    "dfc-s": SCOPES,
}

V2_ADDED_OBJECT_PROPERTIES = frozenset(
    """
    certifies delivery hasGeoJsonFeature hasMember hasProductOption hasProductOptionValue
    hasReferenceProductOption hasReferenceProductOptionValue hasStep hasTemplateSaleSession
    hasVariantCaracteristic isCertifiedBy isMemberOf isStepOf isTemplateSaleSessionOf pickUp
    useVehicle usedInRoute
    """.split()
)
V2_REMOVED_OBJECT_PROPERTIES = frozenset({"hasProcess"})
OBJECT_PROPERTIES = (
    vocabulary.ONTOLOGY_OBJECT_PROPERTIES | V2_ADDED_OBJECT_PROPERTIES
) - V2_REMOVED_OBJECT_PROPERTIES
TECHNICAL_OBJECT_PROPERTIES = vocabulary.TECHNICAL_OBJECT_PROPERTIES | {"owner"}

# 1.16.0 class → its 2.0.0 name (the classes Cabas writes; the others keep their name).
RENAMED_CLASSES = {"Enterprise": "Organization"}


def context_2_0() -> dict:
    """The shipped 2.0.0 context (``jsonld/context_2.0.0.json``), built like 1.16.0's: the
    2.0.0 prefixes and every object property made IRIs (with the connectors' two)."""
    context: dict = dict(PREFIXES)
    for name in sorted(OBJECT_PROPERTIES | vocabulary.CONNECTOR_OBJECTS):
        context[f"dfc-b:{name}"] = {"@type": "@id"}
    for name in sorted(TECHNICAL_OBJECT_PROPERTIES):
        context[f"dfc-t:{name}"] = {"@type": "@id"}
    return {"@context": context}


if __name__ == "__main__":  # pragma: no cover - regenerates the shipped file
    import json
    from pathlib import Path

    target = Path(__file__).resolve().parent / "jsonld" / "context_2.0.0.json"
    target.write_text(json.dumps(context_2_0(), indent=2) + "\n", encoding="utf-8")
