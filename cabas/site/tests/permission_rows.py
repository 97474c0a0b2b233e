from cabas.core.tests.matrix import Row, slug_a, statuses

ROWS = {
    "home": Row(statuses(200, 302, 302, 302, 302, 302)),
    "site:public": Row(statuses(200, 200, 200, 200, 200, 200), kwargs=slug_a),
}
