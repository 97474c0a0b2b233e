"""What the supplier and pricing pages read (each a fixed number of queries, whatever the
number of suppliers, items or proposals)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet

from . import pricing
from .models import PriceCoefficient, PriceProposal, Supplier, SupplierItem

PERCENT_PLACES = Decimal("0.1")


def margin_percent(*, purchase_price, price, vat_rate) -> Decimal | None:
    """The margin (``pricing.margin_rate``) as a percentage with one decimal (23.3), or None
    without a price. Shown to the supply team only."""
    rate = pricing.margin_rate(purchase_price=purchase_price, price=price, vat_rate=vat_rate)
    return None if rate is None else (rate * 100).quantize(PERCENT_PLACES)


def suppliers_with_item_counts(organisation) -> QuerySet[Supplier]:
    """The organisation's suppliers by name, each with ``item_count``."""
    return (
        Supplier.objects.filter(organisation=organisation)
        .annotate(item_count=Count("items"))
        .order_by("name")
    )


@dataclass(frozen=True)
class ItemRow:
    item: SupplierItem
    margin: Decimal | None  # percent at the product's current selling price


def supplier_item_rows(supplier: Supplier) -> list[ItemRow]:
    """The supplier's items by product name, with the product and the margin its current
    price gives."""
    items = supplier.items.select_related("product").order_by("product__name", "pk")
    return [
        ItemRow(
            item=item,
            margin=margin_percent(
                purchase_price=item.purchase_price,
                price=item.product.price,
                vat_rate=item.product.vat_rate,
            ),
        )
        for item in items
    ]


@dataclass(frozen=True)
class ProposalRow:
    proposal: PriceProposal
    margin: Decimal | None  # percent at the proposed price


def pending_proposal_rows(organisation) -> list[ProposalRow]:
    """The price changes waiting for a decision, by product name, with their supplier and
    the margin the proposed price gives."""
    proposals = PriceProposal.objects.filter(
        organisation=organisation, status=PriceProposal.Status.PENDING
    ).select_related("product", "supplier_item__supplier")
    return [
        ProposalRow(
            proposal=proposal,
            margin=margin_percent(
                purchase_price=proposal.purchase_price,
                price=proposal.proposed_price,
                vat_rate=proposal.product.vat_rate,
            ),
        )
        for proposal in proposals.order_by("product__name", "pk")
    ]


def pending_proposal_count(organisation) -> int:
    return PriceProposal.objects.filter(
        organisation=organisation, status=PriceProposal.Status.PENDING
    ).count()


def coefficients_of(organisation) -> tuple[dict[str, Decimal], list[PriceCoefficient]]:
    """The organisation's coefficients: ``{category code: coefficient}`` and the products'
    ones (with their product), by product name."""
    by_category: dict[str, Decimal] = {}
    by_product: list[PriceCoefficient] = []
    rows = PriceCoefficient.objects.filter(organisation=organisation).select_related("product")
    for row in rows.order_by("product__name", "category"):
        if row.product_id:
            by_product.append(row)
        else:
            by_category[row.category] = row.coefficient
    return by_category, by_product
