from datetime import timedelta

import factory
from django.utils import timezone

from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales.models import ClosingPeriod, Pickup, PickupPoint, Sale, SaleItem, Slot, SlotMode


class PickupPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PickupPoint

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Salle des fêtes {n}")
    address = factory.Sequence(lambda n: f"{n} place de la Mairie")
    postcode = "81190"
    town = "Mirandol-Bourgnounac"


class SaleFactory(factory.django.DjangoModelFactory):
    """A draft sale opening in a day and closing in three (times relative to now)."""

    class Meta:
        model = Sale

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Vente n°{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    closes_at = factory.LazyAttribute(lambda sale: sale.opens_at + timedelta(days=2))


class PickupFactory(factory.django.DjangoModelFactory):
    """A pickup without slots (unlimited) two hours long, a day after the sale's cutoff; use
    services.pickup_create to get slots built."""

    class Meta:
        model = Pickup

    sale = factory.SubFactory(SaleFactory)
    organisation = factory.SelfAttribute("sale.organisation")
    pickup_point = factory.SubFactory(
        PickupPointFactory, organisation=factory.SelfAttribute("..organisation")
    )
    starts_at = factory.LazyAttribute(lambda pickup: pickup.sale.closes_at + timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda pickup: pickup.starts_at + timedelta(hours=2))
    slot_mode = SlotMode.UNLIMITED


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    pickup = factory.SubFactory(
        PickupFactory, slot_mode=SlotMode.SLOTS, slot_minutes=15, slot_capacity=5
    )
    organisation = factory.SelfAttribute("pickup.organisation")
    starts_at = factory.SelfAttribute("pickup.starts_at")
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + timedelta(minutes=15))
    capacity = 5


class SaleItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SaleItem

    sale = factory.SubFactory(SaleFactory)
    organisation = factory.SelfAttribute("sale.organisation")
    product = factory.SubFactory(
        "cabas.catalog.tests.factories.ProductFactory",
        organisation=factory.SelfAttribute("..organisation"),
    )


class ClosingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosingPeriod

    organisation = factory.SubFactory(OrganisationFactory)
    first_day = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    last_day = factory.SelfAttribute("first_day")
    reason = "Congés"
