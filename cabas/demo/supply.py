"""The coop's suppliers in the demo: each of its producers becomes a supplier (the
wholesaler as such), every shop product gets its main supplier item with a purchase price,
the grocery family a coefficient, and the supply settings an address and hours; then the
supply team's week: an order to the wholesaler received with differences (one carton
short, a jar broken, a new price), an order to a farm sent and waiting, and a draft made
from the suggestions. All through the supply services, so the stock stays the sum of its
ledger and proposed prices appear where the coefficient calls for another price."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from cabas.catalog.models import ProducerLink, Product
from cabas.orgs.models import Membership, Organisation
from cabas.supply import services as supply_services
from cabas.supply import suggestions
from cabas.supply.models import PurchaseOrder, Supplier

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

    def cooperative_purchases(self, organisation: Organisation) -> None:
        """Once: the supply team's purchase orders and a delivery received (needs the
        suppliers)."""
        if PurchaseOrder.objects.filter(organisation=organisation).exists():
            return
        suppliers = {
            supplier.kind: supplier
            for supplier in Supplier.objects.filter(organisation=organisation).order_by("-pk")
        }
        wholesaler = suppliers.get(Supplier.Kind.WHOLESALER)
        farm = suppliers.get(Supplier.Kind.PRODUCER)
        if wholesaler is None or farm is None:
            return
        team = (
            Membership.objects.filter(organisation=organisation, is_supply=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        by = team.user if team else None
        items = list(wholesaler.items.select_related("product").order_by("product__name")[:4])
        received = supply_services.purchase_order_create(
            supplier=wholesaler,
            created_by=by,
            quantities={item.product_id: item.package_size * 2 for item in items},
            note="Livraison par le quai rue Ferrari, merci.",
        )
        supply_services.purchase_order_send(
            purchase_order=received, sent_by=by, by_email=False, now=self.now
        )
        self._delivery_received(received, by)

        farm_items = list(farm.items.order_by("pk")[:2])
        if farm_items:
            waiting = supply_services.purchase_order_create(
                supplier=farm,
                created_by=by,
                quantities={item.product_id: item.package_size * 5 for item in farm_items},
            )
            supply_services.purchase_order_send(
                purchase_order=waiting, sent_by=by, by_email=False, now=self.now
            )
        rows = suggestions.supplier_suggestions(
            supplier=wholesaler, today=self.today, period_days=28, target_days=14
        )
        wanted = {row.product.pk: row.quantity for row in rows if row.quantity}
        if wanted:
            supply_services.purchase_order_create(
                supplier=wholesaler, created_by=by, quantities=wanted
            )
        self.report.add("purchase orders", 3 if wanted else 2)

    def _delivery_received(self, order, by) -> None:
        """The wholesaler's delivery checked in with its differences, then validated."""
        reception = supply_services.reception_start(
            started_by=by, purchase_order=order, delivery_note="BL-2026-0412"
        )
        lines = list(reception.lines.order_by("pk"))
        # One carton short on the first, a jar broken on the second, a new price on the third.
        supply_services.reception_line_count(
            line=lines[0], received_quantity=lines[0].ordered_quantity - 6, counted_by=by
        )
        supply_services.reception_line_count(
            line=lines[1],
            received_quantity=lines[1].ordered_quantity - 1,
            damaged_quantity=Decimal("1"),
            note="Un bocal cassé",
            counted_by=by,
        )
        supply_services.reception_line_count(
            line=lines[2],
            received_quantity=lines[2].ordered_quantity,
            unit_price=(lines[2].unit_price * Decimal("1.06")).quantize(Decimal("0.0001")),
            counted_by=by,
        )
        supply_services.reception_all_as_ordered(reception=reception, counted_by=by)
        supply_services.reception_validate(reception=reception, made_by=by, now=self.now)
        self.report.add("receptions", 1)
