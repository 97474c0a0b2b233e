"""The reads behind the DFC endpoints."""

from __future__ import annotations

import datetime

from cabas.catalog.models import ProducerLink, Product
from cabas.catalog.selectors import public_producers
from cabas.orgs.models import Organisation


def published_organisation(*, slug: str) -> Organisation | None:
    """The active organisation ``slug``, or None."""
    return Organisation.objects.filter(slug=slug, is_active=True).first()


def published_products(*, organisation: Organisation, day: datetime.date) -> list[Product]:
    """The products the organisation's public page shows on ``day`` (active products of the
    producers supplying it that day), by producer, category and name: two queries."""
    return [
        product
        for producer in public_producers(organisation=organisation, day=day)
        for product in producer.public_products
    ]


def published_product(*, organisation: Organisation, day: datetime.date, pk: int) -> Product | None:
    """One of ``published_products``, or None (inactive, of a producer not supplying, of
    another organisation, unknown)."""
    links = ProducerLink.objects.for_organisation(organisation).supplying_on(day)
    return (
        Product.objects.filter(
            organisation=organisation,
            is_active=True,
            pk=pk,
            producer__in=links.values("producer"),
        )
        .order_by("pk")
        .first()
    )
