"""The dashboards in the permission matrix: coordinators only (members see no figures)."""

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses

COORDINATORS = statuses(LOGIN, 403, 403, 403, 200, 404)

PRODUCERS = statuses(LOGIN, 403, 200, 403, 200, 404)

ROWS = {
    "insights:dashboard": Row(COORDINATORS, kwargs=slug_a),
    "insights:producer_dashboard": Row(PRODUCERS, kwargs=slug_a),
}
