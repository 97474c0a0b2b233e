#!/usr/bin/env python3
"""Lint: modules and functions stay small enough to read in one sitting.

Fails (exit 1, one line per finding) when a module of project code is longer than
``MODULE_MAX`` lines, or a function longer than ``FUNCTION_MAX`` lines (its decorators and
docstring included) does not say why on the line above its ``def``/decorators with a
``# long: <reason>`` comment. Migrations and the data modules listed in ``DATA_MODULES`` are
data, not logic; tests count like any code except that their modules may be longer
(``TEST_MODULE_MAX``: a test module is a list of independent cases). ``make lint`` and the test
suite run this check (``cabas/core/tests/test_size_lint.py``).

    bin/check_size.py [PATH ...]      (default: cabas config)
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = ("cabas", "config")
MODULE_MAX = 600
TEST_MODULE_MAX = 1000
FUNCTION_MAX = 60
REASON = "# long:"
# Modules that hold data (catalogues of demo products, member names…), not logic.
DATA_MODULES = {"cabas/demo/data.py"}


def is_test(path: Path) -> bool:
    return "tests" in path.parts or path.name.startswith("test_") or path.name == "conftest.py"


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def findings_in_source(source: str, *, test: bool = False, name: str = "<source>") -> Iterator[str]:
    lines = source.splitlines()
    limit = TEST_MODULE_MAX if test else MODULE_MAX
    if len(lines) > limit:
        yield f"{name}: {len(lines)} lines (at most {limit}): split it by concept"
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        first = min([node.lineno] + [d.lineno for d in node.decorator_list])
        length = node.end_lineno - first + 1
        if length <= FUNCTION_MAX:
            continue
        above = lines[first - 2].strip() if first >= 2 else ""
        if not above.startswith(REASON) or not above[len(REASON) :].strip():
            yield (
                f"{name}:{node.lineno}: {node.name}() is {length} lines (at most {FUNCTION_MAX}):"
                f" split it, or say why above it with '{REASON} <reason>'"
            )


def check(paths: list[Path]) -> list[str]:
    found = []
    for base in paths:
        for path in sorted(base.rglob("*.py")) if base.is_dir() else [base]:
            relative = _relative(path)
            if "migrations" in path.parts or relative in DATA_MODULES:
                continue
            found += findings_in_source(path.read_text(), test=is_test(path), name=relative)
    return found


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or [ROOT / name for name in DEFAULT_PATHS]
    found = check(paths)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
