"""Catalog rules, whatever screen or import a product comes from."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from cabas.catalog import errors, selectors, services
from cabas.catalog.models import ProducerLink, Product, StockMovement, VatRate
from cabas.catalog.tests.factories import ProducerFactory, ProductFactory
from cabas.core.errors import DomainError
from cabas.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Tomme de brebis",
    "category": "dairy-cheese",
    "unit_kind": "piece",
    "price": Decimal("12.00"),
    "vat_rate": Decimal("5.50"),
}


def test_a_producer_is_created_with_its_link_and_a_valid_siret():
    organisation = OrganisationFactory()

    producer = services.producer_create(
        organisation=organisation,
        name="Ferme du Cérou",
        siret="732 829 320 00074",
        status="temporary",
        end_date=timezone.localdate() + timedelta(days=30),
    )

    assert producer.siret == "73282932000074"
    link = ProducerLink.objects.get(organisation=organisation, producer=producer)
    assert link.status == "temporary"


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"siret": "12345678901234"}, errors.SiretInvalid),
        ({"status": "temporary"}, errors.EndDateRequired),
    ],
)
def test_bad_producer_input_creates_nothing(fields, error):
    organisation = OrganisationFactory()

    with pytest.raises(error):
        services.producer_create(organisation=organisation, name="Ferme", **fields)

    assert not ProducerLink.objects.exists()


def test_a_temporary_producer_stops_supplying_after_its_end_date():
    organisation = OrganisationFactory()
    today = timezone.localdate()
    producer = services.producer_create(
        organisation=organisation, name="Safran", status="temporary", end_date=today
    )
    links = ProducerLink.objects.filter(organisation=organisation)

    assert links.supplying_on(today).filter(producer=producer).exists()
    assert not links.supplying_on(today + timedelta(days=1)).filter(producer=producer).exists()


def test_product_rules():
    organisation = OrganisationFactory()
    producer = ProducerFactory()

    product = services.product_create(organisation=organisation, producer=producer, **VALID)
    assert product.pk

    cases = [
        ({"vat_rate": Decimal("7.00")}, errors.VatRateNotAllowed),
        ({"quantity_step": Decimal("0.5")}, errors.QuantityRuleInvalid),
        ({"variable_weight": True}, errors.VariableWeightIncomplete),
        ({"stock_mode": "shop"}, errors.StockModeIncomplete),
        ({"price": Decimal("-1")}, DomainError),
    ]
    for change, error in cases:
        with pytest.raises(error):
            services.product_create(
                organisation=organisation, producer=producer, **{**VALID, **change}
            )
    assert Product.objects.count() == 1


def test_weight_products_take_their_step_and_the_organisation_rates():
    organisation = OrganisationFactory()
    VatRate.objects.create(organisation=organisation, rate=Decimal("7.00"))
    product = services.product_create(
        organisation=organisation,
        producer=ProducerFactory(),
        **{
            **VALID,
            "unit_kind": "weight",
            "quantity_step": Decimal("0.5"),
            "min_quantity": Decimal("0.5"),
            "vat_rate": Decimal("7.00"),
        },
    )
    assert product.quantity_step == Decimal("0.5")
    assert selectors.vat_rates(organisation=organisation) == [Decimal("7.00")]


def test_references_are_unique_per_producer_of_an_organisation():
    organisation, other = OrganisationFactory(), OrganisationFactory()
    cheese = ProductFactory(organisation=organisation, reference="CH-01")
    ProductFactory(organisation=other, reference="CH-02")

    with pytest.raises(errors.ReferenceTaken) as refusal:
        services.product_create(
            organisation=organisation, producer=cheese.producer, reference="CH-01", **VALID
        )
    assert str(refusal.value) == "Un autre produit de ce producteur a déjà cette référence."
    # Another farm of the same collective may use the same reference; so may another collective.
    services.product_create(
        organisation=organisation, producer=ProducerFactory(), reference="CH-01", **VALID
    )
    services.product_create(
        organisation=other, producer=ProducerFactory(), reference="CH-01", **VALID
    )
    assert Product.objects.filter(reference="CH-01").count() == 3


def test_duplicate_makes_an_inactive_copy_without_reference():
    product = ProductFactory(reference="EGG-12", price=Decimal("4.80"))

    copy = services.product_duplicate(product=product)

    assert copy.pk != product.pk
    assert (copy.reference, copy.is_active, copy.price) == ("", False, Decimal("4.80"))


def test_shop_stock_is_adjusted_and_never_goes_below_zero(world):
    product = ProductFactory(
        organisation=world.org_a, stock_mode="shop", stock_quantity=Decimal("3")
    )
    user = world.users["coordinator"]

    services.stock_adjust(product=product, delta=Decimal("5"), reason="reception", made_by=user)
    with pytest.raises(errors.StockNegative):
        services.stock_adjust(product=product, delta=Decimal("-9"), reason="loss", made_by=user)

    product.refresh_from_db()
    assert product.stock_quantity == Decimal("8")
    assert list(StockMovement.objects.values_list("delta", "quantity_after", "reason")) == [
        (Decimal("5"), Decimal("8"), "reception")
    ]


def test_stock_labels():
    assert selectors.stock_label(ProductFactory()) == ""
    assert selectors.stock_label(
        ProductFactory(stock_mode="shop", stock_quantity=Decimal("3"))
    ) in ("3 left", "3 restants")
    assert selectors.stock_label(
        ProductFactory(stock_mode="shop", stock_quantity=Decimal("0"))
    ) in ("sold out", "épuisé")


def test_a_stock_label_reads_a_decimal_quantity_in_french():
    lemons = ProductFactory(stock_mode="shop", stock_quantity=Decimal("9.500"))
    with translation.override("fr"):
        assert selectors.stock_label(lemons) == "9,5 restants"  # not "9.5"


@pytest.mark.django_db
def test_a_piece_product_s_stock_moves_and_is_counted_in_whole_pieces():
    product = ProductFactory(stock_mode="shop", stock_quantity=Decimal("5"), unit_kind="piece")
    with pytest.raises(errors.QuantityRuleInvalid):
        services.stock_adjust(product=product, delta=Decimal("1.5"), made_by=None)
    with pytest.raises(errors.QuantityRuleInvalid):
        services.stock_set(product=product, quantity=Decimal("4.5"), made_by=None)
    with pytest.raises(errors.QuantityRuleInvalid):
        services.product_stock_minimum_set(product=product, stock_minimum=Decimal("2.5"))
    product.refresh_from_db()
    assert (product.stock_quantity, product.stock_minimum) == (Decimal("5"), None)
    assert not StockMovement.objects.filter(product=product).exists()
