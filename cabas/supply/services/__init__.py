"""Every write of the supply side, one module per concept; re-exported here so a caller
writes ``services.supplier_create`` wherever it lives."""

from .pricing import (  # noqa: F401
    price_coefficient_set,
    price_proposal_record,
    price_proposals_accept,
    price_proposals_dismiss,
    supply_settings_update,
)
from .purchase_orders import (  # noqa: F401
    purchase_order_cancel,
    purchase_order_create,
    purchase_order_line_remove,
    purchase_order_line_set,
    purchase_order_lines_set,
    purchase_order_send,
    purchase_order_update,
)
from .suppliers import (  # noqa: F401
    supplier_create,
    supplier_item_delete,
    supplier_item_save,
    supplier_update,
)
