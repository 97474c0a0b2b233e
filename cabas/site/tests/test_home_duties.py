"""The member home's duty block: the person's next three duties, and how many duties of the
next two weeks still look for someone (when they may take one)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.work import services
from cabas.work.models import WorkSettings
from cabas.work.tests.factories import DutyFactory

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def home(client, membership) -> str:
    client.force_login(membership.user)
    response = client.get(reverse("site:member_home", args=[membership.organisation.slug]))
    assert response.status_code == 200
    return response.content.decode()


def world():
    organisation = OrganisationFactory()
    WorkSettings.objects.create(organisation=organisation)
    return organisation, MembershipFactory(organisation=organisation, is_volunteer=True)


def test_a_volunteer_sees_their_next_three_duties_and_the_unfilled_ones(client):
    organisation, me = world()
    now = timezone.now()
    for index, name in enumerate(["Accueil du matin", "Caisse", "Pesée", "Rangement"]):
        duty = DutyFactory(organisation=organisation, task_type__name=name,
                           starts_at=now + (index + 3) * DAY)  # fmt: skip
        services.signup_create(period=duty, membership=me)
    DutyFactory(organisation=organisation, starts_at=now + 4 * DAY)  # unfilled
    DutyFactory(organisation=organisation, starts_at=now + 13 * DAY)  # unfilled
    full = DutyFactory(organisation=organisation, places=1, starts_at=now + 5 * DAY)
    services.signup_create(
        period=full, membership=MembershipFactory(organisation=organisation, is_volunteer=True)
    )
    DutyFactory(organisation=organisation, starts_at=now + 20 * DAY)  # beyond two weeks

    page = home(client, me)

    block = page.split("Mes prochaines permanences")[1]
    assert block.index("Accueil du matin") < block.index("Caisse") < block.index("Pesée")
    assert "Rangement" not in page  # the fourth
    assert "2 permanences cherchent encore quelqu’un." in block
    assert reverse("work:duties", args=[organisation.slug]) in block


def test_a_member_who_may_not_take_duties_sees_no_duty_block(client):
    organisation, _ = world()
    DutyFactory(organisation=organisation)
    member = MembershipFactory(organisation=organisation)

    assert "Mes prochaines permanences" not in home(client, member)


def _queries(client, copies: int) -> int:
    organisation, me = world()
    for index in range(copies):
        duty = DutyFactory(organisation=organisation,
                           starts_at=timezone.now() + (index + 2) * DAY)  # fmt: skip
        services.signup_create(period=duty, membership=me)
        DutyFactory(organisation=organisation, starts_at=duty.starts_at)
    client.force_login(me.user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("site:member_home", args=[organisation.slug])).content.decode()
    assert f"{copies} permanence" in page
    return len(queries)


def test_the_duty_block_costs_the_same_queries_for_1_and_3_duties(client):
    assert _queries(client, 1) == _queries(client, 3)
