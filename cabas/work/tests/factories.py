from datetime import time, timedelta

import factory
from django.utils import timezone

from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales.tests.factories import PickupFactory, SaleFactory
from cabas.work.models import DutyTemplate, ShiftTemplate, TaskType, WorkPeriod


class TaskTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskType

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Préparation des paniers {n}")
    instructions = "Apporter des sacs."


class DutyTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyTemplate

    organisation = factory.SubFactory(OrganisationFactory)
    task_type = factory.SubFactory(
        TaskTypeFactory, organisation=factory.SelfAttribute("..organisation")
    )
    start_time = time(14, 0)
    end_time = time(16, 0)
    places = 3


class ShiftTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftTemplate

    organisation = factory.SubFactory(OrganisationFactory)
    task_type = factory.SubFactory(
        TaskTypeFactory, organisation=factory.SelfAttribute("..organisation")
    )
    week = 0
    weekday = 1
    start_time = time(9, 0)
    end_time = time(12, 0)
    places = 4


class WorkPeriodFactory(factory.django.DjangoModelFactory):
    """A dated time someone works, with its own task type."""

    class Meta:
        model = WorkPeriod

    organisation = factory.SubFactory(OrganisationFactory)
    task_type = factory.SubFactory(
        TaskTypeFactory, organisation=factory.SelfAttribute("..organisation")
    )


class ShiftPeriodFactory(WorkPeriodFactory):
    """A dated shift three days ahead, without template."""

    kind = WorkPeriod.Kind.SHIFT
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda period: period.starts_at + timedelta(hours=3))
    places = 2


class DutyFactory(WorkPeriodFactory):
    """A duty of three places at a pickup ten days ahead (its own sale and point unless
    given), two hours long."""

    kind = WorkPeriod.Kind.DUTY
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda duty: duty.starts_at + timedelta(hours=2))
    pickup = factory.SubFactory(
        PickupFactory,
        sale=factory.SubFactory(SaleFactory, organisation=factory.SelfAttribute("...organisation")),
        starts_at=factory.SelfAttribute("..starts_at"),
        ends_at=factory.SelfAttribute("..ends_at"),
    )
    places = 3
