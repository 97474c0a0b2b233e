"""Every write of the supply side, one module per concept; re-exported here so a caller
writes ``services.supplier_create`` wherever it lives."""

from .price_lists import (  # noqa: F401
    supplier_price_import_apply,
    supplier_price_import_check,
    supplier_price_import_create,
)
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
from .receptions import (  # noqa: F401
    reception_all_as_ordered,
    reception_differences_send,
    reception_line_add,
    reception_line_count,
    reception_start,
    reception_validate,
)
from .suppliers import (  # noqa: F401
    supplier_create,
    supplier_item_delete,
    supplier_item_save,
    supplier_update,
)
from .weekly import (  # noqa: F401
    SupplyTickReport,
    supply_tick,
    supply_weekly_alert_record,
)
