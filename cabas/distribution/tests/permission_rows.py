"""The distribution pages' permission rows, gathered from each part's own list."""

from .rows_checkin import ROWS as CHECKIN
from .rows_sheets import ROWS as SHEETS
from .rows_summaries import ROWS as SUMMARIES

ROWS = {**CHECKIN, **SUMMARIES, **SHEETS}
