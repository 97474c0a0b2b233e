from datetime import time, timedelta

import factory
from django.utils import timezone

from cabas.orgs.tests.factories import OrganisationFactory
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


class ShiftPeriodFactory(factory.django.DjangoModelFactory):
    """A dated shift three days ahead, without template."""

    class Meta:
        model = WorkPeriod

    organisation = factory.SubFactory(OrganisationFactory)
    kind = WorkPeriod.Kind.SHIFT
    task_type = factory.SubFactory(
        TaskTypeFactory, organisation=factory.SelfAttribute("..organisation")
    )
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda period: period.starts_at + timedelta(hours=3))
    places = 2
