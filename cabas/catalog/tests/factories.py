from decimal import Decimal

import factory

from cabas.catalog.models import Producer, ProducerLink, Product, ProductImport
from cabas.core.search import search_text
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
    description = ""
    price = Decimal("2.50")
    vat_rate = Decimal("5.50")
    # What catalog.services.product_search_text writes, as a product made by the services has.
    search_text = factory.LazyAttribute(
        lambda product: search_text(product.name, product.description, product.producer.name)
    )


class ProductImportFactory(factory.django.DjangoModelFactory):
    """A one-line file in our template, already checked and ready to apply."""

    class Meta:
        model = ProductImport

    organisation = factory.SubFactory(OrganisationFactory)
    file_name = "produits.csv"
    content = b"reference;name;price;vat_rate\r\nX-1;Radis;1,50;5,5\r\n"
    status = ProductImport.Status.READY
    file_format = "cabas"
    total_lines = 1
    processed_lines = 1
    to_create = 1
