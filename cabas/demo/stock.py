"""The coop shop's stock in the demo: minimums on a few products, a delivery received, a
breakage, and an inventory of the grocery shelf counted and validated — all through the
catalog's services, so the stock stays the sum of its ledger."""

from __future__ import annotations

from decimal import Decimal

from cabas.catalog import inventories
from cabas.catalog import services as catalog_services
from cabas.catalog.models import InventorySession, Product
from cabas.orgs.models import Membership, Organisation

from .base import SeedBase


class StockSeed(SeedBase):
    def cooperative_stock(self, organisation: Organisation) -> None:
        """Once: the supply team's first weeks (needs the coop's products and orders)."""
        if InventorySession.objects.filter(organisation=organisation).exists():
            return
        team = (
            Membership.objects.filter(organisation=organisation, is_supply=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        by = team.user if team else None
        products = list(
            Product.objects.filter(
                organisation=organisation, stock_mode=Product.StockMode.SHOP, is_active=True
            ).order_by("reference")[:8]
        )
        if len(products) < 4:
            return
        for product in products[:4]:
            # A minimum above the stock for the first: the list shows it first, flagged.
            minimum = (product.stock_quantity or Decimal("0")) + (
                3 if product is products[0] else -1
            )
            catalog_services.product_stock_minimum_set(
                product=product, stock_minimum=max(minimum, Decimal("0"))
            )
        catalog_services.stock_adjust(
            product=products[1], delta=Decimal("12"), reason="reception", made_by=by,
            note="Livraison du grossiste",
        )  # fmt: skip
        catalog_services.stock_adjust(
            product=products[2], delta=Decimal("-1"), reason="breakage", made_by=by,
            note="Pot tombé en rayon",
        )  # fmt: skip
        session = inventories.inventory_start(
            organisation=organisation, name="Rayon épicerie", started_by=by
        )
        for offset, product in enumerate(products[4:8]):
            stock = Product.objects.get(pk=product.pk).stock_quantity or Decimal("0")
            counted = max(stock - (offset % 2), Decimal("0"))  # two products short by one
            inventories.inventory_count_record(
                session=session, product_id=product.pk, quantity=counted, counted_by=by
            )
        inventories.inventory_validate(session=session, validated_by=by, now=self.now)
        self.report.add("inventories", 1)
