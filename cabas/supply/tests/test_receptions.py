"""Receptions: a delivery of a sent purchase order checked in line by line, validated once
into the shop stock, the order and the supplier's prices; its differences listed, exported
and e-mailed once."""

from decimal import Decimal

import pytest

from cabas.catalog import services as catalog_services
from cabas.catalog.models import Product, StockMovement
from cabas.notifications.models import OutboxMessage
from cabas.supply import errors, receptions, services
from cabas.supply.models import PurchaseOrder, PurchaseOrderLine, Reception, SupplierItem
from cabas.supply.tests.factories import (
    PurchaseOrderFactory,
    PurchaseOrderLineFactory,
    ShopProductFactory,
    SupplierFactory,
    SupplierItemFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


class Delivery:
    """A sent order BC-0007: 12 flour at 1.20 (3 in stock), 5 rice at 2.00; honey is a shop
    product the supplier does not sell yet."""

    def __init__(self, organisation, producer):
        common = {"organisation": organisation, "producer": producer}
        self.supplier = SupplierFactory(organisation=organisation, name="Biocoop Grossiste")
        self.flour = ShopProductFactory(**common, name="Farine T65", stock_quantity=D("3"))
        self.rice = ShopProductFactory(**common, name="Riz complet")
        self.honey = ShopProductFactory(**common, name="Miel", unit_kind="piece")
        catalog_services.stock_openings_record(products=[self.flour])
        SupplierItemFactory(supplier=self.supplier, product=self.flour, purchase_price=D("1.2"))
        SupplierItemFactory(supplier=self.supplier, product=self.rice, purchase_price=D("2"))
        self.order = PurchaseOrderFactory(supplier=self.supplier, number=7, status="sent")
        self.flour_line = PurchaseOrderLineFactory(
            purchase_order=self.order, product=self.flour, quantity=D("12"), unit_price=D("1.2")
        )
        self.rice_line = PurchaseOrderLineFactory(
            purchase_order=self.order, product=self.rice, quantity=D("5"), unit_price=D("2")
        )

    def stocks(self) -> dict:
        return dict(
            Product.objects.filter(pk__in=[self.flour.pk, self.rice.pk, self.honey.pk])
            .order_by("name")
            .values_list("name", "stock_quantity")
        )


@pytest.fixture
def delivery(world):
    return Delivery(world.org_a, world.producer)


def _line(reception, product):
    return reception.lines.get(product=product)


def _counted_with_differences(delivery, user):
    reception = services.reception_start(purchase_order=delivery.order, started_by=user)
    services.reception_line_count(
        line=_line(reception, delivery.flour), received_quantity=D("10"),
        damaged_quantity=D("1"), unit_price=D("1.3"), note="1 sac percé", counted_by=user,
    )  # fmt: skip
    assert services.reception_all_as_ordered(reception=reception, counted_by=user) == 1
    services.reception_line_add(
        reception=reception, product=delivery.honey, received_quantity=D("4"),
        unit_price=D("4.5"), counted_by=user,
    )  # fmt: skip
    return reception


def test_a_delivery_with_differences_goes_into_the_stock_the_order_and_the_prices(world, delivery):
    user = world.users["supply"]
    reception = _counted_with_differences(delivery, user)

    services.reception_validate(reception=reception, made_by=user)

    assert delivery.stocks() == {"Farine T65": D("13"), "Miel": D("4"), "Riz complet": D("5")}
    movements = StockMovement.objects.filter(reason="reception").order_by("product__name")
    rows = [(m.product.name, m.delta, m.quantity_after, m.note, m.made_by_id) for m in movements]
    assert rows == [
        ("Farine T65", D("10"), D("13"), "Réception BC-0007", user.pk),
        ("Miel", D("4"), D("4"), "Réception BC-0007", user.pk),
        ("Riz complet", D("5"), D("5"), "Réception BC-0007", user.pk),
    ]  # fmt: skip
    order = PurchaseOrder.objects.get(pk=delivery.order.pk)
    assert order.status == "partly_received"
    assert dict(
        PurchaseOrderLine.objects.filter(purchase_order=order).values_list(
            "product_name", "received_quantity"
        )
    ) == {"Farine T65": D("10"), "Riz complet": D("5")}
    prices = dict(
        SupplierItem.objects.filter(supplier=delivery.supplier).values_list(
            "product__name", "purchase_price"
        )
    )
    assert prices == {"Farine T65": D("1.3"), "Miel": D("4.5"), "Riz complet": D("2")}
    reception.refresh_from_db()
    assert (reception.status, reception.validated_by) == ("validated", user)

    report = receptions.differences(reception=reception)
    assert [
        (row.line.product.name, row.not_ordered, row.line.ordered_quantity,
         row.line.received_quantity, row.line.damaged_quantity, row.quantity_difference,
         row.price_changed, row.ordered_amount, row.received_amount, row.damaged_amount)
        for row in report.rows
    ] == [
        ("Farine T65", False, D("12"), D("10"), D("1"), D("-2"), True,
         D("14.40"), D("13.00"), D("1.30")),
        ("Miel", True, D("0"), D("4"), D("0"), D("4"), False, D("0.00"), D("18.00"), D("0.00")),
    ]  # fmt: skip
    assert (report.ordered_total, report.received_total, report.difference_total) == (
        D("14.40"), D("31.00"), D("16.60"),
    )  # fmt: skip


def test_the_rest_of_an_order_is_received_later_and_the_order_is_received(world, delivery):
    user = world.users["supply"]
    first = _counted_with_differences(delivery, user)
    services.reception_validate(reception=first, made_by=user)

    second = services.reception_start(purchase_order=delivery.order, started_by=user)

    # Only what is still to come: the rice came in full.
    assert [(line.product.name, line.ordered_quantity) for line in second.lines.order_by("pk")] == [
        ("Farine T65", D("2")),
    ]  # fmt: skip
    services.reception_all_as_ordered(reception=second, counted_by=user)
    services.reception_validate(reception=second, made_by=user)
    assert PurchaseOrder.objects.get(pk=delivery.order.pk).status == "received"
    assert delivery.stocks()["Farine T65"] == D("15")
    with pytest.raises(errors.PurchaseOrderClosed):
        services.reception_start(purchase_order=delivery.order, started_by=user)


def test_two_phones_starting_the_same_order_join_one_reception(world, delivery):
    first = services.reception_start(
        purchase_order=delivery.order, started_by=world.users["supply"]
    )
    second = services.reception_start(
        purchase_order=delivery.order, started_by=world.users["coordinator"]
    )

    assert second.pk == first.pk
    assert Reception.objects.count() == 1
    assert first.lines.count() == 2


def test_a_reception_is_validated_once(world, delivery):
    user = world.users["supply"]
    reception = _counted_with_differences(delivery, user)
    services.reception_validate(reception=reception, made_by=user)

    with pytest.raises(errors.ReceptionValidated):
        services.reception_validate(reception=reception, made_by=user)
    with pytest.raises(errors.ReceptionValidated):
        services.reception_line_count(
            line=_line(reception, delivery.rice), received_quantity=D("1"), counted_by=user
        )

    assert delivery.stocks() == {"Farine T65": D("13"), "Miel": D("4"), "Riz complet": D("5")}
    assert StockMovement.objects.filter(reason="reception").count() == 3
    assert PurchaseOrderLine.objects.get(pk=delivery.rice_line.pk).received_quantity == D("5")


def test_a_reception_with_an_uncounted_line_is_refused_and_nothing_changes(world, delivery):
    user = world.users["supply"]
    reception = services.reception_start(purchase_order=delivery.order, started_by=user)
    services.reception_line_count(
        line=_line(reception, delivery.flour), received_quantity=D("12"), counted_by=user
    )

    with pytest.raises(errors.ReceptionNotCounted):
        services.reception_validate(reception=reception, made_by=user)

    assert delivery.stocks() == {"Farine T65": D("3"), "Miel": D("0"), "Riz complet": D("0")}
    assert not StockMovement.objects.filter(reason="reception").exists()
    assert PurchaseOrder.objects.get(pk=delivery.order.pk).status == "sent"
    assert set(PurchaseOrderLine.objects.values_list("received_quantity", flat=True)) == {D("0")}
    assert Reception.objects.get(pk=reception.pk).status == "draft"


def test_a_draft_order_is_not_received_and_an_empty_delivery_is_not_validated(world, delivery):
    user = world.users["supply"]
    PurchaseOrder.objects.filter(pk=delivery.order.pk).update(status="draft")
    with pytest.raises(errors.PurchaseOrderNotSent):
        services.reception_start(purchase_order=delivery.order, started_by=user)
    assert not Reception.objects.exists()

    empty = services.reception_start(supplier=delivery.supplier, started_by=user)
    with pytest.raises(errors.ReceptionEmpty):
        services.reception_validate(reception=empty, made_by=user)
    assert Reception.objects.get(pk=empty.pk).status == "draft"


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"received_quantity": D("-1")}, errors.QuantityNegative),
        ({"received_quantity": D("1"), "damaged_quantity": D("-1")}, errors.QuantityNegative),
        ({"received_quantity": D("1.5")}, errors.QuantityNotWhole),
        ({"received_quantity": D("1"), "unit_price": D("-2")}, errors.PriceNegative),
    ],
)
def test_a_count_out_of_the_rules_is_refused(world, delivery, fields, error):
    user = world.users["supply"]
    reception = services.reception_start(supplier=delivery.supplier, started_by=user)
    line = services.reception_line_add(
        reception=reception, product=delivery.honey, unit_price=D("4"), counted_by=user
    )

    with pytest.raises(error):
        services.reception_line_count(line=line, counted_by=user, **fields)

    line.refresh_from_db()
    assert (line.received_quantity, line.damaged_quantity, line.unit_price) == (
        None, D("0"), D("4"),
    )  # fmt: skip


