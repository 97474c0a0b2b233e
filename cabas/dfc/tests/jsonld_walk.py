"""Walks an expanded JSON-LD document: its classes, predicates, taxonomy concepts and IRIs."""

KEYWORDS = {"@id", "@type", "@value", "@graph", "@context", "@language", "@list", "@set"}
# Predicates whose values are taxonomy concepts (a unit, a currency, a product type), by local
# name, whatever the version's namespace.
CONCEPT_VALUED = ("#hasUnit", "#hasType")


def new_found() -> dict:
    return {"classes": set(), "predicates": set(), "concepts": set(), "iris": set()}


def walk(node, found):
    """Add to ``found`` the classes, predicates and concepts of every node, nested ones too,
    and (``found["iris"]``, when present) every IRI a node has or points at."""
    if isinstance(node, list):
        for item in node:
            walk(item, found)
        return
    if not isinstance(node, dict):
        return
    if "@id" in node and "iris" in found:
        found["iris"].add(node["@id"])
    for key, value in node.items():
        if key == "@type":
            found["classes"].update(value if isinstance(value, list) else [value])
        elif key not in KEYWORDS:
            found["predicates"].add(key)
            for item in value:
                if key.endswith(CONCEPT_VALUED):
                    found["concepts"].add(item.get("@id"))
            walk(value, found)
