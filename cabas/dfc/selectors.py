"""The reads behind the DFC endpoints."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch

from cabas.catalog.models import Producer, ProducerLink, Product
from cabas.catalog.selectors import public_producers
from cabas.orgs.models import Organisation
from cabas.sales.models import Pickup, Sale, SaleItem, Slot


def published_organisation(*, slug: str) -> Organisation | None:
    """The active organisation ``slug``, or None."""
    return Organisation.objects.filter(slug=slug, is_active=True).first()


def published_producers(*, organisation: Organisation, day: datetime.date) -> list[Producer]:
    """The producers the organisation's public page shows on ``day`` (those supplying it that
    day), by name, each with ``public_products`` (its active products, by category and name):
    two queries."""
    return public_producers(organisation=organisation, day=day)


def published_producer(
    *, organisation: Organisation, day: datetime.date, pk: int
) -> Producer | None:
    """One of ``published_producers`` with its ``public_products``, or None (not supplying
    the organisation that day, left, unknown): two queries."""
    active_products = Product.objects.filter(organisation=organisation, is_active=True).order_by(
        "category", "name"
    )
    links = ProducerLink.objects.for_organisation(organisation).supplying_on(day)
    return (
        Producer.objects.filter(pk=pk, links__in=links)
        .prefetch_related(Prefetch("products", active_products, to_attr="public_products"))
        .first()
    )


def published_products(*, organisation: Organisation, day: datetime.date) -> list[Product]:
    """The products the organisation's public page shows on ``day`` (active products of the
    producers supplying it that day), by producer, category and name: two queries."""
    return [
        product
        for producer in published_producers(organisation=organisation, day=day)
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


def published_sales(*, organisation: Organisation, now: datetime.datetime) -> list[Sale]:
    """The sales taking orders at ``now`` (those the public page links to), soonest cutoff
    first, each with ``published_pickups`` (pickup point loaded, by start, with their open
    ``published_slots``) and ``published_items`` (offered items, product loaded, by product
    name): four queries."""
    slots = Slot.objects.filter(is_open=True).order_by("starts_at", "pk")
    pickups = (
        Pickup.objects.select_related("pickup_point")
        .prefetch_related(Prefetch("slots", slots, to_attr="published_slots"))
        .order_by("starts_at", "pk")
    )
    items = SaleItem.objects.offered().select_related("product").order_by("product__name", "pk")
    return list(
        Sale.objects.filter(organisation=organisation)
        .taking_orders(now)
        .prefetch_related(
            Prefetch("pickups", pickups, to_attr="published_pickups"),
            Prefetch("items", items, to_attr="published_items"),
        )
        .order_by("closes_at", "pk")
    )
