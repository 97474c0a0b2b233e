"""Coefficients, proposed selling prices and the supply settings."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cabas.catalog import categories
from cabas.catalog import services as catalog_services

from .. import errors, pricing
from ..models import PriceCoefficient, PriceProposal, SupplierItem, SupplySettings
from .common import full_clean

SETTINGS_FIELDS = (
    "default_coefficient",
    "rounding_step",
    "sales_period_days",
    "target_cover_days",
    "delivery_address",
    "delivery_hours",
    "alert_weekday",
)


def settings_for(organisation_id: int) -> SupplySettings:
    """The organisation's supply settings (made with their defaults the first time)."""
    settings, _created = SupplySettings.objects.get_or_create(organisation_id=organisation_id)
    return settings


@transaction.atomic
def supply_settings_update(*, organisation, **fields) -> SupplySettings:
    """Change how the organisation buys; a new default coefficient or rounding step
    proposes the prices it calls for."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    settings = settings_for(organisation.pk)
    pricing_changed = any(
        name in fields and fields[name] != getattr(settings, name)
        for name in ("default_coefficient", "rounding_step")
    )
    for name, value in fields.items():
        setattr(settings, name, value)
    full_clean(settings, exclude=["organisation"])
    settings.save()
    if pricing_changed:
        _propose_for(SupplierItem.objects.filter(organisation=organisation, is_main=True))
    return settings


def _coefficients(organisation_id: int) -> tuple[dict, dict]:
    by_product, by_category = {}, {}
    for row in PriceCoefficient.objects.filter(organisation_id=organisation_id):
        if row.product_id:
            by_product[row.product_id] = row.coefficient
        else:
            by_category[row.category] = row.coefficient
    return by_product, by_category


def _propose_for(items) -> list[PriceProposal]:
    """Proposals for the main supplier items ``items`` (one pass: coefficients read once)."""
    items = list(items.select_related("product"))
    if not items:
        return []
    organisation_id = items[0].organisation_id
    settings = settings_for(organisation_id)
    by_product, by_category = _coefficients(organisation_id)
    return [
        proposal
        for item in items
        if (
            proposal := _propose(
                item,
                settings=settings,
                coefficient=pricing.coefficient_for(
                    item.product,
                    by_product=by_product,
                    by_category=by_category,
                    default=settings.default_coefficient,
                ),
            )
        )
    ]


def _propose(item: SupplierItem, *, settings, coefficient) -> PriceProposal | None:
    product = item.product
    PriceProposal.objects.filter(product=product, status=PriceProposal.Status.PENDING).delete()
    if coefficient is None:
        return None
    proposed = pricing.selling_price(
        purchase_price=item.purchase_price,
        coefficient=coefficient,
        vat_rate=product.vat_rate,
        step=settings.rounding_step,
    )
    if proposed == product.price or proposed <= 0:
        return None
    return PriceProposal.objects.create(
        organisation_id=item.organisation_id,
        product=product,
        supplier_item=item,
        purchase_price=item.purchase_price,
        coefficient=coefficient,
        current_price=product.price,
        proposed_price=proposed,
    )


@transaction.atomic
def price_proposal_record(*, item: SupplierItem) -> PriceProposal | None:
    """The selling price the main supplier's purchase price calls for, as a pending
    proposal replacing any older one; None when no coefficient applies or the price is
    already right."""
    proposals = _propose_for(SupplierItem.objects.filter(pk=item.pk, is_main=True))
    return proposals[0] if proposals else None


@transaction.atomic
def price_coefficient_set(
    *, organisation, coefficient: Decimal | None, category: str = "", product=None
) -> PriceCoefficient | None:
    """The coefficient of a category or of a product (None removes it); the products it
    covers get the prices it calls for proposed."""
    if bool(category) == (product is not None):
        raise TypeError("a coefficient is for a category or for a product")
    if category and not categories.is_valid(category):
        raise errors.CategoryUnknown(field="category")
    if product is not None and product.organisation_id != organisation.pk:
        raise errors.NotShopProduct(field="product")
    if coefficient is not None and Decimal(coefficient) <= 0:
        raise errors.CoefficientInvalid(field="coefficient")
    rows = PriceCoefficient.objects.filter(organisation=organisation)
    rows = rows.filter(product=product) if product is not None else rows.filter(category=category)
    row = rows.first()
    if coefficient is None:
        if row is not None:
            row.delete()
        row = None
    else:
        row = row or PriceCoefficient(organisation=organisation, category=category, product=product)
        row.coefficient = Decimal(coefficient)
        full_clean(row, exclude=["organisation", "product"])
        row.save()
    items = SupplierItem.objects.filter(organisation=organisation, is_main=True)
    if product is not None:
        items = items.filter(product=product)
    else:
        items = items.filter(product__category__in=categories.codes_in_family(category))
    _propose_for(items)
    return row


def _pending(organisation, proposal_ids):
    return (
        PriceProposal.objects.filter(
            organisation=organisation,
            pk__in=list(proposal_ids),
            status=PriceProposal.Status.PENDING,
        )
        .select_related("product")
        .order_by("pk")
    )


@transaction.atomic
def price_proposals_accept(*, organisation, proposal_ids, made_by) -> int:
    """Apply the chosen pending proposals: each product takes its proposed price (the
    catalog's rules apply). Returns how many prices changed."""
    now = timezone.now()
    accepted = 0
    for proposal in _pending(organisation, proposal_ids):
        # The conditional UPDATE decides once: two people accepting together apply it once.
        taken = PriceProposal.objects.filter(
            pk=proposal.pk, status=PriceProposal.Status.PENDING
        ).update(status=PriceProposal.Status.ACCEPTED, decided_by=made_by, decided_at=now)
        if taken:
            catalog_services.product_update(product=proposal.product, price=proposal.proposed_price)
            accepted += 1
    return accepted


@transaction.atomic
def price_proposals_dismiss(*, organisation, proposal_ids, made_by) -> int:
    """Keep the current prices of the chosen pending proposals."""
    return _pending(organisation, proposal_ids).update(
        status=PriceProposal.Status.DISMISSED, decided_by=made_by, decided_at=timezone.now()
    )
