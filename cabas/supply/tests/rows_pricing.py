"""The pricing pages (``supply.views_pricing``) in the permission matrix: the coordinator and
the supply team have them."""

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses

SUPPLY = statuses(LOGIN, 403, 403, 403, 200, 404, supply=200)
SUPPLY_POST = statuses(LOGIN, 403, 403, 403, 302, 404, supply=302)

ROWS = {
    "supply:settings": Row(SUPPLY, kwargs=slug_a),
    "supply:coefficients": Row(SUPPLY, kwargs=slug_a),
    "supply:price_proposals": Row(SUPPLY, kwargs=slug_a),
}
