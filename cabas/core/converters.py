"""Path converters of Cabas's URLs."""

from django.urls.converters import IntConverter


class IdConverter(IntConverter):
    """A database id in a path: 1 to 18 digits. A longer number cannot be an id (PostgreSQL's
    bigint and SQLite's integer stop at 2**63 - 1) and would overflow the query: the address
    is then simply not found."""

    regex = "[0-9]{1,18}"
