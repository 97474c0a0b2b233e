"""The supply reports (``views_reports``) in the permission matrix: the coordinator and the
supply team have them."""

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses

SUPPLY = statuses(LOGIN, 403, 403, 403, 200, 404, supply=200)

ROWS = {
    "supply:stock_value": Row(SUPPLY, kwargs=slug_a),
    "supply:stock_losses": Row(SUPPLY, kwargs=slug_a),
    "supply:cover": Row(SUPPLY, kwargs=slug_a),
    "supply:report_file": Row(
        SUPPLY, kwargs=lambda w: {**slug_a(w), "report": "cover", "file_format": "xlsx"}
    ),
}
