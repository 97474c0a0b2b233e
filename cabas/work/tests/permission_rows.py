"""The work pages' permission rows, gathered from each part's own ``rows_*.py`` list."""

import importlib
import pkgutil
from pathlib import Path

ROWS: dict = {}
for _module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
    if _module.name.startswith("rows_"):
        _rows = importlib.import_module(f"{__package__}.{_module.name}").ROWS
        assert not set(_rows) & set(ROWS), f"listed twice: {set(_rows) & set(ROWS)}"
        ROWS.update(_rows)
