"""The shop stock as a ledger: every change is a movement with its reason (and its order),
and the stored stock is the sum of the movements, whatever writes it."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from cabas.catalog import services as catalog_services
from cabas.catalog.models import Product, StockMovement
from cabas.core.tests.concurrency import postgresql_only, run_together
from cabas.orders import services
from cabas.orders.tests.factories import distribution_day, open_shop
from cabas.orgs.models import Membership

D = Decimal


def _ledger(product) -> tuple[Decimal, Decimal]:
    """(the sum of the product's movements, its stored stock)."""
    total = StockMovement.objects.filter(product=product).aggregate(total=Sum("delta"))["total"]
    return total or D("0"), Product.objects.get(pk=product.pk).stock_quantity


def _movements(product) -> list[tuple]:
    return list(
        StockMovement.objects.filter(product=product)
        .order_by("pk")
        .values_list("reason", "delta", "quantity_after", "order_id")
    )


def _soap_shop(**kwargs):
    shop = open_shop(**kwargs)
    soap = shop.products["soap"]  # 10 in the shop, made by a factory: its opening here
    catalog_services.stock_openings_record(products=[soap])
    return shop, soap


def _place(shop, member, quantity):
    return services.order_place(
        user=member, sale=shop.sale, pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
        lines=[(shop.products["soap"].pk, D(quantity))],
    )  # fmt: skip


@pytest.mark.django_db
def test_a_drive_order_placed_changed_and_cancelled_is_in_the_ledger():
    shop, soap = _soap_shop()
    member = shop.member()

    order = _place(shop, member, 2)
    services.order_change(
        order=order, lines=[(soap.pk, D(3))], pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk
    )
    services.order_cancel(order=order)

    assert _movements(soap) == [
        ("opening", D("10"), D("10"), None),
        ("order_placed", D("-2"), D("8"), order.pk),
        ("order_changed", D("-1"), D("7"), order.pk),
        ("order_cancelled", D("3"), D("10"), order.pk),
    ]
    assert _ledger(soap) == (D("10"), D("10"))
    assert set(StockMovement.objects.values_list("made_by", flat=True)) == {None, member.pk}


@pytest.mark.django_db
def test_hand_changes_inventories_and_product_edits_are_movements_with_their_reason():
    shop, soap = _soap_shop()
    user = shop.member()

    catalog_services.stock_adjust(product=soap, delta=D("12"), reason="reception", made_by=user,
                                  note="Livraison Biocoop")  # fmt: skip
    catalog_services.stock_adjust(product=soap, delta=D("-1"), reason="breakage", made_by=user)
    catalog_services.stock_set(product=soap, quantity=D("20"), made_by=user)
    catalog_services.product_update(product=Product.objects.get(pk=soap.pk),
                                    stock_quantity=D("18"), price=D("5.50"))  # fmt: skip

    assert [(reason, delta) for reason, delta, _after, _order in _movements(soap)] == [
        ("opening", D("10")), ("reception", D("12")), ("breakage", D("-1")),
        ("inventory", D("-1")), ("correction", D("-2")),
    ]  # fmt: skip
    assert _ledger(soap) == (D("18"), D("18"))


@pytest.mark.django_db
def test_a_new_product_opens_its_ledger_and_a_copy_starts_empty():
    shop, soap = _soap_shop()
    made = catalog_services.product_create(
        organisation=shop.organisation, producer=soap.producer, name="Savon au lait",
        price=D("6"), vat_rate=D("20"), stock_mode="shop", stock_quantity=D("24"),
    )  # fmt: skip
    copy = catalog_services.product_duplicate(product=made)

    assert _movements(made) == [("opening", D("24"), D("24"), None)]
    assert _ledger(made) == (D("24"), D("24"))
    assert _ledger(copy) == (D("0"), D("0"))


@pytest.mark.django_db
def test_saving_a_product_form_read_before_an_order_keeps_the_order_s_units():
    """The edit form's product was read before a member ordered: saving its other fields
    does not write back the stock it read (the order's 2 units stay taken)."""
    shop, soap = _soap_shop()
    read_by_the_form = Product.objects.get(pk=soap.pk)
    _place(shop, shop.member(), 2)

    catalog_services.product_update(product=read_by_the_form, price=D("5.20"))

    assert _ledger(soap) == (D("8"), D("8"))


@pytest.mark.django_db
def test_a_coordinator_s_correction_after_the_cutoff_moves_the_shop_stock():
    day = distribution_day()
    soap = day.products["soap"]
    catalog_services.stock_openings_record(products=[Product.objects.get(pk=soap.pk)])
    before = _ledger(soap)
    coordinator = day.member()

    line = services.order_line_add(order=day.orders[0], product=soap, quantity=D(2),
                                   by=coordinator, reason="Oublié")  # fmt: skip
    after_add = _ledger(soap)
    services.order_line_remove(line=line, by=coordinator, reason="Erreur")

    assert after_add == (before[0] - 2, before[1] - 2)
    assert _ledger(soap) == before
    assert [m[0] for m in _movements(soap)][-2:] == ["order_corrected", "order_corrected"]


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_orders_receptions_and_inventories_at_once_lose_no_unit():
    """24 writers at once on one product: members ordering 1 or 2, the supply team
    receiving 5, a volunteer counting the shelf. The stored stock is the sum of the
    ledger, never below zero, and every order that got units has its movement."""
    postgresql_only()
    shop, soap = _soap_shop(slot_capacity=50)
    members = [shop.member() for _ in range(16)]
    team = shop.member()

    def act(i):
        if i < 16:
            return _place(shop, members[i], 1 + i % 2)
        if i < 22:
            return catalog_services.stock_adjust(
                product=soap, delta=D("5"), reason="reception", made_by=team
            )
        return catalog_services.stock_set(product=soap, quantity=D("7"), made_by=team)

    results = run_together(act, 24)

    total, stored = _ledger(soap)
    assert total == stored and stored >= 0
    placed = [r for r in results if hasattr(r, "sale_id")]
    taken = StockMovement.objects.filter(product=soap, reason="order_placed")
    assert sorted(taken.values_list("order_id", flat=True)) == sorted(o.pk for o in placed)
    assert all(
        getattr(r, "code", "") == "out_of_stock" for r in results if isinstance(r, Exception)
    ), results


@pytest.mark.django_db
def test_a_product_page_opened_before_orders_saves_without_undoing_them(client):
    """The edit page and the list's row showed 10; two members ordered 3 meanwhile; saving
    the price (the stock field as shown) leaves the 7; typing a counted 9 sets 9."""
    shop, soap = _soap_shop()
    coordinator = shop.member()
    Membership.objects.filter(user=coordinator).update(is_coordinator=True)
    client.force_login(coordinator)
    slug = shop.organisation.slug
    edit = client.get(reverse("catalog:product_edit", args=[slug, soap.pk]))
    form = edit.context["form"]
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None and name != "image"
    }
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    _place(shop, shop.member(), 2)
    _place(shop, shop.member(), 1)

    data["price"] = "5.40"
    saved = client.post(reverse("catalog:product_edit", args=[slug, soap.pk]), data)
    quick = reverse("catalog:product_quick", args=[slug, soap.pk])
    client.post(quick, {"price": "5.40", "quantity": "10", "quantity_shown": "10"})

    assert saved.status_code == 302, saved.content.decode()[:500]
    assert _ledger(soap) == (D("7"), D("7"))
    client.post(quick, {"price": "5.40", "quantity": "9", "quantity_shown": "7"})
    assert _ledger(soap) == (D("9"), D("9"))
    assert Product.objects.get(pk=soap.pk).price == D("5.40")
