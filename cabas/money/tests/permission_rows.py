"""The money pages' permission rows, gathered from each part's own list."""

from .rows_accounts import ROWS as ACCOUNTS
from .rows_members import ROWS as MEMBERS
from .rows_reports import ROWS as REPORTS

ROWS = {**ACCOUNTS, **REPORTS, **MEMBERS}
