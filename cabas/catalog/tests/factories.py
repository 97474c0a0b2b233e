from decimal import Decimal

import factory

from cabas.catalog.models import Producer, ProducerLink, Product
from cabas.orgs.tests.factories import OrganisationFactory


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

    name = factory.Sequence(lambda n: f"Ferme {n}")
    email = factory.Sequence(lambda n: f"ferme{n}@example.org")


class ProducerLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProducerLink

    organisation = factory.SubFactory(OrganisationFactory)
    producer = factory.SubFactory(ProducerFactory)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    organisation = factory.SubFactory(OrganisationFactory)
    producer = factory.SubFactory(ProducerFactory)
    name = factory.Sequence(lambda n: f"Produit {n}")
    category = "vegetables-fresh"
    price = Decimal("2.50")
    vat_rate = Decimal("5.50")