def test_a_product_added_must_be_a_shop_product_of_the_organisation_once(world, delivery):
    user = world.users["supply"]
    reception = services.reception_start(supplier=delivery.supplier, started_by=user)
    other = ShopProductFactory(organisation=world.org_b)

    with pytest.raises(errors.NotShopProduct):
        services.reception_line_add(reception=reception, product=other, counted_by=user)
    with pytest.raises(errors.ReceptionPriceMissing):
        services.reception_line_add(reception=reception, product=delivery.honey, counted_by=user)
    line = services.reception_line_add(reception=reception, product=delivery.flour, counted_by=user)
    assert (line.ordered_quantity, line.ordered_unit_price, line.unit_price) == (
        D("0"), D("1.2"), D("1.2"),
    )  # fmt: skip
    with pytest.raises(errors.ReceptionLineExists):
        services.reception_line_add(reception=reception, product=delivery.flour, counted_by=user)
    assert reception.lines.count() == 1


def test_the_differences_are_e_mailed_to_the_supplier_once(world, delivery):
    user = world.users["supply"]
    reception = _counted_with_differences(delivery, user)
    with pytest.raises(errors.ReceptionNotValidated):
        services.reception_differences_send(reception=reception, sent_by=user)
    services.reception_validate(reception=reception, made_by=user)

    services.reception_differences_send(reception=reception, sent_by=user)

    message = OutboxMessage.objects.get(key=f"reception:{reception.pk}:differences")
    assert message.to == delivery.supplier.order_email
    assert message.reply_to == [user.email]
    assert "BC-0007" in message.subject
    assert "Farine T65" in message.body and "Miel" in message.body
    assert "Riz complet" not in message.body
    assert message.attachments.count() == 1
    with pytest.raises(errors.DifferencesAlreadySent):
        services.reception_differences_send(reception=reception, sent_by=user)
    assert OutboxMessage.objects.count() == 1


