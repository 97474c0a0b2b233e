"""Each database constraint an order's write can break is told as its own refusal (never
"you already ordered" for a full slot), and the refusal changes nothing.

The services check every rule before writing, so these constraints only fire under races.
To make each one fire inside a real placement, the placement's last step (numbering the
order) is preceded by one real statement that breaks the constraint, as a concurrent
request would have; the database's own constraint then refuses the transaction.
"""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import F

from cabas.catalog.models import Product
from cabas.core.db import FOREIGN_KEY, POSITIVE, column_checks, violated_constraint
from cabas.orders import counting, errors, refusals, services
from cabas.orders.models import Order, OrderLine
from cabas.orders.tests.factories import open_shop
from cabas.orders.tests.test_services import place, state
from cabas.sales.models import Pickup, SaleItem, Slot

D = Decimal


def _slot_over_capacity(shop, order):
    Slot.objects.filter(pk=shop.slots[0].pk).update(booked=F("capacity") + 1)


def _pickup_over_capacity(shop, order):
    Pickup.objects.filter(pk=shop.pickup.pk).update(capacity=1, booked=2)


def _item_over_available(shop, order):
    SaleItem.objects.filter(pk=shop.item("cheese").pk).update(
        quantity_ordered=F("quantity_available") + 1
    )


def _shop_stock_negative(shop, order):
    Product.objects.filter(pk=shop.products["soap"].pk).update(stock_quantity=D("-1"))


def _number_taken(shop, order):
    Order.objects.filter(pk=order.pk).update(number=1)  # the first order of the sale has it


def _total_negative(shop, order):
    Order.objects.filter(pk=order.pk).update(total=D("-1"))


def _line_quantity_zero(shop, order):
    OrderLine.objects.filter(order=order).update(quantity=0)


def _line_amount_negative(shop, order):
    OrderLine.objects.filter(order=order).update(amount=D("-1"))


def _line_twice(shop, order):
    line = OrderLine.objects.filter(order=order).first()
    line.pk = None
    line.save()


def _slot_negative(shop, order):
    Slot.objects.filter(pk=shop.slots[1].pk).update(booked=-1)


def _pickup_negative(shop, order):
    Pickup.objects.filter(pk=shop.pickup.pk).update(booked=-1)


def _item_negative(shop, order):
    SaleItem.objects.filter(pk=shop.item("bread").pk).update(quantity_ordered=-1)


def _key_of_another_order(shop, order):
    Order.objects.filter(pk=order.pk).update(idempotency_key="first-key")


BREAKERS = {
    "slot_booked_within_capacity": (_slot_over_capacity, errors.PlaceFull, "slot_full"),
    "pickup_booked_within_capacity": (_pickup_over_capacity, errors.PlaceFull, "slot_full"),
    "saleitem_ordered_within_available": (_item_over_available, errors.ItemSoldOut,
                                          "out_of_stock"),
    "product_stock_not_negative": (_shop_stock_negative, errors.ItemSoldOut, "out_of_stock"),
    "order_number_unique": (_number_taken, errors.OrderConflict, "order_conflict"),
    "order_total_not_negative": (_total_negative, errors.LinesInvalid, "validation_error"),
    "orderline_quantity_positive": (_line_quantity_zero, errors.LinesInvalid, "validation_error"),
    "orderline_amount_not_negative": (_line_amount_negative, errors.LinesInvalid,
                                      "validation_error"),
    "orderline_unique_item": (_line_twice, errors.OrderConflict, "order_conflict"),
    "slot_booked_not_negative": (_slot_negative, errors.OrderConflict, "order_conflict"),
    "pickup_booked_not_negative": (_pickup_negative, errors.OrderConflict, "order_conflict"),
    "saleitem_ordered_not_negative": (_item_negative, errors.OrderConflict, "order_conflict"),
    "order_idempotency_key_unique": (_key_of_another_order, errors.OrderConflict,
                                     "order_conflict"),
}  # fmt: skip

# Constraints of the models an order's write touches that no order write can break, and why.
NOT_WRITTEN_BY_ORDERS = {
    "pickup_ends_after_start": "pickup times are the coordinator's",
    "pickup_capacity_positive": "pickup capacity is the coordinator's",
    "pickup_capacity_mode_has_capacity": "pickup settings are the coordinator's",
    "pickup_slot_mode_has_slot_settings": "pickup settings are the coordinator's",
    "slot_unique_start": "slots are created by the sales services",
    "slot_ends_after_start": "slots are created by the sales services",
    "slot_capacity_positive": "slot capacity is the coordinator's",
    "saleitem_unique_product": "sale items are created by the sales services",
    "saleitem_available_not_negative": "quantity available is the coordinator's",
    "product_reference_unique_per_producer": "products are the catalog's",
    "product_external_id_unique_per_producer": "products are the catalog's (its imports)",
    "product_price_not_negative": "prices are the catalog's",
    "product_quantity_step_positive": "steps are the catalog's",
    "product_content_complete": "contents are the catalog's",
    "product_stock_minimum_not_negative": "stock minimums are the supply team's",
    POSITIVE + "capacity": "capacities are the coordinator's",
    POSITIVE + "content_count": "copied from the product, whose service checks it",
    POSITIVE + "slot_capacity": "pickup settings are the coordinator's",
    POSITIVE + "slot_minutes": "pickup settings are the coordinator's",
}


