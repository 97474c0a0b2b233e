from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses

ROWS = {
    "home": Row(statuses(200, 302, 302, 302, 302, 302)),
    "site:public": Row(statuses(200, 200, 200, 200, 200, 200), kwargs=slug_a),
    "site:member_home": Row(statuses(LOGIN, 200, 200, 200, 200, 404), kwargs=slug_a),
}