def test_the_differences_table_has_its_total(world, delivery):
    user = world.users["supply"]
    reception = _counted_with_differences(delivery, user)

    header, rows = receptions.differences_table(receptions.differences(reception=reception))

    assert len(header) == len(rows[0]) == 11
    assert [row[0] for row in rows] == ["Farine T65", "Miel (pas commandé)", "Total"]
    assert rows[-1][7:10] == [D("14.40"), D("31.00"), D("1.30")]


def test_no_e_mail_without_an_address_or_without_a_difference(world, delivery):
    user = world.users["supply"]
    reception = services.reception_start(purchase_order=delivery.order, started_by=user)
    services.reception_all_as_ordered(reception=reception, counted_by=user)
    services.reception_validate(reception=reception, made_by=user)

    with pytest.raises(errors.ReceptionNoDifferences):
        services.reception_differences_send(reception=reception, sent_by=user)
    delivery.supplier.order_email = ""
    delivery.supplier.save(update_fields=["order_email"])
    with pytest.raises(errors.SupplierHasNoEmail):
        services.reception_differences_send(reception=reception, sent_by=user)

    assert receptions.differences(reception=reception).rows == []
    assert PurchaseOrder.objects.get(pk=delivery.order.pk).status == "received"
    assert not OutboxMessage.objects.exists()
    assert Reception.objects.get(pk=reception.pk).differences_sent_at is None


def test_a_delivery_brings_its_supplier_s_products_or_new_ones_not_another_supplier_s(
    world, delivery
):
    """Another supplier's product is not this delivery's (it would silently join this
    supplier's catalogue); a product nobody supplies yet may come, at its note's price."""
    user = world.users["supply"]
    brewery = SupplierFactory(organisation=world.org_a, name="Brasserie")
    beer = SupplierItemFactory(supplier=brewery).product
    reception = services.reception_start(purchase_order=delivery.order, started_by=user)

    assert set(receptions.receivable_products(reception=reception)) == {
        delivery.flour,
        delivery.rice,
        delivery.honey,
    }
    with pytest.raises(errors.NotSoldBySupplier):
        services.reception_line_add(
            reception=reception, product=beer, received_quantity=D("6"), unit_price=D("1.5")
        )
    assert not reception.lines.filter(product=beer).exists()
    services.reception_line_add(
        reception=reception, product=delivery.honey, received_quantity=D("4"), unit_price=D("3")
    )
    assert reception.lines.filter(product=delivery.honey).exists()
