"""Suppliers and what each sells: the services' rules."""

from decimal import Decimal

import pytest

from cabas.catalog import errors as catalog_errors
from cabas.catalog.tests.factories import ProducerFactory, ProductFactory
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.supply import errors, services
from cabas.supply.models import PriceProposal, Supplier, SupplierItem
from cabas.supply.tests.factories import ShopProductFactory, SupplierFactory, SupplierItemFactory

D = Decimal

pytestmark = pytest.mark.django_db


def _snapshot(organisation):
    return list(
        Supplier.objects.filter(organisation=organisation)
        .order_by("pk")
        .values_list("pk", "name", "order_email", "producer_id")
    )


def _mains(product):
    return list(
        SupplierItem.objects.filter(product=product).order_by("pk").values_list("pk", "is_main")
    )


def test_a_supplier_from_a_producer_takes_its_contact_details():
    organisation = OrganisationFactory(kind="cooperative")
    farm = ProducerFactory(
        name="Ferme des Cailloux",
        contact_name="Jeanne Roux",
        email="jeanne@cailloux.example.org",
        phone="05 65 00 00 00",
        address="Le Bourg, 12000 Rodez",
    )

    supplier = services.supplier_create(
        organisation=organisation, producer=farm, phone="06 12 34 56 78", delivery_days=[4, 2, 2]
    )

    assert (
        supplier.kind,
        supplier.name,
        supplier.contact_name,
        supplier.order_email,
        supplier.phone,
        supplier.address,
        supplier.delivery_days,
    ) == (
        "producer",
        "Ferme des Cailloux",
        "Jeanne Roux",
        "jeanne@cailloux.example.org",
        "06 12 34 56 78",  # typed on the form: wins over the producer's
        "Le Bourg, 12000 Rodez",
        [2, 4],
    )


def test_a_producer_is_a_supplier_once():
    organisation = OrganisationFactory(kind="cooperative")
    farm = ProducerFactory(name="Ferme des Cailloux")
    services.supplier_create(organisation=organisation, producer=farm)
    before = _snapshot(organisation)

    with pytest.raises(errors.ProducerAlreadySupplier):
        services.supplier_create(organisation=organisation, producer=farm, name="Autre nom")

    assert _snapshot(organisation) == before


@pytest.mark.parametrize("typed", ["biocoop", "  BIOCOOP ", "BioCoop"])
def test_a_supplier_name_is_unique_whatever_its_case(typed):
    organisation = OrganisationFactory(kind="cooperative")
    services.supplier_create(organisation=organisation, kind="wholesaler", name="Biocoop")
    other = services.supplier_create(organisation=organisation, kind="wholesaler", name="Relais")
    before = _snapshot(organisation)

    with pytest.raises(errors.SupplierNameTaken) as refused:
        services.supplier_create(organisation=organisation, kind="wholesaler", name=typed)
    with pytest.raises(errors.SupplierNameTaken):
        services.supplier_update(supplier=other, name=typed)

    assert refused.value.field == "name"
    assert _snapshot(organisation) == before
    # Another organisation may have its own Biocoop.
    services.supplier_create(organisation=OrganisationFactory(), kind="wholesaler", name="Biocoop")


def test_an_item_on_a_product_not_sold_from_the_shop_stock_is_refused():
    supplier = SupplierFactory(organisation=OrganisationFactory(kind="cooperative"))
    product = ProductFactory(organisation=supplier.organisation, stock_mode="per_sale")
    elsewhere = ShopProductFactory()  # another organisation's

    for refused_product in (product, elsewhere):
        with pytest.raises(errors.NotShopProduct) as refused:
            services.supplier_item_save(
                supplier=supplier, product=refused_product, purchase_price=D("1.00")
            )
        assert refused.value.field == "product"

    assert not SupplierItem.objects.exists()


@pytest.mark.parametrize("price", [D("-0.50"), D("0")])
def test_a_purchase_price_of_zero_or_less_is_refused_and_nothing_changes(price):
    """0 would propose selling the product for nothing."""
    item = SupplierItemFactory(purchase_price=D("1.2000"))

    with pytest.raises(errors.PurchasePriceNotPositive):
        services.supplier_item_save(
            supplier=item.supplier, product=item.product, purchase_price=price
        )

    item.refresh_from_db()
    assert item.purchase_price == D("1.2000")
    assert not PriceProposal.objects.exists()


def test_a_product_sold_per_piece_is_packed_and_bought_in_whole_pieces():
    item = SupplierItemFactory(package_size=D("6"))
    for field in ("package_size", "minimum_quantity"):
        with pytest.raises(catalog_errors.QuantityRuleInvalid):
            services.supplier_item_save(
                supplier=item.supplier,
                product=item.product,
                purchase_price=D("1.2"),
                **{field: D("1.5")},
            )
    item.refresh_from_db()
    assert (item.package_size, item.minimum_quantity) == (D("6"), D("0"))


def test_the_first_supplier_is_the_main_one_and_another_can_take_the_mark():
    organisation = OrganisationFactory(kind="cooperative")
    product = ShopProductFactory(organisation=organisation)
    first, second = SupplierFactory.create_batch(2, organisation=organisation)

    a = services.supplier_item_save(supplier=first, product=product, purchase_price=D("1.00"))
    b = services.supplier_item_save(supplier=second, product=product, purchase_price=D("0.90"))
    assert _mains(product) == [(a.pk, True), (b.pk, False)]

    services.supplier_item_save(
        supplier=second, product=product, purchase_price=D("0.90"), is_main=True
    )
    assert _mains(product) == [(a.pk, False), (b.pk, True)]

    # Saving the first again without a choice leaves the mark where it is.
    services.supplier_item_save(supplier=first, product=product, purchase_price=D("0.95"))
    assert _mains(product) == [(a.pk, False), (b.pk, True)]


def test_removing_the_main_item_makes_another_supplier_the_main_one():
    organisation = OrganisationFactory(kind="cooperative")
    product = ShopProductFactory(organisation=organisation)
    first, second, third = SupplierFactory.create_batch(3, organisation=organisation)
    main = services.supplier_item_save(supplier=first, product=product, purchase_price=D("1"))
    heir = services.supplier_item_save(supplier=second, product=product, purchase_price=D("1"))
    last = services.supplier_item_save(supplier=third, product=product, purchase_price=D("1"))

    services.supplier_item_delete(item=main)
    assert _mains(product) == [(heir.pk, True), (last.pk, False)]

    # Removing an item that is not the main one leaves the mark alone.
    services.supplier_item_delete(item=last)
    assert _mains(product) == [(heir.pk, True)]
