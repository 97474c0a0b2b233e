"""Words a member or a coordinator reads on a phone: "1 place prise sur 2" (not "1 places
prises"), and a regular shift said as "semaine A, mercredi 14:00–17:00, …" (not "A
mercredi")."""

from datetime import time

import pytest
from django.urls import reverse

from cabas.sales.models import Weekday
from cabas.sales.tests.factories import PickupFactory
from cabas.work import services
from cabas.work.tests.factories import ShiftTemplateFactory, TaskTypeFactory

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
