"""The lock-order checker itself (cabas/core/tests/locks.py), on SQL text: no database."""

import pytest

from cabas.core.tests.locks import (
    LockOrderError,
    LockStatement,
    assert_lock_order,
    check_lock_order,
    lock_statement_of,
    statements_of,
)

SALE_SHARE = 'SELECT * FROM "sales_sale" WHERE id = %s FOR SHARE'
SALE = 'SELECT "sales_sale"."id" FROM "sales_sale" WHERE "sales_sale"."id" = %s LIMIT 21 FOR UPDATE'
ORDER = (
    'SELECT "orders_order"."id" FROM "orders_order" INNER JOIN "sales_sale" ON (x) '
    'WHERE "orders_order"."id" = %s LIMIT 21 FOR UPDATE OF "orders_order"'
)
PICKUP = 'SELECT "sales_pickup"."id" FROM "sales_pickup" WHERE "sales_pickup"."id" = %s LIMIT 21 FOR UPDATE'  # noqa: E501
SLOT_TAKE = (
    'UPDATE "sales_slot" SET booked = booked + 1 WHERE id = %s AND is_open AND booked < capacity'  # noqa: E501
)
PICKUP_TAKE = 'UPDATE "sales_pickup" SET booked = booked + 1 WHERE id = %s AND (capacity IS NULL)'
ITEM_ADD = (
    'UPDATE "sales_saleitem" SET quantity_ordered = quantity_ordered + %s WHERE id = %s '
    "AND (quantity_available IS NULL OR quantity_available >= quantity_ordered + %s)"
)
NUMBER = (
    'WITH taken AS (UPDATE "orders_saleordercounter" SET last_number = last_number + 1 '
    'WHERE sale_id = %s RETURNING last_number) UPDATE "orders_order" SET number = '
    'taken.last_number FROM taken WHERE "orders_order".id = %s RETURNING "orders_order".number'
)


def parsed(*pairs):
    return [lock_statement_of(sql, params) for sql, params in pairs]


def test_lock_statements_are_read_from_the_sql():
    assert parsed(
        (SALE_SHARE, [7]), (ORDER, [3]), (PICKUP_TAKE, [5]), (SLOT_TAKE, [9]),
        (ITEM_ADD, ["2", 11, "2"]), (NUMBER, [7, 3]),
    ) == [
        LockStatement("sales_sale", "share", frozenset({7}), ""),
        LockStatement("orders_order", "update", frozenset({3}), ""),
        LockStatement("sales_pickup", "update", frozenset({5}), ""),
        LockStatement("sales_slot", "update", frozenset({9}), ""),
        LockStatement("sales_saleitem", "update", frozenset({11}), ""),
        LockStatement("orders_saleordercounter", "update", None, ""),
    ]  # fmt: skip
    assert lock_statement_of('SELECT "x"."id" FROM "x" WHERE "x"."id" = %s', [1]) is None
    assert (
        lock_statement_of('UPDATE "orders_orderline" SET amount = %s WHERE id = %s', [1, 2]) is None
    )  # noqa: E501
    several = lock_statement_of(
        'SELECT * FROM "sales_pickup" WHERE "sales_pickup"."id" IN (%s, %s, %s) '
        'ORDER BY "sales_pickup"."id" ASC FOR UPDATE', [4, 2, 9]
    )  # fmt: skip
    assert (several.pks, several.unordered_rows) == (frozenset({2, 4, 9}), False)
    # An upsert locks the rows it finds (Django's bulk_create(update_conflicts=True)).
    upsert = (
        'INSERT INTO "insights_salerollup" ("sale_id", "fresh", "refreshed_at") VALUES (%s, %s, '
        '%s) ON CONFLICT("sale_id") DO UPDATE SET "fresh" = EXCLUDED."fresh"'
    )
    assert lock_statement_of(upsert, [4, False, None]) == LockStatement(
        "insights_salerollup", "update", None, ""
    )
    assert lock_statement_of('INSERT INTO "orders_order" ("id") VALUES (%s)', [1]) is None


def test_the_order_placement_sequence_follows_the_global_order():
    statements = parsed(
        (SALE_SHARE, [7]), (PICKUP_TAKE, [5]), (SLOT_TAKE, [9]),
        (ITEM_ADD, ["1", 11, "1"]), (ITEM_ADD, ["1", 12, "1"]), (NUMBER, [7, 3]),
    )  # fmt: skip
    assert check_lock_order(statements) == []
    assert_lock_order(statements)


