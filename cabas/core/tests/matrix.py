"""Building blocks of the permission matrix (see cabas/orgs/tests/test_permission_matrix.py).

Each app lists its URL patterns in ``cabas/<app>/tests/permission_rows.py`` as
``ROWS: dict[str, Row]``; the matrix test gathers them all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = ("anonymous", "member", "producer", "volunteer", "coordinator", "outsider")

LOGIN = 302  # anonymous visitors of a private page are sent to the login page


def statuses(anonymous, member, producer, volunteer, coordinator, outsider) -> dict[str, int]:
    """Expected HTTP status for each persona, in PERSONAS order."""
    return {
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
