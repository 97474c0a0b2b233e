from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses

ROWS = {
    "orgs:public": Row(statuses(200, 200, 200, 200, 200, 200), kwargs=slug_a),
    "orgs:join": Row(statuses(LOGIN, 302, 302, 302, 302, 302), kwargs=slug_a, method="post"),
    "orgs:member_home": Row(statuses(LOGIN, 200, 200, 200, 200, 404), kwargs=slug_a),
}
