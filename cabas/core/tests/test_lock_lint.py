"""The lint step of ``make lint`` (bin/check_locks.py): no row lock outside an app's
``lock_objects.py``. Runs here too, so ``make test`` catches a lock written elsewhere."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _load_checker():
    spec = importlib.util.spec_from_file_location("check_locks", ROOT / "bin" / "check_locks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_locks = _load_checker()


def test_the_project_takes_no_lock_outside_lock_objects():
    assert check_locks.check([ROOT / "cabas", ROOT / "config"]) == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("Order.objects.select_for_update().get(pk=1)\n", [(1, "select_for_update")]),
        ("qs = Order.objects.filter(pk=1)\nqs.select_for_update(of=('self',))\n",
         [(2, "select_for_update")]),
        ('cursor.execute("SELECT * FROM t WHERE id = %s FOR SHARE", [1])\n', [(1, "FOR SHARE")]),
        ('sql = f"SELECT id FROM {t} WHERE id = %s for  update"\n', [(1, "FOR UPDATE")]),
        ('SQL = "SELECT 1 FOR NO KEY UPDATE"\n', [(1, "FOR NO KEY UPDATE")]),
        ('SQL = "SELECT 1 FOR KEY SHARE"\n', [(1, "FOR KEY SHARE")]),
        ('getattr(Order.objects, "select_for_update")()\n', [(1, "select_for_update")]),
        ('cursor.execute("SELECT pg_advisory_xact_lock(%s)", [1])\n',
         [(1, "PG_ADVISORY_XACT_LOCK")]),
        ('cursor.execute("LOCK TABLE orders_order IN EXCLUSIVE MODE")\n', [(1, "LOCK TABLE")]),
    ],
)  # fmt: skip
def test_each_kind_of_lock_is_found(source, found):
    assert check_locks.findings_in_source(source) == found


def test_prose_about_locks_is_not_a_lock():
    source = (
        '"""Module: the sale is locked FOR UPDATE by coordinators."""\n'
        "def f():\n"
        '    """Takes the sale FOR SHARE first."""\n'
        "    # then select_for_update of the order, FOR UPDATE\n"
        "    return 1\n"
    )
    assert check_locks.findings_in_source(source) == []


def test_a_lock_planted_in_a_services_module_fails_the_check(tmp_path):
    app = tmp_path / "cabas" / "shop"
    (app / "tests").mkdir(parents=True)
    (app / "services.py").write_text(
        "from .models import Order\n\n\n"
        "def order_touch(order_id):\n"
        "    return Order.objects.select_for_update().get(pk=order_id)\n"
    )
    (app / "selectors.py").write_text('RAW = "SELECT * FROM shop_order WHERE id = %s FOR SHARE"\n')
    # allowed: the app's lock module and its tests
    (app / "lock_objects.py").write_text(
        "def order_lock(order_id):\n    return Order.objects.select_for_update().get(pk=order_id)\n"
    )
    (app / "tests" / "test_x.py").write_text("Order.objects.select_for_update()\n")

    messages = check_locks.check([tmp_path / "cabas"])

    advice = (
        "outside lock_objects.py — put this lock in the app's lock_objects.py, in the global "
        "order (cabas/core/lock_order.py)"
    )
    assert messages == [
        f"{app / 'selectors.py'}:1: FOR SHARE {advice}",
        f"{app / 'services.py'}:5: select_for_update {advice}",
    ]
    assert check_locks.main([str(tmp_path / "cabas")]) == 1
    assert check_locks.main([str(app / "lock_objects.py"), str(app / "tests")]) == 0


def test_a_checkout_inside_a_folder_named_tests_is_still_checked(tmp_path):
    app = tmp_path / "tests" / "cabas" / "shop"
    app.mkdir(parents=True)
    (app / "services.py").write_text("def f(orders):\n    return orders.select_for_update()\n")

    assert check_locks.main([str(tmp_path / "tests" / "cabas")]) == 1
