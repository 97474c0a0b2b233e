"""New pickups get their duties with no click: sales sends ``pickups_saved`` on commit, the
work app enqueues ``duties_generate_for_pickups`` (run at once by the tests' backend)."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from cabas.core.errors import DomainError
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales import services as sales_services
from cabas.sales.models import Pickup, SlotMode
from cabas.sales.services.schedules import SchedulePickupSpec
from cabas.sales.tests.factories import PickupPointFactory, SaleFactory
from cabas.work.models import WorkPeriod
from cabas.work.tests.factories import DutyTemplateFactory

pytestmark = pytest.mark.django_db


def test_a_pickup_created_by_a_coordinator_gets_its_duties(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    template = DutyTemplateFactory(organisation=organisation, places=2)
    sale = SaleFactory(organisation=organisation)
    starts_at = sale.closes_at + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        pickup = sales_services.pickup_create(
            sale=sale,
            pickup_point=PickupPointFactory(organisation=organisation),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            slot_mode=SlotMode.UNLIMITED,
        )

    duty = WorkPeriod.objects.get(pickup=pickup)
    assert (duty.duty_template, duty.places, duty.kind) == (template, 2, "duty")


def test_a_refused_pickup_enqueues_nothing(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    DutyTemplateFactory(organisation=organisation)
    sale = SaleFactory(organisation=organisation)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(DomainError):
        sales_services.pickup_create(
            sale=sale,
            pickup_point=PickupPointFactory(organisation=organisation),
            starts_at=sale.closes_at - timedelta(hours=1),  # before the cutoff: refused
            ends_at=sale.closes_at + timedelta(hours=1),
            slot_mode=SlotMode.UNLIMITED,
        )
    assert callbacks == []
    assert not WorkPeriod.objects.exists()


def test_the_pickups_of_a_weekly_schedule_get_their_duties(django_capture_on_commit_callbacks):
    now = timezone.now()
    organisation = OrganisationFactory()
    point = PickupPointFactory(organisation=organisation)
    DutyTemplateFactory(organisation=organisation, during_pickup=True, start_time=None,
                        end_time=None)  # fmt: skip
    today = timezone.localdate(now, organisation.tzinfo)
    with django_capture_on_commit_callbacks(execute=True):
        sales_services.schedule_create(
            organisation=organisation,
            name="Vente du mardi",
            first_week=today - timedelta(days=today.weekday()),
            opens_days_before=8,
            opens_time=time(8, 0),
            closes_days_before=3,
            closes_time=time(20, 0),
            weeks_ahead=4,
            pickups=[
                SchedulePickupSpec(
                    pickup_point=point,
                    weekday=1,
                    starts_time=time(17, 0),
                    ends_time=time(19, 0),
                    slot_minutes=15,
                    slot_capacity=5,
                )
            ],
            now=now,
        )

    pickups = list(Pickup.objects.filter(organisation=organisation))
    assert len(pickups) >= 3
    duties = {duty.pickup_id: duty for duty in WorkPeriod.objects.all()}
    assert set(duties) == {pickup.pk for pickup in pickups}
    for pickup in pickups:
        assert (duties[pickup.pk].starts_at, duties[pickup.pk].ends_at) == (
            pickup.starts_at,
            pickup.ends_at,
        )


def test_the_duties_follow_a_pickup_moved_to_other_hours_or_another_point(
    django_capture_on_commit_callbacks,
):
    organisation = OrganisationFactory()
    point, other_point = PickupPointFactory.create_batch(2, organisation=organisation)
    during = DutyTemplateFactory(organisation=organisation, during_pickup=True, start_time=None,
                                 end_time=None)  # fmt: skip
    before = DutyTemplateFactory(organisation=organisation)  # 14:00–16:00, every point
    only_here = DutyTemplateFactory(organisation=organisation, pickup_point=point)
    DutyTemplateFactory(organisation=organisation, pickup_point=other_point)
    sale = SaleFactory(organisation=organisation)
    starts_at = sale.closes_at + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        pickup = sales_services.pickup_create(
            sale=sale, pickup_point=point, starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2), slot_mode=SlotMode.UNLIMITED,
        )  # fmt: skip
    assert WorkPeriod.objects.filter(pickup=pickup).count() == 3

    moved = starts_at + timedelta(days=1, hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        sales_services.pickup_update(
            pickup=pickup, pickup_point=other_point, starts_at=moved,
            ends_at=moved + timedelta(hours=2), slot_mode=SlotMode.UNLIMITED,
        )  # fmt: skip

    duties = {d.duty_template_id: d for d in WorkPeriod.objects.filter(pickup=pickup)}
    assert set(duties) - {during.pk, before.pk} == {
        t.pk for t in DutyTemplateFactory._meta.model.objects.filter(pickup_point=other_point)
    }
    assert only_here.pk not in duties
    assert (duties[during.pk].starts_at, duties[during.pk].ends_at) == (
        moved, moved + timedelta(hours=2),
    )  # fmt: skip
    tz = organisation.tzinfo
    local = timezone.localtime(duties[before.pk].starts_at, tz)
    assert (local.date(), local.hour) == (timezone.localtime(moved, tz).date(), 14)
