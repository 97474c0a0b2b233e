"""Duties for the member's duty pages' tests: a duty at a pickup, days ahead of now."""

from datetime import timedelta

import factory
from django.utils import timezone

from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales.tests.factories import PickupFactory, SaleFactory
from cabas.work.models import WorkPeriod

from .factories import TaskTypeFactory


class DutyFactory(factory.django.DjangoModelFactory):
    """A duty of three places at a pickup ten days ahead (its own sale and point unless
    given), two hours long."""

    class Meta:
        model = WorkPeriod

    organisation = factory.SubFactory(OrganisationFactory)
    kind = WorkPeriod.Kind.DUTY
    task_type = factory.SubFactory(
        TaskTypeFactory, organisation=factory.SelfAttribute("..organisation")
    )
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda duty: duty.starts_at + timedelta(hours=2))
    pickup = factory.SubFactory(
        PickupFactory,
        sale=factory.SubFactory(SaleFactory, organisation=factory.SelfAttribute("...organisation")),
        starts_at=factory.SelfAttribute("..starts_at"),
        ends_at=factory.SelfAttribute("..ends_at"),
    )
    places = 3
