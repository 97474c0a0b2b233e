from cabas.core.tests.matrix import Row, statuses

ROWS = {
    "home": Row(statuses(200, 302, 302, 302, 302, 302)),
}
