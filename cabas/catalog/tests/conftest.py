import pytest

from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory


@pytest.fixture
def segala(world):
    """The producer the fixture files name, supplying organisation A."""
    producer = ProducerFactory(name="Ferme du Ségala")
    ProducerLinkFactory(organisation=world.org_a, producer=producer)
    return producer
