"""Placing, changing and cancelling orders: every rule, and nothing written on a refusal."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import translation

from cabas.catalog.models import Product
from cabas.orders import errors, services
from cabas.orders.models import Order, OrderLine
from cabas.orders.tests.factories import open_shop
from cabas.sales import services as sales_services
from cabas.sales.models import Pickup, SaleItem, Slot

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def shop():
    return open_shop()


def place(shop, user, lines, slot=None, pickup=None, **kwargs):
    slot = slot if slot is not None else shop.slots[0]
    return services.order_place(
        user=user,
        sale=shop.sale,
        pickup_id=(pickup or shop.pickup).pk,
        slot_id=slot.pk if slot else None,
        lines=[(shop.products[name].pk, D(q)) for name, q in lines],
        **kwargs,
    )


def state(shop):
    """Everything an order changes, to check that a refusal changed nothing."""
    return (
        list(Order.objects.values_list("pk", "status", "total")),
        list(OrderLine.objects.values_list("pk", "quantity")),
        list(
            SaleItem.objects.filter(sale=shop.sale).order_by("pk").values_list("quantity_ordered")
        ),
        list(Slot.objects.order_by("pk").values_list("booked")),
        list(Pickup.objects.order_by("pk").values_list("booked")),
        Product.objects.get(pk=shop.products["soap"].pk).stock_quantity,
    )


def test_an_order_freezes_prices_and_counts_stock_places_and_number(shop):
    member = shop.member()

    with TestCase.captureOnCommitCallbacks(execute=True):
        order = place(shop, member, [("bread", 2), ("cheese", 1), ("tomatoes", "1.5"),
                                     ("chicken", 1), ("soap", 3)])  # fmt: skip

    assert order.number == 1
    lines = {line.product_name: line for line in order.lines.all()}
    assert lines["Pain de campagne"].amount == D("8.40")
    assert lines["Tomates"].amount == D("6.00")
    assert (lines["Poulet"].unit_price, lines["Poulet"].amount) == (D("19.04"), D("19.04"))
    assert lines["Savon"].vat_rate == D("20.00")
    assert order.total == D("8.40") + D("6.50") + D("6.00") + D("19.04") + D("15.00")
    assert shop.item("cheese").quantity_ordered == 1
    assert Product.objects.get(pk=shop.products["soap"].pk).stock_quantity == 7
    shop.slots[0].refresh_from_db()
    assert shop.slots[0].booked == 1
    # the price changes later: the order keeps its price
    Product.objects.filter(pk=shop.products["bread"].pk).update(price=D("9.99"))
    assert OrderLine.objects.get(order=order, product_name="Pain de campagne").unit_price == D(
        "4.20"
    )
    assert len(mail.outbox) == 1
    assert place(shop, shop.member(), [("bread", 1)]).number == 2


@pytest.mark.parametrize(
    ("lines", "error"),
    [
        ([("bread", "0")], errors.QuantityInvalid),
        ([("bread", "-1")], errors.QuantityInvalid),
        ([("bread", "1.5")], errors.QuantityInvalid),
        ([("tomatoes", "0.7")], errors.QuantityInvalid),
        ([("tomatoes", "0.25")], errors.QuantityInvalid),
        ([("chicken", "0.5")], errors.QuantityInvalid),
        ([("tomatoes", "99.999")], errors.QuantityInvalid),  # above the line's maximum
        ([("tomatoes", "50.5")], errors.QuantityInvalid),
        ([("bread", "101")], errors.QuantityInvalid),
        ([("cheese", "6")], errors.OutOfStock),
        ([("soap", "11")], errors.OutOfStock),
        ([], errors.EmptyOrder),
    ],
)
def test_bad_quantities_are_refused_and_change_nothing(shop, lines, error):
    member = shop.member()
    before = state(shop)

    with pytest.raises(error):
        place(shop, member, lines)

    assert state(shop) == before


def test_a_line_holds_at_most_its_maximum_by_unit_and_says_so_in_french(shop):
    """A household's order: 50 kg by weight, 100 pieces (``rules.LINE_MAXIMUM``), the
    maximum itself accepted; a change above it is refused and changes nothing."""
    member = shop.member()
    order = place(shop, member, [("tomatoes", "50"), ("bread", "100")])
    before = state(shop)

    with translation.override("fr"), pytest.raises(errors.QuantityInvalid) as refused:
        services.order_change(order=order, pickup_id=order.pickup_id, slot_id=order.slot_id,
                              lines=[(shop.products["tomatoes"].pk, D("99.999"))])  # fmt: skip

    assert str(refused.value) == "« Tomates » : au plus 50 kg par commande."
    with translation.override("fr"), pytest.raises(errors.QuantityInvalid) as refused:
        place(shop, shop.member(), [("bread", "101")])
    assert str(refused.value) == "« Pain de campagne » : au plus 100 par commande."
    assert state(shop) == before


def test_out_of_stock_names_the_product_and_what_is_left(shop):
    place(shop, shop.member(), [("cheese", 4)])

    with pytest.raises(errors.OutOfStock) as refused:
        place(shop, shop.member(), [("bread", 1), ("cheese", 2)])

    assert str(refused.value) == "Il ne reste pas assez de « Tomme » : il en reste 1 pièce."
    assert refused.value.code == "out_of_stock"


@pytest.mark.parametrize(("stock", "left"), [("19", "19\u00a0kg"), ("9.5", "9,5\u00a0kg")])
def test_out_of_stock_tells_what_is_left_of_a_weight_product_with_its_unit(stock, left):
    shop = open_shop(cheese_stock=D(stock))
    Product.objects.filter(pk=shop.products["cheese"].pk).update(unit_kind="weight")

    with translation.override("fr"), pytest.raises(errors.OutOfStock) as refused:
        place(shop, shop.member(), [("cheese", "25")])

    assert str(refused.value) == f"Il ne reste pas assez de « Tomme » : il en reste {left}."
    assert refused.value.params["left"] == D(stock)
    assert not Order.objects.exists()


def test_out_of_stock_of_shop_stock_by_weight_tells_its_unit(shop):
    Product.objects.filter(pk=shop.products["soap"].pk).update(
        unit_kind="weight", stock_quantity=D("9.5")
    )

    with translation.override("fr"), pytest.raises(errors.OutOfStock) as refused:
        place(shop, shop.member(), [("soap", "25")])

    assert str(refused.value) == "Il ne reste pas assez de « Savon » : il en reste 9,5\u00a0kg."


def test_a_sold_out_item_between_others_is_named_and_nothing_is_counted(shop):
    # The items' counters are sent together on PostgreSQL: the refusal is still the item's
    # own, whichever its place among the order's items, and the others are given back.
    member = shop.member()
    before = state(shop)

    with pytest.raises(errors.OutOfStock) as refused:
        place(shop, member, [("bread", 1), ("cheese", 6), ("chicken", 1)])

    assert refused.value.params["product"] == "Tomme"
    assert state(shop) == before


def test_unknown_products_other_sales_and_other_organisations_are_refused(shop):
    other = open_shop()
    member = shop.member()
    before = state(shop)
    for product_id in (999_999, other.products["bread"].pk):
        with pytest.raises(errors.ProductNotInSale):
            services.order_place(user=member, sale=shop.sale, pickup_id=shop.pickup.pk,
                                 slot_id=shop.slots[0].pk, lines=[(product_id, D(1))])  # fmt: skip
    with pytest.raises(errors.SlotInvalid):
        place(shop, member, [("bread", 1)], slot=other.slots[0])
    with pytest.raises(errors.PickupInvalid):
        place(shop, member, [("bread", 1)], pickup=other.pickup)
    with pytest.raises(errors.SlotRequired):
        place(shop, member, [("bread", 1)], slot=False)
    assert state(shop) == before


def test_a_product_left_out_or_unavailable_cannot_be_ordered(shop):
    sales_services.sale_item_set_unavailable(item=shop.item("bread"), unavailable=True)

    with pytest.raises(errors.ProductUnavailable):
        place(shop, shop.member(), [("bread", 1)])


def test_one_active_order_per_member_and_sale(shop):
    member = shop.member()
    place(shop, member, [("bread", 1)])
    before = state(shop)

    with pytest.raises(errors.AlreadyOrdered):
        place(shop, member, [("cheese", 1)])

    assert state(shop) == before


def test_the_same_idempotency_key_returns_the_first_order(shop):
    member = shop.member()
    first = place(shop, member, [("bread", 1)], idempotency_key="abc")
    again = place(shop, member, [("bread", 1)], idempotency_key="abc")

    assert (again.pk, again.replayed, first.replayed) == (first.pk, True, False)
    assert Order.objects.count() == 1


def test_a_full_slot_is_refused_and_another_is_taken(shop):
    full = open_shop(slot_capacity=1)
    place(full, full.member(), [("bread", 1)], slot=full.slots[0])
    before = state(full)

    with pytest.raises(errors.SlotFull):
        place(full, full.member(), [("bread", 1)], slot=full.slots[0])

    assert state(full) == before
    assert place(full, full.member(), [("bread", 1)], slot=full.slots[1]).slot == full.slots[1]


def test_the_minimum_order_amount(shop):
    shop.sale.minimum_order_amount = D("10.00")
    shop.sale.save()

    with pytest.raises(errors.BelowMinimum) as refused:
        place(shop, shop.member(), [("bread", 2)])

    # Both amounts are marked as money where the refusal is raised.
    assert "10,00\xa0€" in str(refused.value) and "8,40\xa0€" in str(refused.value)
    assert place(shop, shop.member(), [("bread", 3)]).total == D("12.60")


def test_after_the_cutoff_nothing_is_placed_changed_or_cancelled(shop):
    member = shop.member()
    order = place(shop, member, [("bread", 1)])
    later = shop.sale.closes_at + timedelta(seconds=1)
    before = state(shop)

    with pytest.raises(errors.SaleClosed):
        place(shop, shop.member(), [("bread", 1)], now=later)
    with pytest.raises(errors.SaleClosed):
        services.order_change(order=order, lines=[(shop.products["bread"].pk, D(2))],
                              pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
                              now=later)  # fmt: skip
    with pytest.raises(errors.SaleClosed):
        services.order_cancel(order=order, now=later)

    assert state(shop) == before


def test_members_only_organisations_refuse_non_members(shop):
    shop.organisation.members_only = True
    shop.organisation.save()
    from cabas.accounts.tests.factories import UserFactory

    with pytest.raises(errors.NotAMember) as refused:
        place(shop, UserFactory(), [("bread", 1)])

    assert "renouvelez" in str(refused.value)
    assert place(shop, shop.member(), [("bread", 1)]).number == 1


def test_change_quantities_lines_and_slot_gives_back_and_takes(shop):
    member = shop.member()
    order = place(shop, member, [("cheese", 2), ("soap", 2), ("bread", 1)])
    Product.objects.filter(pk=shop.products["cheese"].pk).update(price=D("99"))

    with TestCase.captureOnCommitCallbacks(execute=True):
        order = services.order_change(
            order=order,
            lines=[(shop.products["cheese"].pk, D(3)), (shop.products["tomatoes"].pk, D(1))],
            pickup_id=shop.pickup.pk,
            slot_id=shop.slots[1].pk,
        )

    lines = {line.product_name: line for line in order.lines.all()}
    assert set(lines) == {"Tomme", "Tomates"}
    assert lines["Tomme"].unit_price == D("6.50")  # the frozen price of the kept line
    assert order.total == D("19.50") + D("4.00")
    assert shop.item("cheese").quantity_ordered == 3
    assert shop.item("bread").quantity_ordered == 0
    assert Product.objects.get(pk=shop.products["soap"].pk).stock_quantity == 10
    assert [s.booked for s in Slot.objects.filter(pickup=shop.pickup).order_by("starts_at")][
        :2
    ] == [0, 1]
    assert "modifiée" in mail.outbox[-1].subject


def test_a_change_that_breaks_a_rule_changes_nothing(shop):
    member = shop.member()
    order = place(shop, member, [("cheese", 2)])
    place(shop, shop.member(), [("cheese", 3)])
    before = state(shop)

    with pytest.raises(errors.OutOfStock):
        services.order_change(order=order, lines=[(shop.products["cheese"].pk, D(3))],
                              pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk)  # fmt: skip

    assert state(shop) == before


def test_cancel_gives_everything_back_and_allows_a_new_order(shop):
    member = shop.member()
    order = place(shop, member, [("cheese", 5), ("soap", 10)])

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.order_cancel(order=order)

    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert shop.item("cheese").quantity_ordered == 0
    assert Product.objects.get(pk=shop.products["soap"].pk).stock_quantity == 10
    assert Slot.objects.get(pk=shop.slots[0].pk).booked == 0
    assert "annulée" in mail.outbox[-1].subject
    assert place(shop, member, [("cheese", 5)]).number == 2


def test_confirmation_e_mail_with_calendar_in_the_members_language(shop):
    member = shop.member(language="en")

    with TestCase.captureOnCommitCallbacks(execute=True):
        order = place(shop, member, [("chicken", 2)], note="Merci !")

    message = mail.outbox[0]
    assert message.to == [member.email]
    assert message.subject.startswith("Your order n° 1 is confirmed")
    assert "Poulet" in message.body and "38.08" in message.body
    assert "Retrait au coffre, parking de la mairie" in message.body
    assert f"/orders/{order.code}/" in message.body
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("commande-1.ics", "text/calendar")
    content = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in content and "DTSTART" in content
    assert "Retrait au coffre" in content


def test_the_confirmation_reads_right_in_french_when_the_organisation_is_called_les(shop):
    """French contracts « de Les » into « des »: the sentences around an organisation's name
    are worded so that any name reads right (« chez Les Paniers… »)."""
    shop.organisation.name = "Les Paniers du Ségala"
    shop.organisation.save(update_fields=["name"])
    member = shop.member(language="fr")

    with TestCase.captureOnCommitCallbacks(execute=True):
        place(shop, member, [("chicken", 2)])

    body = mail.outbox[0].body
    assert "Votre commande n° 1 chez Les Paniers du Ségala est confirmée." in body
    assert "de Les " not in body