def _constraints_of_written_models() -> set[str]:
    names = set(column_checks(refusals.WRITTEN_MODELS).values())
    for model in refusals.WRITTEN_MODELS:
        names |= {constraint.name for constraint in model._meta.constraints}
    return names


def test_every_constraint_an_order_write_touches_has_its_refusal():
    written = _constraints_of_written_models()
    unmapped = written - set(services.CONSTRAINT_ERRORS) - set(NOT_WRITTEN_BY_ORDERS)
    assert unmapped == set(), f"constraints without a refusal: {sorted(unmapped)}"
    assert set(services.CONSTRAINT_ERRORS) - {FOREIGN_KEY} <= written
    assert set(NOT_WRITTEN_BY_ORDERS) <= written
    # every mapped constraint but the one-order rule (tested below) is provoked here
    assert set(BREAKERS) == {
        name
        for name in services.CONSTRAINT_ERRORS
        if name not in (FOREIGN_KEY, "order_one_active_per_member_and_sale")
        and not name.startswith(POSITIVE)  # broken together with a named one (below)
    }


@pytest.fixture
def shop(db):
    return open_shop()


@pytest.fixture
def broken(monkeypatch):
    """``broken(breaker)``: the next placement runs ``breaker(shop, order)`` just before it
    numbers the order (inside its transaction)."""

    def arm(shop, breaker):
        number_order = counting.number_order

        def breaking(order):
            breaker(shop, order)
            return number_order(order)

        monkeypatch.setattr(counting, "number_order", breaking)

    return arm


@pytest.mark.django_db
@pytest.mark.parametrize("constraint", sorted(BREAKERS))
def test_a_broken_constraint_is_told_as_its_own_refusal(shop, broken, constraint):
    breaker, refusal, code = BREAKERS[constraint]
    first = shop.member()
    place(shop, first, [("bread", 1)], slot=shop.slots[1], idempotency_key="first-key")
    member = first if constraint == "order_idempotency_key_unique" else shop.member()
    if member is first:
        services.order_cancel(order=Order.objects.get(user=first))
    before = state(shop)
    broken(shop, breaker)

    with pytest.raises(refusal) as caught:
        place(shop, member, [("bread", 1), ("cheese", 1), ("soap", 1)], idempotency_key="k2")

    assert caught.value.code == code
    assert type(caught.value) is refusal
    assert isinstance(caught.value.__cause__, IntegrityError)
    # SQLite checks a positive column's own check before the named one
    told = violated_constraint(caught.value.__cause__, refusals.WRITTEN_MODELS)
    assert told in (constraint, POSITIVE + "booked", POSITIVE + "number")
    assert told == constraint or constraint.endswith("_not_negative")
    assert state(shop) == before
    assert not Order.objects.filter(user=member).exclude(status="cancelled").exists()


@pytest.mark.django_db
def test_a_second_order_of_the_same_member_is_already_ordered(shop):
    member = shop.member()
    place(shop, member, [("bread", 1)])
    before = state(shop)

    with pytest.raises(errors.AlreadyOrdered) as caught:
        place(shop, member, [("cheese", 1)], slot=shop.slots[1])

    assert caught.value.code == "already_ordered"
    assert violated_constraint(caught.value.__cause__, refusals.WRITTEN_MODELS) == (
        "order_one_active_per_member_and_sale"
    )
    assert state(shop) == before


@pytest.mark.django_db
def test_a_broken_constraint_while_changing_an_order_is_told_too(shop, monkeypatch):
    member = shop.member()
    order = place(shop, member, [("bread", 1)])
    before = state(shop)
    count = counting.count

    def breaking(changes, items, **kwargs):
        _item_over_available(shop, order)
        return count(changes, items, **kwargs)

    monkeypatch.setattr(counting, "count", breaking)

    with pytest.raises(errors.ItemSoldOut):
        services.order_change(
            order=order, lines=[(shop.products["bread"].pk, D(2))],
            pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
        )  # fmt: skip

    assert state(shop) == before


@pytest.mark.django_db(transaction=True)
def test_a_row_removed_meanwhile_is_told_as_removed(shop, broken):
    """Foreign keys are checked at COMMIT (deferred) on both databases: the placement's own
    transaction must be the outermost one, hence a transactional test."""
    member = shop.member()
    before = state(shop)

    def point_to_nothing(shop, order):
        OrderLine.objects.filter(order=order).update(product_id=10**9)

    broken(shop, point_to_nothing)

    with pytest.raises(errors.SomethingRemoved) as caught:
        place(shop, member, [("bread", 1)])

    assert caught.value.code == "validation_error"
    assert violated_constraint(caught.value.__cause__, ()) == FOREIGN_KEY
    assert state(shop) == before


@pytest.mark.django_db
def test_an_unknown_constraint_is_not_hidden():
    """A constraint no refusal was written for is a bug: it is raised as it is."""
    with pytest.raises(IntegrityError), transaction.atomic():
        try:
            with transaction.atomic():
                apps.get_model("sales", "Slot").objects.create(
                    pickup_id=10**9, starts_at=None, ends_at=None, capacity=1
                )
        except IntegrityError as exc:
            services.constraint_refusal(exc)
