import pytest

from cabas.orders.tests.factories import open_shop


@pytest.fixture
def shop():
    """An open sale (orders' ``open_shop``) and a coordinator of its organisation."""
    shop = open_shop()
    shop.coordinator = shop.member(email="coordination@example.org")
    shop.organisation.memberships.filter(user=shop.coordinator).update(is_coordinator=True)
    return shop
