"""Every paginated page reads ``?page=`` by one rule (``core.paging``)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from cabas.core.paging import page_number, page_of


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2", 2), (" 3 ", 3), ("4", 4),  # a page that exists
        ("-1", 1), ("0", 1), ("-999999", 1),  # below: the first, never the last
        ("5", 4), ("999999", 4), ("9" * 30, 4),  # above: the last
        ("abc", 1), ("", 1), (None, 1), ("1.5", 1), ("²", 1), ("9" * 5000, 1),  # no number
    ],
)  # fmt: skip
def test_a_page_number_is_the_nearest_page_or_the_first(text, shown):
    assert page_number(text, 4) == shown
    assert page_of(list(range(40)), 10, text).number == shown


def test_an_empty_list_has_its_one_page():
    assert page_of([], 10, "-1").number == page_of([], 10, "7").number == 1


def test_every_paginated_page_reads_its_number_by_the_one_rule():
    """Django's ``get_page`` shows the last page for ``?page=-1``: no module calls it, and
    ``Paginator`` is built only by ``core.paging``."""
    root = Path(settings.BASE_DIR) / "cabas"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "paging.py"
        and re.search(r"\.get_page\(|\bPaginator\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
