from cabas.core.tests.matrix import LOGIN, Row, statuses

ROWS = {
    "profile": Row(statuses(LOGIN, 200, 200, 200, 200, 200)),
}
