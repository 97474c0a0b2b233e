from decimal import Decimal

import factory
from django.db.models import Max

from cabas.catalog.tests.factories import ProductFactory
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.supply.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
    SupplierItem,
)


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Supplier.Kind.WHOLESALER
    name = factory.Sequence(lambda n: f"Grossiste {n}")
    order_email = factory.Sequence(lambda n: f"commandes{n}@grossiste.example.org")


class ShopProductFactory(ProductFactory):
    """A product sold from the coop's shop stock (what suppliers sell)."""

    stock_mode = "shop"
    stock_quantity = Decimal("0")
    category = "grocery-flour"


class SupplierItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierItem

    supplier = factory.SubFactory(SupplierFactory)
    organisation = factory.SelfAttribute("supplier.organisation")
    product = factory.SubFactory(
        ShopProductFactory, organisation=factory.SelfAttribute("..supplier.organisation")
    )
    reference = factory.Sequence(lambda n: f"REF-{n:04d}")
    purchase_price = Decimal("1.2000")
    package_size = Decimal("1")
    is_main = True


class PurchaseOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseOrder

    supplier = factory.SubFactory(SupplierFactory)
    organisation = factory.SelfAttribute("supplier.organisation")
    # The organisation's next free number: a process-wide sequence could meet a number a
    # test chose (BC-0007) depending on which tests ran before in the same worker.
    number = factory.LazyAttribute(
        lambda o: (
            (
                PurchaseOrder.objects.filter(organisation=o.organisation).aggregate(Max("number"))[
                    "number__max"
                ]
                or 0
            )
            + 1
        )
    )


class PurchaseOrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurchaseOrderLine

    purchase_order = factory.SubFactory(PurchaseOrderFactory)
    organisation = factory.SelfAttribute("purchase_order.organisation")
    product = factory.SubFactory(
        ShopProductFactory, organisation=factory.SelfAttribute("..purchase_order.organisation")
    )
    product_name = factory.SelfAttribute("product.name")
    quantity = Decimal("6")
    unit_price = Decimal("1.2000")
    vat_rate = Decimal("5.50")
