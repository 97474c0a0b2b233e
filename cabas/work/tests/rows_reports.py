"""Permission rows of the duties and shifts reports (coordinators only)."""

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses

COORDINATORS = statuses(LOGIN, 403, 403, 403, 200, 404)

ROWS = {
    "work:reports": Row(COORDINATORS, kwargs=slug_a),
    "work:compensations": Row(COORDINATORS, kwargs=slug_a),
    "work:report_file": Row(
        COORDINATORS,
        kwargs=lambda world: {**slug_a(world), "table": "people", "file_format": "csv"},
    ),
}
