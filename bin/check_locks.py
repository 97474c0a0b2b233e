#!/usr/bin/env python3
"""Lint: every row lock of Cabas lives in an app's ``lock_objects.py``.

Fails (exit 1, one line per finding) when project code outside those modules calls
``select_for_update`` (also by name, ``getattr(qs, "select_for_update")``) or holds SQL with
``FOR UPDATE``, ``FOR NO KEY UPDATE``, ``FOR SHARE``, ``FOR KEY SHARE``, ``LOCK TABLE`` or a
PostgreSQL advisory lock (``pg_advisory_xact_lock`` and its kin) in a string. Tests are
excluded (they may lock on purpose), told by their place below the checkout (or below the
folder named), never by the folders the checkout itself lives in; so are docstrings and
comments (prose may name a lock). The global order those modules follow is
``cabas/core/lock_order.py``; ``make lint`` and the test suite run this check.

    bin/check_locks.py [PATH ...]      (default: cabas config)
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = ("cabas", "config")
ALLOWED_NAME = "lock_objects.py"
LOCK_SQL = re.compile(
    r"\bFOR\s+(?:NO\s+KEY\s+)?UPDATE\b|\bFOR\s+(?:KEY\s+)?SHARE\b|\bLOCK\s+TABLE\b"
    r"|\bpg_(?:try_)?advisory(?:_xact)?_lock(?:_shared)?\b",
    re.I,
)
LOCK_CALL = "select_for_update"


def is_test(path: Path, base: Path = ROOT) -> bool:
    """Whether ``path`` is test code, by its parts below ``base`` (a checkout cloned into a
    folder named ``tests`` is not all tests)."""
    if path.is_relative_to(base):
        path = path.relative_to(base)
    return "tests" in path.parts or path.name.startswith("test_") or path.name == "conftest.py"


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (module, class, function)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                if isinstance(body[0].value.value, str):
                    found.add(id(body[0].value))
    return found


def findings_in_source(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, what) for every lock written in this Python source."""
    tree = ast.parse(source, filename=filename)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == LOCK_CALL:
            found.append((node.lineno, LOCK_CALL))
        elif isinstance(node, ast.Name) and node.id == LOCK_CALL:
            found.append((node.lineno, LOCK_CALL))
        elif isinstance(node, ast.Constant) and node.value == LOCK_CALL:
            found.append((node.lineno, LOCK_CALL))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and (match := LOCK_SQL.search(node.value))
        ):
            found.append((node.lineno, " ".join(match.group(0).upper().split())))
    return sorted(set(found))


def python_files(paths: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """Each Python file named or below a folder named, with the folder its place is read from
    (the checkout when it is inside it, else the named path's parent)."""
    for path in paths:
        path = path.resolve()
        base = ROOT if path.is_relative_to(ROOT) else path.parent
        if path.is_file() and path.suffix == ".py":
            yield path, base
        elif path.is_dir():
            for found in sorted(path.rglob("*.py")):
                if "migrations" not in found.relative_to(base).parts:
                    yield found, base


def check(paths: Iterable[Path]) -> list[str]:
    """One message per lock written outside a ``lock_objects.py`` (tests excluded)."""
    messages = []
    for path, base in python_files(paths):
        if path.name == ALLOWED_NAME or is_test(path, base):
            continue
        for line, what in findings_in_source(path.read_text(encoding="utf-8"), str(path)):
            try:
                shown = path.resolve().relative_to(ROOT)
            except ValueError:
                shown = path
            messages.append(
                f"{shown}:{line}: {what} outside lock_objects.py — put this lock in the app's "
                f"lock_objects.py, in the global order (cabas/core/lock_order.py)"
            )
    return messages


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or [ROOT / p for p in DEFAULT_PATHS]
    messages = check(paths)
    for message in messages:
        print(message)
    return 1 if messages else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
