"""Prices (the Offers) of an organisation that hides them from visitors: published to a
member's platform whose token holds products:read, to nobody else."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from cabas.accounts.tests.factories import UserFactory
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.dfc.models import Scope
from cabas.dfc.services import dfc_token_create
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden():
    organisation = OrganisationFactory(slug="prix-caches", public_prices=False)
    producer = ProducerFactory(name="Ferme du Ségala")
    ProducerLinkFactory(organisation=organisation, producer=producer)
    ProductFactory(organisation=organisation, producer=producer, price=Decimal("3.50"))
    return organisation


def _token(organisation, scopes, *, member: bool = True) -> str:
    user = MembershipFactory(organisation=organisation).user if member else UserFactory()
    return dfc_token_create(organisation=organisation, user=user, name="Hub", scopes=scopes).secret


def _offers(organisation, secret: str | None = None, name: str = "dfc:catalog_items") -> int:
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    response = Client().get(reverse(name, kwargs={"slug": organisation.slug}), headers=headers)
    assert response.status_code == 200, response.content
    graph = response.json()["@graph"]
    return sum(1 for node in graph if node["@type"] == "dfc-b:Offer")


def test_visitors_do_not_see_hidden_prices(hidden):
    assert _offers(hidden) == 0
    assert _offers(hidden, name="dfc:enterprise") == 0


def test_a_members_token_with_products_read_sees_them(hidden):
    secret = _token(hidden, [Scope.PRODUCTS_READ])

    assert _offers(hidden, secret) == 1
    assert _offers(hidden, secret, name="dfc:enterprise") == 1


def test_a_token_without_products_read_does_not(hidden):
    assert _offers(hidden, _token(hidden, [Scope.ORDERS_WRITE])) == 0


def test_a_token_of_an_account_that_is_not_a_member_does_not(hidden):
    secret = _token(hidden, [Scope.PRODUCTS_READ], member=False)
    assert _offers(hidden, secret) == 0


def test_a_bad_token_is_refused_not_read_as_a_visitor(hidden):
    response = Client().get(
        reverse("dfc:catalog_items", kwargs={"slug": hidden.slug}),
        headers={"Authorization": "Bearer dfc_nope"},
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
