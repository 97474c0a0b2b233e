"""Words a member or a coordinator reads on a phone: "1 place prise sur 2" (not "1 places
prises"), a regular shift said as "semaine A, mercredi 14:00–17:00, …" (not "A mercredi"),
and "(présent)" without a stray space."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales.models import Weekday
from cabas.sales.tests.factories import PickupFactory
from cabas.work import services
from cabas.work.models import WorkSettings
from cabas.work.tests.factories import ShiftPeriodFactory, ShiftTemplateFactory, TaskTypeFactory

pytestmark = pytest.mark.django_db


def test_one_place_taken_is_singular_on_the_gaps_and_the_pickup_pages(client, world):
    client.force_login(world.users["coordinator"])
    duty = services.duty_add(
        pickup=PickupFactory(sale__organisation=world.org_a),
        task_type=TaskTypeFactory(organisation=world.org_a),
        places=2,
        during_pickup=True,
    )
    services.signup_create(period=duty, membership=world.memberships["volunteer"])
    slug = world.org_a.slug
    for url in (
        reverse("work:gaps", args=[slug]),
        reverse("work:pickup_duties", args=[slug, duty.pickup_id]),
    ):
        page = client.get(url).content.decode()
        assert "1 place prise sur 2" in page
        assert "1 places prises" not in page


def test_a_regular_shift_names_its_week():
    template = ShiftTemplateFactory(
        week=0,
        weekday=Weekday.WEDNESDAY,
        start_time=time(14),
        end_time=time(17),
        task_type__name="Mise en rayon",
    )
    assert str(template) == "semaine A, mercredi 14:00–17:00, Mise en rayon"


def test_the_attendance_in_the_shift_list_has_no_space_before_its_parenthesis(client):
    organisation = OrganisationFactory(kind="cooperative")
    WorkSettings.objects.create(organisation=organisation)
    coordinator = MembershipFactory(organisation=organisation, is_coordinator=True)
    member = MembershipFactory(organisation=organisation, user__first_name="Karim")
    services.shift_member_set(membership=member, regime="flying", starts_on=date(2024, 1, 1))
    start = timezone.now() + timedelta(days=1)
    shift = ShiftPeriodFactory(organisation=organisation, starts_at=start,
                               ends_at=start + timedelta(hours=3))  # fmt: skip
    signup = services.signup_create(period=shift, membership=member)
    services.signup_attendance_record(signup=signup, attendance="present", by=coordinator.user)
    client.force_login(coordinator.user)

    page = client.get(reverse("work:shift_list", args=[organisation.slug])).content.decode()

    assert "(présent)" in page
    assert "présent )" not in page
