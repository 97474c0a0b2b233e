"""Putting a member on the shifts: the coordinator searches them by name or e-mail and chooses
among the few found (not a select of thousands); junk searches are harmless, a member of
another organisation or already on the shifts is refused, and the page's queries do not grow
with the number of members."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.work import services
from cabas.work.models import ShiftMember, WorkSettings
from cabas.work.views_shifts import MEMBERS_FOUND

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    organisation = OrganisationFactory(kind="cooperative", slug="epicerie")
    WorkSettings.objects.create(organisation=organisation)
    return organisation


@pytest.fixture
def coordinator(org, client):
    membership = MembershipFactory(organisation=org, is_coordinator=True, user__last_name="Zed")
    client.force_login(membership.user)
    return membership


def address(org, search=None):
    url = reverse("work:shift_member_add", args=[org.slug])
    return url if search is None else f"{url}?q={search}"


def test_the_search_finds_members_by_name_or_email_and_lists_only_them(org, client, coordinator):
    lea = MembershipFactory(organisation=org, user__first_name="Léa", user__last_name="Martin")
    paul = MembershipFactory(organisation=org, user__email="paul.durand@example.org")
    on = MembershipFactory(organisation=org, user__first_name="Léa", user__last_name="Onshift")
    services.shift_member_set(membership=on, regime="flying", starts_on=date(2024, 1, 1))

    by_name = client.get(address(org, "léa"))
    by_email = client.get(address(org, "DURAND"))

    shown = [value for value, _label in by_name.context["form"]["membership"].field.widget.choices]
    assert shown == [lea.pk]
    assert [v for v, _ in by_email.context["form"]["membership"].field.widget.choices] == [paul.pk]
    assert "Léa Martin" in by_name.content.decode()


def test_a_long_result_is_cut_and_says_to_type_more(org, client, coordinator):
    MembershipFactory.create_batch(MEMBERS_FOUND + 1, organisation=org)

    page = client.get(address(org))

    assert len(page.context["form"]["membership"].field.widget.choices) == MEMBERS_FOUND
    assert page.context["more"] is True


@pytest.mark.parametrize("junk", ["%25", "'%3B--", "x" * 500, "%C2%B2", "%F0%9F%8D%85"])
def test_junk_searches_find_nothing_or_something_never_an_error(org, client, coordinator, junk):
    page = client.get(address(org, junk))

    assert page.status_code == 200


def test_a_member_found_is_put_on_the_shifts(org, client, coordinator):
    lea = MembershipFactory(organisation=org, user__first_name="Léa")

    answer = client.post(address(org, "léa"), {"membership": lea.pk, "regime": "flying"})

    assert answer.status_code == 302
    assert ShiftMember.objects.get().membership == lea


@pytest.mark.parametrize("which", ["foreign", "already", "junk"])
def test_a_foreign_stale_or_junk_member_is_refused_and_nothing_changes(
    org, client, coordinator, which
):
    already = MembershipFactory(organisation=org)
    services.shift_member_set(membership=already, regime="flying", starts_on=date(2024, 1, 1))
    chosen = {
        "foreign": MembershipFactory(organisation=OrganisationFactory()).pk,
        "already": already.pk,
        "junk": "abc",
    }[which]
    before = list(ShiftMember.objects.values_list("pk", "membership_id", "regime"))

    answer = client.post(address(org), {"membership": chosen, "regime": "flying"})

    assert answer.status_code == 200 and "membership" in answer.context["form"].errors
    assert list(ShiftMember.objects.values_list("pk", "membership_id", "regime")) == before


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_runs_the_same_queries_for_few_and_many_members(org, client, coordinator):
    MembershipFactory.create_batch(3, organisation=org)
    _queries(client, address(org))  # the session's first visit loads it once
    few = _queries(client, address(org))
    MembershipFactory.create_batch(40, organisation=org)

    assert _queries(client, address(org)) == few
    assert _queries(client, address(org, "a")) == few
