"""The supply pages' permission rows, gathered from each part's own ``rows_*.py`` list."""

from pathlib import Path

from cabas.core.tests.matrix import gather_rows

ROWS: dict = gather_rows(__package__, Path(__file__).parent)
