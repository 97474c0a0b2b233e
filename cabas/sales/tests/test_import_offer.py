"""After a product import: its products are offered in the open and scheduled sales the
coordinator chooses (``services.sale_items_add``), never in a closed one."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from cabas.catalog.models import Product, ProductImport
from cabas.catalog.tests.factories import ProducerLinkFactory, ProductFactory
from cabas.core.tests.concurrency import postgresql_only, run_together
from cabas.core.tests.locks import locks_of, skip_unless_postgresql
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales import errors, services
from cabas.sales.models import Sale, SaleItem
from cabas.sales.tests.factories import SaleFactory


def _sale(organisation, status, *, closes_in=timedelta(days=2), title="Vente du vendredi"):
    now = timezone.now()
    return SaleFactory(
        organisation=organisation, title=title, status=status,
        opens_at=now + closes_in - timedelta(days=3), closes_at=now + closes_in,
    )  # fmt: skip


def _imported(organisation, producer, count=3, **fields) -> list[Product]:
    return [
        ProductFactory(
            organisation=organisation, producer=producer, name=f"Importé {n}", **fields
        )  # fmt: skip
        for n in range(count)
    ]


def _offered(sale) -> set[int]:
    return set(SaleItem.objects.filter(sale=sale).values_list("product_id", flat=True))


@pytest.mark.django_db
def test_an_open_sale_gets_the_imported_products_it_does_not_offer_yet():
    organisation = OrganisationFactory()
    farm = ProducerLinkFactory(organisation=organisation).producer
    sale = _sale(organisation, Sale.Status.OPEN)
    already = ProductFactory(organisation=organisation, producer=farm)
    services.sale_items_sync(sale=sale)
    new = _imported(organisation, farm)
    inactive = ProductFactory(organisation=organisation, producer=farm, is_active=False)
    limited = ProductFactory(organisation=organisation, producer=farm, stock_mode="per_sale",
                             default_quantity_per_sale=Decimal("12"))  # fmt: skip
    ids = [already.pk, inactive.pk, limited.pk, *(product.pk for product in new)]

    added = services.sale_items_add(sale=sale, product_ids=ids)

    assert added == 4
    assert _offered(sale) == {already.pk, limited.pk, *(product.pk for product in new)}
    assert SaleItem.objects.get(sale=sale, product=limited).quantity_available == 12
    assert services.sale_items_add(sale=sale, product_ids=ids) == 0  # nothing twice


@pytest.mark.django_db
def test_a_producer_left_out_of_the_sale_comes_in_left_out():
    organisation = OrganisationFactory()
    farm = ProducerLinkFactory(organisation=organisation).producer
    sale = _sale(organisation, Sale.Status.SCHEDULED)
    services.sale_producer_set_excluded(sale=sale, producer=farm, excluded=True)
    new = _imported(organisation, farm, count=2)

    services.sale_items_add(sale=sale, product_ids=[product.pk for product in new])

    assert list(SaleItem.objects.filter(sale=sale).values_list("is_excluded", flat=True)) == [
        True,
        True,
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "closes_in"),
    [
        (Sale.Status.CLOSED, timedelta(days=-1)),
        (Sale.Status.DISTRIBUTED, timedelta(days=-3)),
        (Sale.Status.OPEN, timedelta(minutes=-1)),  # its cutoff passed, not yet swept
    ],
)
def test_a_closed_sale_gets_nothing(status, closes_in):
    organisation = OrganisationFactory()
    farm = ProducerLinkFactory(organisation=organisation).producer
    sale = _sale(organisation, status, closes_in=closes_in)
    new = _imported(organisation, farm)

    with pytest.raises(errors.SaleStatusInvalid) as refusal:
        services.sale_items_add(sale=sale, product_ids=[product.pk for product in new])

    shown = "distribuée" if status == Sale.Status.DISTRIBUTED else "fermée"
    with translation.override("fr"):
        assert str(refusal.value) == (
            f"Cette vente est à l’état « {shown} » : ce changement n’est pas possible."
        )
    assert _offered(sale) == set()


@pytest.mark.django_db
def test_products_of_another_organisation_are_never_added():
    organisation, other = OrganisationFactory(), OrganisationFactory()
    sale = _sale(organisation, Sale.Status.OPEN)
    foreign = _imported(other, ProducerLinkFactory(organisation=other).producer)

    assert services.sale_items_add(sale=sale, product_ids=[p.pk for p in foreign]) == 0
    assert _offered(sale) == set()


# --- The screens --------------------------------------------------------------------------------


def _done_import(world, products) -> ProductImport:
    return ProductImport.objects.create(
        organisation=world.org_a, uploaded_by=world.users["coordinator"], file_name="ofn.csv",
        content=b"", status=ProductImport.Status.DONE, to_create=len(products),
        product_ids=[product.pk for product in products],
    )  # fmt: skip


@pytest.mark.django_db
def test_the_import_page_offers_the_open_and_scheduled_sales(client, world):
    products = _imported(world.org_a, world.producer)
    product_import = _done_import(world, products)
    open_sale = _sale(world.org_a, Sale.Status.OPEN, title="Vente de la semaine")
    scheduled = _sale(world.org_a, Sale.Status.SCHEDULED, closes_in=timedelta(days=9),
                      title="Vente suivante")  # fmt: skip
    closed = _sale(world.org_a, Sale.Status.CLOSED, closes_in=timedelta(days=-1),
                   title="Vente passée")  # fmt: skip
    client.force_login(world.users["coordinator"])
    detail = reverse("catalog:import_detail", args=[world.org_a.slug, product_import.pk])
    offer = reverse("sales:import_offer", args=[world.org_a.slug, product_import.pk])

    page = client.get(detail).content.decode()
    assert f'hx-get="{offer}"' in page and "Ajouter ces produits aux ventes" in page
    form = client.get(offer, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in form and "Proposer ces produits dans les ventes" in form
    assert "Vente de la semaine" in form and "Vente suivante" in form
    assert "Vente passée" not in form

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(offer, {"sales": [str(open_sale.pk)]}, follow=True)

    assert response.redirect_chain[-1][0] == detail
    assert "3 produits ajoutés à Vente de la semaine." in response.content.decode()
    assert _offered(open_sale) == {product.pk for product in products}
    assert _offered(scheduled) == set() and _offered(closed) == set()


@pytest.mark.django_db
def test_posting_no_sale_or_a_closed_one_adds_nothing(client, world):
    product_import = _done_import(world, _imported(world.org_a, world.producer))
    closed = _sale(world.org_a, Sale.Status.CLOSED, closes_in=timedelta(days=-1))
    client.force_login(world.users["coordinator"])
    offer = reverse("sales:import_offer", args=[world.org_a.slug, product_import.pk])

    response = client.post(offer, {"sales": [str(closed.pk), "abc"]}, follow=True)

    assert "Choisissez au moins une vente." in response.content.decode()
    assert not SaleItem.objects.exists()


@pytest.mark.django_db
def test_the_page_of_an_import_not_done_has_no_offer(client, world):
    checking = _done_import(world, [])
    ProductImport.objects.filter(pk=checking.pk).update(status=ProductImport.Status.READY)
    client.force_login(world.users["coordinator"])

    offer = reverse("sales:import_offer", args=[world.org_a.slug, checking.pk])

    assert client.get(offer).status_code == 404


# --- Locks and races (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.django_db
def test_adding_locks_the_sale_only():
    skip_unless_postgresql()
    organisation = OrganisationFactory()
    sale = _sale(organisation, Sale.Status.OPEN)
    new = _imported(organisation, ProducerLinkFactory(organisation=organisation).producer)

    added, recording = locks_of(
        lambda: services.sale_items_add(sale=sale, product_ids=[p.pk for p in new])
    )

    assert added == 3 and recording.ranks() == ["sale"]


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_coordinators_adding_at_once_and_the_sale_closing_add_each_product_once():
    postgresql_only()
    organisation = OrganisationFactory()
    sale = _sale(organisation, Sale.Status.OPEN)
    ids = [p.pk for p in _imported(organisation, ProducerLinkFactory(
        organisation=organisation).producer, count=5)]  # fmt: skip

    def act(index):
        if index == 0:
            services.sale_close_now(sale=sale)
            return "closed"
        try:
            return services.sale_items_add(sale=sale, product_ids=ids)
        except errors.SaleStatusInvalid:
            return "refused"

    results = run_together(act, 6)

    # The sale's lock puts them in a row: the first coordinator before the closing adds the
    # five products, the next ones find them offered; after the closing, a refusal.
    added = sorted(result for result in results if isinstance(result, int))
    assert added in ([], [*[0] * (len(added) - 1), 5])
    assert _offered(sale) == (set(ids) if added else set())
    assert results.count("refused") + len(added) == 5