def test_statements_sent_together_are_read_one_by_one_with_their_parameters():
    together = f"{ITEM_ADD}; {ITEM_ADD}; {ITEM_ADD}"
    statements = parsed(*statements_of(together, ["1", 11, "1", "2", 14, "2", "1", 12, "1"]))
    assert [statement.pks for statement in statements] == [
        frozenset({11}), frozenset({14}), frozenset({12}),
    ]  # fmt: skip
    assert check_lock_order(statements)  # 14 before 12: out of key order
    assert statements_of(ITEM_ADD, ["1", 11, "1"]) == [(ITEM_ADD, ["1", 11, "1"])]


def test_the_old_coordinators_move_is_refused_order_then_sale():
    statements = parsed((ORDER, [3]), (SALE, [7]))

    assert check_lock_order(statements) == [
        "#2 sales_sale[7] update: goes back to sale after orders_order[3] update (orders)"
    ]
    with pytest.raises(LockOrderError, match="goes back to sale"):
        assert_lock_order(statements)


def test_the_old_pickup_closing_is_refused_pickup_then_sale_update():
    statements = parsed(
        ('SELECT "orders_order"."id" FROM "orders_order" WHERE "orders_order"."pickup_id" = %s '
         'ORDER BY "orders_order"."id" ASC FOR UPDATE', [5]),
        (PICKUP, [5]),
        ('UPDATE "sales_sale" SET "status" = %s WHERE ("sales_sale"."id" = %s AND '
         '"sales_sale"."status" IN (%s))', ["distributed", 7, "closed"]),
    )  # fmt: skip

    assert check_lock_order(statements) == [
        "#3 sales_sale[7] update: goes back to sale after sales_pickup[5] update (pickups)"
    ]


def test_slots_before_pickups_rows_out_of_key_order_and_upgrades_are_refused():
    assert check_lock_order(parsed((SLOT_TAKE, [9]), (PICKUP_TAKE, [5]))) == [
        "#2 sales_pickup[5] update: goes back to pickups after sales_slot[9] update (slots)"
    ]
    assert check_lock_order(parsed((ITEM_ADD, ["1", 12, "1"]), (ITEM_ADD, ["1", 11, "1"]))) == [
        "#2 sales_saleitem[11] update: sales_saleitem rows not in ascending primary key (after 12)"
    ]
    assert check_lock_order(parsed((SALE_SHARE, [7]), (SALE, [7]))) == [
        "#2 sales_sale[7] update: upgrades a share lock to FOR UPDATE"
    ]


def test_rows_already_held_or_created_by_the_call_take_no_new_lock():
    statements = parsed(
        (SALE, [7]), (PICKUP, [5]),
        ('UPDATE "sales_sale" SET "status" = %s WHERE ("sales_sale"."id" = %s)', ["x", 7]),
        ('UPDATE "orders_order" SET "number" = %s WHERE "orders_order"."id" = %s', [1, 40]),
    )  # fmt: skip
    assert check_lock_order(statements, {"orders_order": 39}) == []
    assert check_lock_order(statements, {"orders_order": 40}) == [
        "#4 orders_order[40] update: goes back to orders after sales_pickup[5] update (pickups)"
    ]


def test_a_lock_over_a_join_without_of_and_several_unordered_rows_are_refused():
    joined = 'SELECT * FROM "orders_order" INNER JOIN "sales_sale" ON (x) WHERE "orders_order"."id" = %s LIMIT 21 FOR UPDATE'  # noqa: E501
    unordered = 'SELECT * FROM "sales_slot" WHERE "sales_slot"."pickup_id" = %s FOR UPDATE'
    unknown = 'SELECT * FROM "sales_closingperiod" WHERE id = %s FOR UPDATE'
    assert check_lock_order(parsed((joined, [3]), (unordered, [5]), (unknown, [1]))) == [
        "#1 orders_order[3] update: locks the joined rows too — lock with of=('self',)",
        "#2 sales_slot[?] update: several rows locked without ORDER BY primary key",
        "#3 sales_closingperiod[1] update: table not in the global lock order "
        "(cabas.core.lock_order)",
    ]
