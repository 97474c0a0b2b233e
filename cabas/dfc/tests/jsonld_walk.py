"""Walks an expanded JSON-LD document: its classes, predicates and taxonomy concepts."""

from cabas.dfc import vocabulary

B = vocabulary.BUSINESS
CONCEPT_VALUED = {B + "hasUnit", B + "hasType"}
KEYWORDS = {"@id", "@type", "@value", "@graph", "@context", "@language", "@list", "@set"}


def walk(node, found):
    """Add to ``found`` the classes, predicates and concepts of every node, nested ones too."""
    if isinstance(node, list):
        for item in node:
            walk(item, found)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "@type":
            found["classes"].update(value if isinstance(value, list) else [value])
        elif key not in KEYWORDS:
            found["predicates"].add(key)
            for item in value:
                if key in CONCEPT_VALUED:
                    found["concepts"].add(item.get("@id"))
            walk(value, found)
