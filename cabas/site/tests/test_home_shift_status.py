"""A coop member suspended from the shifts, where the drive asks members to be up to date, is
told so on their home page (before the "Commander" buttons), with the way back to "Mes
services"; a member in alert still orders and sees no warning."""

from datetime import date

import pytest
from django.urls import reverse

from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.work import services as work_services
from cabas.work.models import WorkSettings

pytestmark = pytest.mark.django_db


def _home_of(client, counter: int, required: bool = True) -> str:
    organisation = OrganisationFactory(kind="cooperative", members_only=True)
    WorkSettings.objects.create(organisation=organisation, shift_status_required=required)
    shop = open_shop(organisation=organisation)
    member = shop.member()
    membership = Membership.objects.get(user=member, organisation=organisation)
    work_services.shift_member_set(
        membership=membership, regime="flying", starts_on=date(2024, 1, 1)
    )
    work_services.counter_correct(membership=membership, delta=counter, note="test", by=None)
    client.force_login(member)
    page = client.get(reverse("site:member_home", args=[organisation.slug]))
    assert page.status_code == 200
    return page.content.decode()


def test_a_suspended_member_is_told_on_their_home_page_what_to_do(client):
    page = _home_of(client, -2)
    assert "Vos services ne sont pas à jour (suspendu)" in page
    assert "Aller à Mes services" in page
    assert page.index("Vos services ne sont pas à jour") < page.index('id="sales-title"')


def test_no_warning_in_alert_or_where_the_drive_does_not_ask(client):
    assert "Vos services ne sont pas à jour" not in _home_of(client, -1)
    assert "Vos services ne sont pas à jour" not in _home_of(client, -2, required=False)
