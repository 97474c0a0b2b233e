"""Permission rows of the money reports and receipts."""

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.orders.tests.factories import members_order_kwargs, pickup_kwargs, sale_kwargs

RUN_DISTRIBUTION = statuses(LOGIN, 403, 403, 200, 200, 404)
COORDINATORS = statuses(LOGIN, 403, 403, 403, 200, 404)
# The order's member and the organisation's coordinators; nobody else learns it exists.
MEMBER_OR_COORDINATOR = statuses(LOGIN, 200, 404, 404, 200, 404, supply=404)
# Anyone logged in: their own receipt (empty when they have no order here).
OWN = statuses(LOGIN, 200, 200, 200, 200, 200)


ROWS = {
    "money:cash_report": Row(RUN_DISTRIBUTION, kwargs=pickup_kwargs),
    "money:sale_money": Row(COORDINATORS, kwargs=sale_kwargs),
    "money:sale_accounting": Row(
        COORDINATORS, kwargs=lambda world: {**sale_kwargs(world), "file_format": "xlsx"}
    ),
    "money:sale_payouts": Row(
        COORDINATORS, kwargs=lambda world: {**sale_kwargs(world), "file_format": "csv"}
    ),
    "money:balances": Row(COORDINATORS, kwargs=slug_a),
    "money:purchases": Row(COORDINATORS, kwargs=slug_a),
    "money:purchase_journal": Row(
        COORDINATORS, kwargs=lambda world: {**slug_a(world), "file_format": "csv"}
    ),
    "money:order_receipt": Row(MEMBER_OR_COORDINATOR, kwargs=members_order_kwargs),
    "money:order_receipt_pdf": Row(MEMBER_OR_COORDINATOR, kwargs=members_order_kwargs),
    "money:period_receipt": Row(OWN, kwargs=slug_a),
    "money:period_receipt_pdf": Row(OWN, kwargs=slug_a),
}
