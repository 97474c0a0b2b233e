"""The API's read of a sale (``selectors.shop_sale``): one plain SQL statement that gives what
``select_related`` gave — the sale, its organisation and the organisation's shift rules and
sales settings — so that the membership check and the minimum amount read nothing more."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cabas.orders import selectors
from cabas.orders.checks import minimum_check
from cabas.orders.errors import BelowMinimum
from cabas.orders.rules import member_check
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Organisation
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales.models import Sale, SalesSettings
from cabas.work.models import WorkSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return open_shop(organisation=OrganisationFactory(members_only=True))


def read(shop, **kwargs):
    kwargs.setdefault("slug", shop.organisation.slug)
    kwargs.setdefault("sale_id", shop.sale.pk)
    with CaptureQueriesContext(connection) as queries:
        sale = selectors.shop_sale(**kwargs)
    assert len(queries) == 1
    return sale


def test_the_sale_reads_as_the_orm_reads_it_with_its_organisation(shop):
    sale = read(shop)

    expected = Sale.objects.select_related("organisation").get(pk=shop.sale.pk)
    for field in Sale._meta.concrete_fields:
        assert getattr(sale, field.attname) == getattr(expected, field.attname), field.name
    for field in Organisation._meta.concrete_fields:
        assert getattr(sale.organisation, field.attname) == getattr(
            expected.organisation, field.attname
        ), field.name
    assert isinstance(sale.closes_at, type(timezone.now()))
    assert sale.organisation.members_only is True
    assert sale._state.adding is False


def test_settings_not_set_are_known_absent_without_a_query(shop):
    sale = read(shop)

    with CaptureQueriesContext(connection) as queries:
        assert getattr(sale.organisation, "work_settings", None) is None
        assert getattr(sale.organisation, "sales_settings", None) is None
        minimum_check(sale, Decimal("0.01"))
    assert len(queries) == 0


def test_settings_come_with_the_sale_and_apply(shop):
    WorkSettings.objects.create(organisation=shop.organisation, shift_status_required=True)
    SalesSettings.objects.create(
        organisation=shop.organisation, minimum_order_amount=Decimal("15.00")
    )
    sale = read(shop)

    assert sale.organisation.work_settings.shift_status_required is True
    with CaptureQueriesContext(connection) as queries:
        with pytest.raises(BelowMinimum):
            minimum_check(sale, Decimal("14.99"))
        minimum_check(sale, Decimal("15.00"))
    assert len(queries) == 0
    assert sale.organisation.sales_settings.minimum_order_amount == Decimal("15.00")


def test_the_membership_check_reads_only_the_membership(shop):
    sale = read(shop)
    member = shop.member()

    with CaptureQueriesContext(connection) as queries:
        member_check(user=member, organisation=sale.organisation)
    assert len(queries) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"slug": "another"},
        {"sale_id": 0},
        {"status": Sale.Status.CLOSED},
    ],
)
def test_no_sale_when_the_organisation_id_or_status_differ(shop, change):
    assert read(shop, **change) is None


def test_no_sale_of_an_inactive_organisation(shop):
    Organisation.objects.filter(pk=shop.organisation.pk).update(is_active=False)

    assert read(shop) is None
    assert read(shop, status=Sale.Status.OPEN) is None


def test_the_status_filter_finds_the_open_sale(shop):
    assert read(shop, status=Sale.Status.OPEN).pk == shop.sale.pk
