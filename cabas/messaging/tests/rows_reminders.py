"""The messaging settings page (``views_reminders``) in the permission matrix: coordinators
only (Action.MANAGE_ORGANISATION)."""

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses

COORDINATORS = statuses(LOGIN, 403, 403, 403, 200, 404)

ROWS = {
    "messaging:settings": Row(COORDINATORS, kwargs=slug_a),
}
