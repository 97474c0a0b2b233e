"""Building blocks of the permission matrix (see cabas/orgs/tests/test_permission_matrix.py).

Each app lists its URL patterns in ``cabas/<app>/tests/permission_rows.py`` as
``ROWS: dict[str, Row]``; the matrix test gathers them all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = (
    "anonymous",
    "member",
    "producer",
    "volunteer",
    "coordinator",
    "outsider",
    "supply",
)

LOGIN = 302  # anonymous visitors of a private page are sent to the login page


def statuses(
    anonymous, member, producer, volunteer, coordinator, outsider, *, supply=None
) -> dict[str, int]:
    """Expected HTTP status for each persona, in PERSONAS order. The supply team's member
    gets what any member gets unless ``supply`` says otherwise (its own pages)."""
    return {
        "supply": member if supply is None else supply,
        "anonymous": anonymous,
        "member": member,
        "producer": producer,
        "volunteer": volunteer,
        "coordinator": coordinator,
        "outsider": outsider,
    }


def no_kwargs(world) -> dict:
    return {}


def slug_a(world) -> dict:
    return {"slug": world.org_a.slug}


@dataclass
class Row:
    """One URL pattern: expected statuses, how to build its kwargs and request data.

    ``kwargs`` and ``data`` receive the ``world`` fixture (conftest.World) and may create
    objects of organisation A with factories. ``data`` is called once per persona.
    """

    expect: dict[str, int]
    kwargs: Callable[[Any], dict] = no_kwargs
    method: str = "get"
    data: Callable[[Any], dict] = field(default=lambda world: {})


def gather_rows(package: str, folder) -> dict:
    """The ``ROWS`` of every ``rows_*.py`` module of ``package`` (an app's tests folder),
    merged in name order; a URL name listed twice is an error."""
    import importlib
    import pkgutil

    rows: dict = {}
    for module in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if module.name.startswith("rows_"):
            found = importlib.import_module(f"{package}.{module.name}").ROWS
            assert not set(found) & set(rows), f"listed twice: {set(found) & set(rows)}"
            rows.update(found)
    return rows
