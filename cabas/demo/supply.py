"""The coop's suppliers in the demo: each of its producers becomes a supplier (the
wholesaler as such), every shop product gets its main supplier item with a purchase price,
the grocery family a coefficient, and the supply settings an address and hours — all through
the supply services, so proposed prices appear where the coefficient calls for another
price."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from cabas.catalog.models import ProducerLink, Product
from cabas.orgs.models import Organisation
from cabas.supply import services as supply_services
from cabas.supply.models import Supplier

from .base import SeedBase

COEFFICIENT = Decimal("1.30")
# Delivery days (ISO weekdays), package size and lead time per kind of supplier.
WHOLESALER_TERMS = {"delivery_days": [2, 4], "lead_time_days": 2}
FARM_TERMS = {"delivery_days": [3], "lead_time_days": 1}


def _purchase_price(product: Product) -> Decimal:
    """What the shop pays: the price excl. VAT over the coefficient, a little less for a
    third of the products so their proposals show (a supplier's price went down)."""
    excluding_vat = Decimal(product.price) / (1 + Decimal(product.vat_rate) / 100)
    price = excluding_vat / COEFFICIENT
    if product.pk % 3 == 0:
        price *= Decimal("0.92")
    return price.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


class SupplySeed(SeedBase):
    def cooperative_supply(self, organisation: Organisation) -> None:
        """Once: the suppliers of the coop's shop and what each sells."""
        if Supplier.objects.filter(organisation=organisation).exists():
            return
        supply_services.supply_settings_update(
            organisation=organisation,
            delivery_address="Épicerie coopérative, 12 rue des Olivettes, 13005 Marseille",
            delivery_hours="Mardi au vendredi, 8 h – 11 h (quai rue Ferrari)",
        )
        supply_services.price_coefficient_set(
            organisation=organisation, category="grocery", coefficient=COEFFICIENT
        )
        links = ProducerLink.objects.filter(organisation=organisation).select_related("producer")
        for link in links.order_by("producer__name"):
            producer = link.producer
            wholesaler = producer.name.startswith("Grossiste")
            supplier = supply_services.supplier_create(
                organisation=organisation,
                producer=producer,
                kind=Supplier.Kind.WHOLESALER if wholesaler else Supplier.Kind.PRODUCER,
                minimum_order_amount=Decimal("150.00") if wholesaler else None,
                franco_amount=Decimal("300.00") if wholesaler else None,
                **(WHOLESALER_TERMS if wholesaler else FARM_TERMS),
            )
            self.report.add("suppliers", 1)
            products = Product.objects.filter(
                organisation=organisation, producer=producer, stock_mode=Product.StockMode.SHOP
            ).order_by("reference")
            for product in products:
                supply_services.supplier_item_save(
                    supplier=supplier,
                    product=product,
                    reference=f"{producer.name[:3].upper()}-{product.reference or product.pk}",
                    purchase_price=_purchase_price(product),
                    package_size=Decimal("6") if wholesaler else Decimal("1"),
                )
                self.report.add("supplier items", 1)
