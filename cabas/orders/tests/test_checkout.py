"""The checkout service: the basket becomes the order (placed, or the member's order changed)
and the basket is emptied, in one transaction."""

from decimal import Decimal

import pytest

from cabas.orders import checkout, errors, services
from cabas.orders.models import Basket, BasketLine, Order
from cabas.orders.tests.factories import open_shop
from cabas.orders.tests.test_services import place, state
from cabas.sales.models import SaleItem, Slot

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def shop():
    return open_shop()


def basket_of(shop, member, lines):
    for name, quantity in lines:
        services.basket_set_quantity(
            sale=shop.sale, product_id=shop.products[name].pk, quantity=D(quantity), user=member
        )
    return services.basket_for(sale=shop.sale, user=member)


def submit(shop, member, basket, slot=None, key="web-1"):
    return services.checkout_submit(
        user=member, sale=shop.sale, basket=basket, pickup_id=shop.pickup.pk,
        slot_id=(slot or shop.slots[0]).pk, note="Merci", idempotency_key=key,
    )  # fmt: skip


def basket_lines(basket):
    return list(BasketLine.objects.filter(basket=basket).values_list("sale_item_id", "quantity"))


def test_success_places_the_order_and_empties_the_basket(shop):
    member = shop.member()
    basket = basket_of(shop, member, [("cheese", 2), ("bread", 1)])

    order = submit(shop, member, basket)

    assert order.replayed is False
    assert order.note == "Merci" and order.total == D("13.00") + D("4.20")
    assert sorted(order.lines.values_list("product_name", "quantity")) == [
        ("Pain de campagne", D(1)), ("Tomme", D(2)),
    ]  # fmt: skip
    assert not Basket.objects.filter(pk=basket.pk).exists()
    assert not BasketLine.objects.exists()


def test_a_refusal_leaves_the_basket_and_everything_else_intact(shop):
    member = shop.member()
    basket = basket_of(shop, member, [("cheese", 2)])
    for _ in range(shop.slots[0].capacity):  # the slot filled by other members' orders
        place(shop, shop.member(), [("bread", 1)], slot=shop.slots[0])
    assert Slot.objects.get(pk=shop.slots[0].pk).remaining == 0
    before, lines = state(shop), basket_lines(basket)

    with pytest.raises(errors.SlotFull):
        submit(shop, member, basket)

    assert state(shop) == before
    assert Basket.objects.filter(pk=basket.pk).exists() and basket_lines(basket) == lines


def test_emptying_the_basket_is_in_the_orders_transaction(shop, monkeypatch):
    """Were the basket's deletion to fail, the order placed just before is undone too."""
    member = shop.member()
    basket = basket_of(shop, member, [("cheese", 2)])
    before = state(shop)

    class Broken(RuntimeError):
        pass

    def failing_delete(basket_id):
        raise Broken

    monkeypatch.setattr(checkout, "_basket_delete", failing_delete)
    with pytest.raises(Broken):
        submit(shop, member, basket)

    assert state(shop) == before
    assert not Order.objects.exists()
    assert basket_lines(basket) == [(shop.item("cheese").pk, D(2))]


def test_the_idempotency_key_still_prevents_a_double_order(shop):
    member = shop.member()
    first = submit(shop, member, basket_of(shop, member, [("cheese", 2)]))
    basket = basket_of(shop, member, [("cheese", 2)])  # a double submit with a basket again

    second = submit(shop, member, basket)

    assert second.pk == first.pk and second.replayed is True
    assert Order.objects.count() == 1
    assert SaleItem.objects.get(pk=shop.item("cheese").pk).quantity_ordered == 2
    assert not Basket.objects.filter(pk=basket.pk).exists()


def test_a_basket_from_an_order_changes_that_order_then_is_emptied(shop):
    member = shop.member()
    order = submit(shop, member, basket_of(shop, member, [("cheese", 2)]))
    basket = services.basket_from_order(order=order)
    services.basket_set_quantity(
        sale=shop.sale, product_id=shop.products["cheese"].pk, quantity=D(3), user=member
    )

    changed = submit(shop, member, basket, slot=shop.slots[1], key="web-2")

    assert changed.pk == order.pk and Order.objects.count() == 1
    assert (changed.slot_id, changed.total) == (shop.slots[1].pk, D("19.50"))
    assert SaleItem.objects.get(pk=shop.item("cheese").pk).quantity_ordered == 3
    assert not Basket.objects.filter(pk=basket.pk).exists()


def test_a_refused_change_keeps_the_order_and_the_basket(shop):
    member = shop.member()
    order = submit(shop, member, basket_of(shop, member, [("cheese", 2)]))
    basket = services.basket_from_order(order=order)
    services.basket_set_quantity(
        sale=shop.sale, product_id=shop.products["cheese"].pk, quantity=D(5), user=member
    )
    SaleItem.objects.filter(pk=shop.item("cheese").pk).update(quantity_available=D(3))
    before, lines = state(shop), basket_lines(basket)

    with pytest.raises(errors.OutOfStock):
        submit(shop, member, basket, key="web-2")

    assert state(shop) == before
    assert basket_lines(basket) == lines


def test_someone_elses_basket_is_refused(shop):
    basket = basket_of(shop, shop.member(), [("cheese", 1)])

    with pytest.raises(errors.OrderNotFound):
        submit(shop, shop.member(), basket)

    assert not Order.objects.exists() and Basket.objects.filter(pk=basket.pk).exists()
