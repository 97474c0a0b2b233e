"""The DFC API's URL patterns in the permission matrix: the published catalog is public
(what the organisation's public page shows), so every visitor reads it."""

from cabas.core.tests.matrix import Row, slug_a, statuses

EVERYONE = statuses(200, 200, 200, 200, 200, 200)
NOT_FOUND = statuses(404, 404, 404, 404, 404, 404)

ROWS = {
    "dfc:enterprise": Row(EVERYONE, kwargs=slug_a),
    "dfc:not_found": Row(NOT_FOUND, kwargs=lambda world: {"rest": "nothing/here"}),
}
