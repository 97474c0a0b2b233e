"""The one global order in which every transaction of Cabas takes its row locks.

A transaction that needs rows of several kinds locks them in this order, and the rows of one
table in ascending primary key: two transactions then never wait on each other crosswise, so
PostgreSQL never has to break a deadlock by failing one of them (a person's 500).

    organisation-level rows (incl. messages) → sale (share for order writers) → orders by pk
    → pickups by pk → slots by pk → sale items by pk → purchase orders → receptions
    → inventory sessions → products' shop stock by pk → counters
    → work periods (duties, shifts) → work sign-ups → shift counters → dashboards' rollups

Every lock lives in the ``lock_objects.py`` module of the app that owns the model; each of
their helpers says where it stands in this order. ``bin/check-locks`` fails when a lock is
written anywhere else, and ``cabas.core.tests.locks`` records the locks of a service call
on PostgreSQL and asserts they follow this order. Kept as table names so that ``core``
imports no other app.
"""

from __future__ import annotations

# (rank name, tables of that rank in their own order). The organisation-level rows are
# ordered among themselves too (settings and plans before memberships, memberships before
# their money), because one service may lock two of them.
LOCK_ORDER: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "organisation-level rows",
        (
            "orgs_organisation",
            "sales_salessettings",
            "sales_schedule",
            "sales_drive",
            "sales_pickuppoint",
            "orgs_invitation",
            "orgs_membership",
            "money_membershipperiod",
            "money_sharemovement",
            "money_accountentry",
            "messaging_message",
        ),
    ),
    ("sale", ("sales_sale",)),
    ("orders", ("orders_order",)),
    ("pickups", ("sales_pickup",)),
    ("slots", ("sales_slot",)),
    ("sale items", ("sales_saleitem",)),
    ("purchase orders", ("supply_purchaseorder",)),
    ("receptions", ("supply_reception",)),
    ("inventory sessions", ("catalog_inventorysession",)),
    ("products' shop stock", ("catalog_product",)),
    ("counters", ("orders_saleordercounter",)),
    ("work periods", ("work_workperiod",)),
    ("work sign-ups", ("work_signup",)),
    ("shift counters", ("work_shiftmember",)),
    # Marked stale at the end of a change to a closed sale's lines; refreshed alone.
    ("dashboards' rollups", ("insights_salerollup",)),
)

# table → (rank, position): compared as a tuple, the rank first.
TABLE_RANK: dict[str, tuple[int, int]] = {
    table: (rank, position)
    for rank, (_name, tables) in enumerate(LOCK_ORDER)
    for position, table in enumerate(tables)
}


def rank_name(table: str) -> str:
    return LOCK_ORDER[TABLE_RANK[table][0]][0]
