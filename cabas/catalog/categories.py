"""The fixed category tree of products.

Codes are stable (stored in the database, used in imports); labels are translated.
A product's category is any node of the tree; ``family_of`` gives its top-level family.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    children: tuple["Category", ...] = field(default_factory=tuple)


TREE: tuple[Category, ...] = (
    Category(
        "vegetables",
        _("Vegetables"),
        (
            Category("vegetables-fresh", _("Fresh vegetables")),
            Category("vegetables-salad", _("Salads and herbs")),
            Category("vegetables-potatoes", _("Potatoes and roots")),
        ),
    ),
    Category(
        "fruit",
        _("Fruit"),
        (
            Category("fruit-fresh", _("Fresh fruit")),
            Category("fruit-dried", _("Dried fruit and nuts")),
        ),
    ),
    Category(
        "dairy",
        _("Dairy and cheese"),
        (
            Category("dairy-cheese", _("Cheese")),
            Category("dairy-milk", _("Milk, cream and butter")),
            Category("dairy-yoghurt", _("Yoghurts and desserts")),
        ),
    ),
    Category(
        "meat",
        _("Meat and charcuterie"),
        (
            Category("meat-beef", _("Beef and veal")),
            Category("meat-pork", _("Pork")),
            Category("meat-lamb", _("Lamb")),
            Category("meat-poultry", _("Poultry")),
            Category("meat-charcuterie", _("Charcuterie")),
        ),
    ),
    Category("eggs", _("Eggs")),
    Category(
        "bakery",
        _("Bread and bakery"),
        (
            Category("bakery-bread", _("Bread")),
            Category("bakery-pastry", _("Pastries and biscuits")),
        ),
    ),
    Category(
        "grocery",
        _("Grocery"),
        (
            Category("grocery-flour", _("Flour, cereals and pulses")),
            Category("grocery-oil", _("Oils and vinegars")),
            Category("grocery-preserves", _("Preserves, jams and honey")),
            Category("grocery-spices", _("Salt, spices and condiments")),
        ),
    ),
    Category(
        "drinks",
        _("Drinks"),
        (
            Category("drinks-beer", _("Beer")),
            Category("drinks-wine", _("Wine and cider")),
            Category("drinks-juice", _("Juices and soft drinks")),
        ),
    ),
    Category(
        "hygiene",
        _("Hygiene and home"),
        (
            Category("hygiene-soap", _("Soap and body care")),
            Category("hygiene-home", _("Household products")),
        ),
    ),
    Category("other", _("Other")),
)


def _walk(nodes, parent=None):
    for node in nodes:
        yield node, parent
        yield from _walk(node.children, node)


_BY_CODE = {node.code: (node, parent) for node, parent in _walk(TREE)}


def choices() -> list[tuple[str, list[tuple[str, str]]] | tuple[str, str]]:
    """Django choices: families as groups of their subcategories (a family is choosable too)."""
    result: list = []
    for family in TREE:
        if family.children:
            options = [(family.code, family.label)] + [(c.code, c.label) for c in family.children]
            result.append((family.label, options))
        else:
            result.append((family.code, family.label))
    return result


def is_valid(code: str) -> bool:
    return code in _BY_CODE


def family_of(code: str) -> Category | None:
    if code not in _BY_CODE:
        return None
    node, parent = _BY_CODE[code]
    return parent or node


def label_of(code: str) -> str:
    node = _BY_CODE.get(code)
    return str(node[0].label) if node else code


def codes_in_family(code: str) -> list[str]:
    """The family's code and all its subcategories' codes (for filtering by family)."""
    node = _BY_CODE[code][0]
    return [node.code] + [child.code for child in node.children]
