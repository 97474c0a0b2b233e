"""The shift pages: "Mes services" (take a shift, offer a swap, take an offered one), and
the coordinators' cycle, members, counters, exemptions and attendance; bad input changes
nothing, another organisation's ids are 404, and every list runs a constant number of
queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cabas.notifications.models import OutboxMessage
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.work import services
from cabas.work.models import (
    CounterEntry,
    Exemption,
    ShiftMember,
    ShiftTemplate,
    Signup,
    TaskType,
    WorkPeriod,
    WorkSettings,
)
from cabas.work.tests.factories import ShiftPeriodFactory, ShiftTemplateFactory, TaskTypeFactory
from cabas.work.views_shifts import MEMBERS_FOUND

pytestmark = pytest.mark.django_db


def on_shifts(org, **user):
    membership = MembershipFactory(organisation=org, **{f"user__{k}": v for k, v in user.items()})
    services.shift_member_set(membership=membership, regime="flying", starts_on=date(2024, 1, 1))
    return membership


def url(name, org, *args):
    return reverse(f"work:{name}", args=[org.slug, *args])


def shift_in(org, days: int, **kwargs):
    """A shift ``days`` from now, in a cycle of its own (4 weeks apart, for the flying rule)."""
    start = timezone.now() + timedelta(days=days)
    return ShiftPeriodFactory(
        organisation=org, starts_at=start, ends_at=start + timedelta(hours=3), **kwargs
    )


def queries(client, address) -> int:
    client.get(address)  # the first page of a visit writes the organisation into the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


# --- Mes services ---------------------------------------------------------------------------


def test_a_member_takes_a_shift_in_one_tap_and_reads_the_refusal_of_a_second(org, client):
    member = on_shifts(org)
    client.force_login(member.user)
    first, second = shift_in(org, 3), shift_in(org, 4)

    page = client.get(url("my_shifts", org))
    assert url("my_shift_take", org, first.pk) in page.content.decode()
    response = client.post(url("my_shift_take", org, first.pk), follow=True)

    assert Signup.objects.get(period=first).membership == member
    assert url("my_shift_offer", org, Signup.objects.get().pk) in response.content.decode()
    refused = client.post(url("my_shift_take", org, second.pk), follow=True)
    second.refresh_from_db()
    assert second.taken == 0 and not Signup.objects.filter(period=second).exists()
    assert "message error" in refused.content.decode()


def test_a_member_up_to_date_is_offered_only_the_shifts_of_cycles_they_may_take(org, client):
    """One shift per cycle while no make-up is owed: the other shifts of a cycle already
    served show no button (its tap was always refused), those of the next cycle do; owing a
    make-up, every shift can be taken again."""
    member = on_shifts(org)
    client.force_login(member.user)
    settings = WorkSettings.objects.get(organisation=org)
    today = timezone.localdate(timezone.now(), org.tzinfo)
    cycle = settings.cycle_start(today) + timedelta(weeks=settings.cycle_weeks)  # the next one
    days = (cycle - today).days
    mine, same_cycle, next_cycle = (
        shift_in(org, days + 1),
        shift_in(org, days + 2),
        shift_in(org, days + 7 * settings.cycle_weeks + 1),
    )
    services.signup_create(period=mine, membership=member)

    page = client.get(url("my_shifts", org), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert url("my_shift_take", org, same_cycle.pk) not in page
    assert "Vous avez déjà votre service dans ce cycle." in page
    assert url("my_shift_take", org, next_cycle.pk) in page
    services.counter_correct(membership=member, delta=-1, note="rattrapage", by=None)
    page = client.get(url("my_shifts", org)).content.decode()
    assert url("my_shift_take", org, same_cycle.pk) in page


def test_a_member_not_on_shifts_reads_to_ask_a_coordinator(org, client):
    client.force_login(MembershipFactory(organisation=org).user)

    response = client.get(url("my_shifts", org))

    assert response.status_code == 200
    assert response.context["page"].shift_member is None


def test_a_swap_over_the_web_tells_both(org, client, django_capture_on_commit_callbacks):
    offering, taking = on_shifts(org, first_name="Léa"), on_shifts(org, first_name="Malik")
    signup = services.signup_create(period=shift_in(org, 5), membership=offering)

    client.force_login(offering.user)
    client.post(url("my_shift_offer", org, signup.pk), {"wanted": "1"})
    signup.refresh_from_db()
    assert signup.state == "replacement_wanted"

    client.force_login(taking.user)
    assert (
        url("my_shift_take_over", org, signup.pk)
        in client.get(url("my_shifts", org)).content.decode()
    )
    with django_capture_on_commit_callbacks():
        client.post(url("my_shift_take_over", org, signup.pk))

    signup.refresh_from_db()
    assert signup.state == "handed_over"
    assert Signup.objects.holding().get().membership == taking
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == sorted(
        [offering.user.email, taking.user.email]
    )


def test_a_member_cannot_offer_another_persons_shift_nor_reach_another_organisation(org, client):
    member, other = on_shifts(org), on_shifts(org)
    signup = services.signup_create(period=shift_in(org, 3), membership=other)
    elsewhere = shift_in(OrganisationFactory(), 3)
    client.force_login(member.user)

    assert client.post(url("my_shift_offer", org, signup.pk)).status_code == 404
    assert client.post(url("my_shift_take", org, elsewhere.pk)).status_code == 404
    assert client.post(url("my_shift_take", org, 999999)).status_code == 404
    signup.refresh_from_db()
    assert signup.state == "signed"


def test_my_shifts_costs_the_same_queries_for_2_and_12_shifts(org, client):
    member = on_shifts(org)
    client.force_login(member.user)
    others = [on_shifts(org) for _ in range(12)]

    def add(count):
        for i in range(count):
            period = shift_in(org, 2 + i, task_type=TaskTypeFactory(organisation=org))
            offered = services.signup_create(period=period, membership=others[i])
            services.signup_ask_replacement(signup=offered)
            mine = shift_in(org, 2 + 28 * i)
            services.signup_create(period=mine, membership=member, by=others[0].user)
            services.exemption_add(
                membership=member, starts_on=date(2099, 1, i + 1), ends_on=date(2099, 1, i + 2)
            )

    add(2)
    with_2 = queries(client, url("my_shifts", org))
    Signup.objects.all().delete()
    WorkPeriod.objects.all().delete()
    Exemption.objects.all().delete()
    add(12)

    assert queries(client, url("my_shifts", org)) == with_2


# --- The cycle ------------------------------------------------------------------------------


def test_a_coordinator_adds_a_shift_with_a_new_task_and_prepares_the_shifts(
    org, client, coordinator
):
    response = client.post(
        url("shift_template_add", org),
        {"week": "1", "weekday": "2", "start_time": "09:00", "end_time": "12:00",
         "new_task_name": "Réception", "places": "3", "is_active": "on"},
    )  # fmt: skip

    assert response.status_code == 302
    template = ShiftTemplate.objects.get()
    assert (template.week, template.weekday, template.task_type.name, template.places) == (
        1, 2, "Réception", 3,
    )  # fmt: skip
    assert "Réception" in client.get(url("shift_templates", org)).content.decode()
    client.post(url("shifts_prepare", org))
    assert WorkPeriod.objects.filter(shift_template=template).count() >= 2  # 8 weeks ahead


def test_a_shift_that_ends_before_it_starts_or_without_task_is_refused(org, client, coordinator):
    for data in (
        {"start_time": "12:00", "end_time": "09:00", "new_task_name": "Caisse"},
        {"start_time": "09:00", "end_time": "12:00"},
    ):
        response = client.post(
            url("shift_template_add", org), {"week": "0", "weekday": "0", "places": "2", **data}
        )
        assert response.status_code == 200 and response.context["form"].errors
    assert not ShiftTemplate.objects.exists() and not TaskType.objects.exists()


def test_a_coordinator_deactivates_a_shift_of_the_cycle(org, client, coordinator):
    template = ShiftTemplateFactory(organisation=org)

    client.post(
        url("shift_template_edit", org, template.pk),
        {"week": "0", "weekday": "1", "start_time": "09:00", "end_time": "12:00",
         "task_type": template.task_type_id, "places": "4"},
    )  # fmt: skip

    template.refresh_from_db()
    assert not template.is_active
    other = ShiftTemplateFactory(organisation=OrganisationFactory())
    assert client.get(url("shift_template_edit", org, other.pk)).status_code == 404


# --- Members, counters, exemptions ----------------------------------------------------------


def test_a_coordinator_puts_a_member_on_shifts_regular_needs_a_template(org, client, coordinator):
    membership = MembershipFactory(organisation=org)
    template = ShiftTemplateFactory(organisation=org)
    address = url("shift_member_add", org)

    refused = client.post(address, {"membership": membership.pk, "regime": "regular"})
    assert refused.status_code == 200 and "template" in refused.context["form"].errors
    assert not ShiftMember.objects.exists()

    client.post(address, {"membership": membership.pk, "regime": "regular",
                          "template": template.pk, "starts_on": "2026-01-05"})  # fmt: skip

    member = ShiftMember.objects.get()
    assert (member.regime, member.template, member.starts_on) == (
        "regular", template, date(2026, 1, 5),
    )  # fmt: skip


def test_a_correction_needs_a_reason_and_shows_in_the_ledger(org, client, coordinator):
    member = on_shifts(org, first_name="Léa")
    address = url("shift_member_correct", org, member.pk)

    refused = client.post(address, {"delta": "2", "note": ""})
    assert refused.status_code == 400 and not CounterEntry.objects.exists()
    client.post(address, {"delta": "2", "note": "Inventaire du 3 décembre"})

    assert ShiftMember.objects.get(membership=member).counter == 2
    page = client.get(url("shift_member", org, member.pk)).content.decode()
    assert "Inventaire du 3 décembre" in page
    assert CounterEntry.objects.get().recorded_by == coordinator.user


def test_exemptions_are_added_checked_and_removed(org, client, coordinator):
    member = on_shifts(org)
    address = url("shift_exemption_add", org, member.pk)

    refused = client.post(address, {"starts_on": "2026-08-15", "ends_on": "2026-08-01"})
    assert refused.status_code == 400 and not Exemption.objects.exists()
    client.post(
        address, {"starts_on": "2026-08-01", "ends_on": "2026-08-15", "reason": "<b>congé</b>"}
    )
    exemption = Exemption.objects.get()
    page = client.get(url("shift_member", org, member.pk)).content.decode()
    assert "&lt;b&gt;congé&lt;/b&gt;" in page

    client.post(url("shift_exemption_delete", org, exemption.pk))
    assert not Exemption.objects.exists()


def test_another_organisations_member_exemption_or_signup_is_not_found(org, client, coordinator):
    elsewhere = OrganisationFactory()
    other = on_shifts(elsewhere)
    exemption = services.exemption_add(
        membership=other, starts_on=date(2026, 8, 1), ends_on=date(2026, 8, 2)
    )
    signup = services.signup_create(period=shift_in(elsewhere, 3), membership=other)

    assert client.get(url("shift_member", org, other.pk)).status_code == 404
    assert client.post(url("shift_member_correct", org, other.pk),
                       {"delta": "1", "note": "x"}).status_code == 404  # fmt: skip
    assert client.post(url("shift_exemption_delete", org, exemption.pk)).status_code == 404
    assert client.post(url("shift_attendance", org, signup.pk),
                       {"attendance": "present"}).status_code == 404  # fmt: skip
    assert client.get(url("shift_detail", org, signup.period_id)).status_code == 404
    assert Exemption.objects.count() == 1 and not CounterEntry.objects.exists()


def test_members_on_shifts_cost_the_same_queries_for_3_and_30(org, client, coordinator):
    template = ShiftTemplateFactory(organisation=org)

    def add(count):
        for i in range(count):
            membership = MembershipFactory(organisation=org)
            regime = "regular" if i % 2 else "flying"
            services.shift_member_set(
                membership=membership, regime=regime, template=template if i % 2 else None
            )

    add(3)
    with_3 = queries(client, url("shift_members", org))
    add(27)

    assert queries(client, url("shift_members", org)) == with_3
    ledger_of = on_shifts(org)
    services.counter_correct(membership=ledger_of, delta=1, note="a", by=coordinator.user)
    with_1 = queries(client, url("shift_member", org, ledger_of.pk))
    for _ in range(20):
        services.counter_correct(membership=ledger_of, delta=1, note="b", by=coordinator.user)
    assert queries(client, url("shift_member", org, ledger_of.pk)) == with_1


# --- Dated shifts and attendance ------------------------------------------------------------


def test_attendance_replaced_needs_who_came_and_the_counter_follows_them(org, client, coordinator):
    member, substitute = on_shifts(org), on_shifts(org)
    signup = services.signup_create(period=shift_in(org, 3), membership=member)
    address = url("shift_attendance", org, signup.pk)

    client.post(address, {"attendance": "replaced"})
    signup.refresh_from_db()
    assert signup.attendance == "" and not CounterEntry.objects.exists()

    client.post(address, {"attendance": "replaced", "substitute": substitute.pk})

    assert ShiftMember.objects.get(membership=substitute).counter == 1
    assert ShiftMember.objects.get(membership=member).counter == 0
    client.post(address, {"attendance": "nonsense"})
    assert ShiftMember.objects.get(membership=substitute).counter == 1


def test_the_shift_list_and_a_shift_cost_the_same_queries_for_few_and_many(
    org, client, coordinator
):
    people = [on_shifts(org) for _ in range(10)]

    def add(count):
        for i in range(count):
            period = shift_in(
                org, 1 + i % 6, places=10, task_type=TaskTypeFactory(organisation=org)
            )
            for membership in people[: 1 + i % 4]:
                services.signup_create(period=period, membership=membership, by=coordinator.user)
        return period

    add(2)
    one = add(1)
    with_few = (
        queries(client, url("shift_list", org)),
        queries(client, url("shift_detail", org, one.pk)),
    )
    add(20)
    many = add(1)
    for membership in people[1:]:
        services.signup_create(period=many, membership=membership, by=coordinator.user)

    assert (queries(client, url("shift_list", org)),
            queries(client, url("shift_detail", org, many.pk))) == with_few  # fmt: skip


def test_the_shift_list_reads_a_date_and_refuses_a_bad_one(org, client, coordinator):
    shift_in(org, 40, task_type=TaskTypeFactory(organisation=org, name="Mise en rayon"))
    later = (timezone.localdate() + timedelta(days=38)).isoformat()

    assert "Mise en rayon" in client.get(url("shift_list", org) + f"?from={later}").content.decode()
    assert client.get(url("shift_list", org) + "?from=demain").status_code == 400


def test_the_menu_has_my_shifts_and_shifts_in_cooperatives_only(org, client):
    member = MembershipFactory(organisation=org)
    coordinator = MembershipFactory(organisation=org, is_coordinator=True)
    collective = OrganisationFactory(kind="collective")
    elsewhere = MembershipFactory(organisation=collective, is_coordinator=True)
    home = "site:member_home"

    client.force_login(member.user)
    page = client.get(reverse(home, args=[org.slug])).content.decode()
    assert url("my_shifts", org) in page and url("shift_list", org) not in page
    client.force_login(coordinator.user)
    page = client.get(reverse(home, args=[org.slug])).content.decode()
    assert url("my_shifts", org) in page and url("shift_list", org) in page
    client.force_login(elsewhere.user)
    page = client.get(reverse(home, args=[collective.slug])).content.decode()
    assert "my-shifts" not in page and "/shifts/" not in page


def test_a_member_withdraws_in_time_and_is_told_to_offer_a_swap_when_late(org, client):
    member = on_shifts(org)
    client.force_login(member.user)
    early = services.signup_create(period=shift_in(org, 5), membership=member)
    late = services.signup_create(period=shift_in(org, 1 + 28), membership=member, by=member.user)
    WorkPeriod.objects.filter(pk=late.period_id).update(
        starts_at=timezone.now() + timedelta(hours=20), ends_at=timezone.now() + timedelta(hours=23)
    )

    client.post(url("my_shift_withdraw", org, early.pk))
    refused = client.post(url("my_shift_withdraw", org, late.pk), follow=True)

    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.state, early.period.taken) == ("withdrawn", 0)
    assert (late.state, late.period.taken) == ("signed", 1)
    assert "message error" in refused.content.decode()


@pytest.mark.parametrize(
    ("counter", "days_negative", "words"),
    [
        (0, None, "À jour : rien de plus à faire"),
        (-1, 3, "En alerte : un rattrapage à faire. Prenez un service de plus ci-dessous d’ici le"),
        (-2, 3, "Suspendu : prenez un service de rattrapage ci-dessous"),
    ],
)
def test_my_shifts_says_what_the_status_means_in_french(org, client, counter, days_negative, words):
    member = on_shifts(org)
    ShiftMember.objects.filter(membership=member).update(
        counter=counter,
        negative_since=None if days_negative is None else timezone.localdate() - timedelta(days=3),
    )
    client.force_login(member.user)

    page = client.get(url("my_shifts", org), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert words in page


# --- Putting a member on the shifts: search, then choose among the few found ----------------


def add_page(org, search=None):
    url = reverse("work:shift_member_add", args=[org.slug])
    return url if search is None else f"{url}?q={search}"


def test_the_search_finds_members_by_name_or_email_and_lists_only_them(org, client, coordinator):
    lea = MembershipFactory(organisation=org, user__first_name="Xyléa", user__last_name="Martin")
    paul = MembershipFactory(organisation=org, user__email="paul.qwdurand@example.org")
    on = on_shifts(org, first_name="Xyléa", last_name="Onshift")

    by_name = client.get(add_page(org, "xyléa"))
    by_email = client.get(add_page(org, "QWDURAND"))

    shown = [value for value, _label in by_name.context["form"]["membership"].field.widget.choices]
    assert shown == [lea.pk]
    assert [v for v, _ in by_email.context["form"]["membership"].field.widget.choices] == [paul.pk]
    assert "Xyléa Martin" in by_name.content.decode()
    assert on.pk not in shown


def test_a_long_result_is_cut_and_says_to_type_more(org, client, coordinator):
    MembershipFactory.create_batch(MEMBERS_FOUND + 1, organisation=org)

    page = client.get(add_page(org))

    assert len(page.context["form"]["membership"].field.widget.choices) == MEMBERS_FOUND
    assert page.context["more"] is True


@pytest.mark.parametrize("junk", ["%25", "'%3B--", "x" * 500, "%C2%B2", "%F0%9F%8D%85"])
def test_junk_searches_find_nothing_or_something_never_an_error(org, client, coordinator, junk):
    page = client.get(add_page(org, junk))

    assert page.status_code == 200


def test_a_member_found_is_put_on_the_shifts(org, client, coordinator):
    lea = MembershipFactory(organisation=org, user__first_name="Léa")

    answer = client.post(add_page(org, "léa"), {"membership": lea.pk, "regime": "flying"})

    assert answer.status_code == 302
    assert ShiftMember.objects.get().membership == lea


@pytest.mark.parametrize("which", ["foreign", "already", "junk"])
def test_a_foreign_stale_or_junk_member_is_refused_and_nothing_changes(
    org, client, coordinator, which
):
    already = on_shifts(org)
    chosen = {
        "foreign": MembershipFactory(organisation=OrganisationFactory()).pk,
        "already": already.pk,
        "junk": "abc",
    }[which]
    before = list(ShiftMember.objects.values_list("pk", "membership_id", "regime"))

    answer = client.post(add_page(org), {"membership": chosen, "regime": "flying"})

    assert answer.status_code == 200 and "membership" in answer.context["form"].errors
    assert list(ShiftMember.objects.values_list("pk", "membership_id", "regime")) == before


def test_the_page_runs_the_same_queries_for_few_and_many_members(org, client, coordinator):
    MembershipFactory.create_batch(3, organisation=org)
    few = queries(client, add_page(org))
    MembershipFactory.create_batch(40, organisation=org)

    assert queries(client, add_page(org)) == few
    assert queries(client, add_page(org, "a")) == few
