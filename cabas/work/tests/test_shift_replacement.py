"""Who replaced a person on a shift: the coordinator searches a member (at most
``MEMBERS_FOUND`` listed, never the whole membership), then chooses; the service refuses a
member of another organisation, an inactive one or one already on the shift, and nothing
changes. The shift's page and the search cost the same queries for few and many members."""

import pytest

from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.work import errors, services
from cabas.work.models import CounterEntry, Signup
from cabas.work.tests.test_shift_pages import on_shifts, queries, shift_in, url
from cabas.work.views_shifts import MEMBERS_FOUND

pytestmark = pytest.mark.django_db


def _signup(org, **kwargs):
    return services.signup_create(period=shift_in(org, 3, **kwargs), membership=on_shifts(org))


def _found(page) -> set[int]:
    return {member.pk for member in page.context["found"]}


def test_the_search_proposes_active_members_not_on_the_shift(org, client, coordinator):
    signup = _signup(org, places=4)
    colleague = on_shifts(org)
    services.signup_create(period=signup.period, membership=colleague)
    lea = MembershipFactory(organisation=org, user__first_name="Léa")
    MembershipFactory(organisation=org, user__first_name="Léa", status=Membership.Status.LEFT)
    MembershipFactory(organisation=OrganisationFactory(), user__first_name="Léa")
    address = url("shift_replacement", org, signup.pk)

    assert _found(client.get(address, {"q": "léa"})) == {lea.pk}
    everyone = _found(client.get(address))
    assert lea.pk in everyone and coordinator.pk in everyone
    assert not everyone & {signup.membership_id, colleague.pk}


def test_a_full_name_finds_the_member_and_namesakes_show_their_address(org, client, coordinator):
    signup = _signup(org, places=4)
    antoine = MembershipFactory(
        organisation=org, user__first_name="Antoine", user__last_name="Blanc",
        user__email="antoine.blanc@example.org",
    )  # fmt: skip
    namesake = MembershipFactory(
        organisation=org, user__first_name="Antoine", user__last_name="Blanc",
        user__email="a.blanc@example.org",
    )  # fmt: skip
    MembershipFactory(organisation=org, user__first_name="Antoine", user__last_name="Noir")
    address = url("shift_replacement", org, signup.pk)

    page = client.get(address, {"q": "  antoine   BLANC "})

    assert _found(page) == {antoine.pk, namesake.pk}
    body = page.content.decode()
    assert "antoine.blanc@example.org" in body and "a.blanc@example.org" in body


def test_a_long_result_is_cut_and_says_to_type_more(org, client, coordinator):
    signup = _signup(org)
    MembershipFactory.create_batch(MEMBERS_FOUND + 1, organisation=org)

    page = client.get(url("shift_replacement", org, signup.pk))

    assert len(page.context["found"]) == MEMBERS_FOUND and page.context["more"] is True


@pytest.mark.parametrize("junk", ["%25", "'%3B--", "x" * 500, "%F0%9F%8D%85"])
def test_junk_searches_find_nothing_or_something_never_an_error(org, client, coordinator, junk):
    signup = _signup(org)

    assert client.get(url("shift_replacement", org, signup.pk), {"q": junk}).status_code == 200


def test_the_member_chosen_is_recorded_and_shown_on_the_shift(org, client, coordinator):
    signup = _signup(org)
    lea = on_shifts(org, first_name="Léa", last_name="Martin")

    answer = client.post(
        url("shift_attendance", org, signup.pk), {"attendance": "replaced", "substitute": lea.pk}
    )

    assert answer.status_code == 302 and answer.url == url("shift_detail", org, signup.period_id)
    assert Signup.objects.get(pk=signup.pk).substitute_id == lea.pk
    page = client.get(answer.url).content.decode()
    assert "Léa Martin" in page and f'name="substitute" value="{lea.pk}"' in page


@pytest.mark.parametrize("which", ["foreign", "left", "on_the_shift", "themselves", "junk"])
def test_a_bad_replacement_is_refused_with_a_reason_and_nothing_changes(
    org, client, coordinator, which
):
    signup = _signup(org, places=4)
    on_it = on_shifts(org)
    services.signup_create(period=signup.period, membership=on_it)
    substitute = {
        "foreign": lambda: MembershipFactory(organisation=OrganisationFactory()).pk,
        "left": lambda: MembershipFactory(organisation=org, status=Membership.Status.LEFT).pk,
        "on_the_shift": lambda: on_it.pk,
        "themselves": lambda: signup.membership_id,
        "junk": lambda: "12x",
    }[which]()

    answer = client.post(
        url("shift_attendance", org, signup.pk),
        {"attendance": "replaced", "substitute": substitute},
        follow=True,
    )

    assert answer.status_code == 200
    assert answer.redirect_chain[-1][0] == url("shift_replacement", org, signup.pk)
    assert [m.level_tag for m in answer.context["messages"]] == ["error"]
    signup.refresh_from_db()
    assert (signup.attendance, signup.substitute_id) == ("", None)
    assert not CounterEntry.objects.exists()


def test_the_service_refuses_an_inactive_member_or_one_on_the_shift(org, coordinator):
    signup = _signup(org, places=4)
    on_it = on_shifts(org)
    services.signup_create(period=signup.period, membership=on_it)
    left = MembershipFactory(organisation=org, status=Membership.Status.LEFT)

    for substitute in (left, on_it):
        with pytest.raises(errors.SubstituteUnavailable):
            services.signup_attendance_record(
                signup=signup, attendance="replaced", substitute=substitute, by=None
            )
    assert Signup.objects.get(pk=signup.pk).substitute_id is None


def test_the_shift_and_the_search_cost_the_same_queries_for_few_and_many_members(
    org, client, coordinator
):
    signup = _signup(org, places=10)
    services.signup_attendance_record(
        signup=signup, attendance="replaced", substitute=coordinator, by=None
    )
    pages = (url("shift_detail", org, signup.period_id), url("shift_replacement", org, signup.pk))
    with_few = [queries(client, page) for page in pages]

    MembershipFactory.create_batch(40, organisation=org)
    for _ in range(5):
        services.signup_create(period=signup.period, membership=on_shifts(org))

    assert [queries(client, page) for page in pages] == with_few
    assert len(client.get(pages[0]).content) < 40_000


def test_a_replacement_recorded_before_they_left_can_be_saved_again(org, coordinator):
    signup = _signup(org, places=4)
    substitute = on_shifts(org)
    services.signup_attendance_record(
        signup=signup, attendance="replaced", substitute=substitute, by=None
    )
    Membership.objects.filter(pk=substitute.pk).update(status=Membership.Status.LEFT)
    substitute.refresh_from_db()

    # The shift corrected later: the same replacement is kept, not refused.
    services.signup_attendance_record(
        signup=Signup.objects.get(pk=signup.pk), attendance="replaced", substitute=substitute,
        by=None,
    )  # fmt: skip
    assert Signup.objects.get(pk=signup.pk).substitute_id == substitute.pk
    # A new replacement who has left is still refused.
    other = MembershipFactory(organisation=org, status=Membership.Status.LEFT)
    with pytest.raises(errors.SubstituteUnavailable):
        services.signup_attendance_record(
            signup=Signup.objects.get(pk=signup.pk), attendance="replaced", substitute=other,
            by=None,
        )  # fmt: skip
