"""The selling price a purchase price calls for, and the proposals the supply team
accepts or dismisses in bulk."""

from decimal import Decimal

import pytest

from cabas.orgs.tests.factories import OrganisationFactory
from cabas.supply import pricing, services
from cabas.supply.models import PriceProposal
from cabas.supply.tests.factories import ShopProductFactory, SupplierFactory

D = Decimal


@pytest.mark.parametrize(
    ("purchase", "coefficient", "vat", "step", "expected"),
    [
        # 2,00 × 1,30 = 2,60 excl. VAT; × 1,055 = 2,743 → 2,75 (nearest 0,05).
        ("2.00", "1.30", "5.50", "0.05", "2.75"),
        # 0,6958 × 1,25 × 1,20 = 1,04370 → 1,05.
        ("0.6958", "1.25", "20.00", "0.05", "1.05"),
        # 1,00 × 1,5 × 1,055 = 1,5825 → 1,60 with a 0,10 step, 1,58 with 0,01.
        ("1.00", "1.5", "5.50", "0.10", "1.60"),
        ("1.00", "1.5", "5.50", "0.01", "1.58"),
        # Half up: 0,975 → 1,00 with a 0,05 step (0,025 is half a step).
        ("0.975", "1", "0", "0.05", "1.00"),
    ],
)
def test_selling_price_is_rounded_to_the_step(purchase, coefficient, vat, step, expected):
    price = pricing.selling_price(
        purchase_price=D(purchase), coefficient=D(coefficient), vat_rate=D(vat), step=D(step)
    )
    assert price == D(expected)


def test_margin_is_a_share_of_the_price_excluding_vat():
    # 2,75 incl. 5,5 % = 2,6066 excl.; bought 2,00: (2,6066 − 2) / 2,6066 = 23,27 %.
    rate = pricing.margin_rate(purchase_price=D("2.00"), price=D("2.75"), vat_rate=D("5.50"))
    assert rate.quantize(D("0.0001")) == D("0.2327")


@pytest.mark.django_db
def test_the_most_precise_coefficient_applies_and_a_new_price_is_proposed():
    organisation = OrganisationFactory(kind="cooperative")
    services.supply_settings_update(organisation=organisation, default_coefficient=D("1.10"))
    services.price_coefficient_set(
        organisation=organisation, category="grocery", coefficient=D("1.20")
    )
    product = ShopProductFactory(organisation=organisation, price=D("3.00"), vat_rate=D("5.50"))
    supplier = SupplierFactory(organisation=organisation)

    services.supplier_item_save(supplier=supplier, product=product, purchase_price=D("2.00"))

    proposal = PriceProposal.objects.get(product=product, status="pending")
    # The family's 1,20 (grocery), not the default: 2 × 1,2 × 1,055 = 2,532 → 2,55.
    assert (proposal.coefficient, proposal.proposed_price) == (D("1.20"), D("2.55"))

    services.price_coefficient_set(organisation=organisation, product=product, coefficient=D("1.5"))
    proposal = PriceProposal.objects.get(product=product, status="pending")
    assert proposal.proposed_price == D("3.15")  # 2 × 1,5 × 1,055 = 3,165 → 3,15
    assert PriceProposal.objects.filter(product=product).count() == 1

    assert (
        services.price_proposals_accept(
            organisation=organisation, proposal_ids=[proposal.pk], made_by=None
        )
        == 1
    )
    product.refresh_from_db()
    assert product.price == D("3.15")
    # Accepted once: a second accept changes nothing.
    assert (
        services.price_proposals_accept(
            organisation=organisation, proposal_ids=[proposal.pk], made_by=None
        )
        == 0
    )


@pytest.mark.django_db
def test_no_coefficient_no_proposal_and_same_price_no_proposal():
    organisation = OrganisationFactory(kind="cooperative")
    product = ShopProductFactory(organisation=organisation, price=D("2.75"), vat_rate=D("5.50"))
    supplier = SupplierFactory(organisation=organisation)
    services.supplier_item_save(supplier=supplier, product=product, purchase_price=D("2.00"))
    assert not PriceProposal.objects.exists()
    services.supply_settings_update(organisation=organisation, default_coefficient=D("1.30"))
    assert not PriceProposal.objects.exists()  # 2,75 is already what 1,30 calls for
