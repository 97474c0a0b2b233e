from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses

COORDINATORS = statuses(LOGIN, 403, 403, 403, 200, 404)

ROWS = {
    "money:member_list": Row(COORDINATORS, kwargs=slug_a),
    "money:member_import": Row(COORDINATORS, kwargs=slug_a),
    "money:member_invite_bulk": Row(COORDINATORS, kwargs=slug_a),
    "money:member_export": Row(COORDINATORS, kwargs=lambda w: {**slug_a(w), "file_format": "csv"}),
}
