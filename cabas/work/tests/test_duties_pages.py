"""A member's duty pages: the coming duties by day and pickup, one-tap sign-up, withdrawal
(before the deadline), replacement requests and take-overs, through the views and the
services behind them; "my duties" with the thanks count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales.tests.factories import PickupPointFactory
from cabas.work import errors, services
from cabas.work.models import DutyAudience, Signup, WorkSettings

from .factories import DutyFactory, ShiftPeriodFactory

pytestmark = pytest.mark.django_db
State = Signup.State
WEEK = timedelta(days=7)


@pytest.fixture
def org():
    organisation = OrganisationFactory(name="Les Paniers du Ségala")
    WorkSettings.objects.create(organisation=organisation, withdraw_hours_before=48)
    return organisation


def person(org, first_name, last_name="Martin", **roles):
    return MembershipFactory(
        organisation=org, user__first_name=first_name, user__last_name=last_name, **roles
    )


def volunteer(org, first_name="Léa", last_name="Martin"):
    return person(org, first_name, last_name, is_volunteer=True)


def url(name, org, **kwargs):
    return reverse(f"work:{name}", kwargs={"slug": org.slug, **kwargs})


def page(client, membership, name="duties", **query) -> str:
    client.force_login(membership.user)
    response = client.get(url(name, membership.organisation), query)
    assert response.status_code == 200
    return response.content.decode()


def post(client, membership, name, **kwargs):
    client.force_login(membership.user)
    return client.post(url(name, membership.organisation, **kwargs), follow=True)


def message_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def snapshot(duty):
    duty.refresh_from_db()
    return duty.taken, sorted(duty.signups.values_list("membership_id", "state"))


# --- the list -------------------------------------------------------------------------------


def test_the_duties_are_grouped_by_day_and_pickup_with_hours_places_and_people(client, org):
    org.timezone = "America/Martinique"  # the page shows the organisation's hours
    org.save()
    point = PickupPointFactory(organisation=org, name="Salle des fêtes", town="Mirandol")
    start = timezone.now() + timedelta(days=9)
    duty = DutyFactory(organisation=org, task_type__name="Préparation des paniers",
                       starts_at=start, pickup__pickup_point=point)  # fmt: skip
    other = DutyFactory(organisation=org, task_type__name="Caisse du samedi",
                        starts_at=start + timedelta(days=1))  # fmt: skip
    services.signup_create(period=duty, membership=volunteer(org, "Paul", "Durand"))
    me = volunteer(org)

    html = page(client, me)

    first, second = html.index("Préparation des paniers"), html.index("Caisse du samedi")
    assert first < second
    local = timezone.localtime(start, org.tzinfo)
    assert f"{local:%H:%M}–{(local + timedelta(hours=2)):%H:%M}" in html
    assert "Salle des fêtes" in html and "Mirandol" in html
    assert other.pickup.pickup_point.name in html
    assert "2 places libres sur 3" in html and "3 places libres sur 3" in html
    assert "Paul D." in html and me.user.email not in html and "Durand" not in html
    assert html.count("Je m’inscris") == 2


def test_the_name_of_someone_who_left_the_organisation_is_not_shown(client, org):
    duty = DutyFactory(organisation=org)
    gone = volunteer(org, "Paul", "Durand")
    services.signup_create(period=duty, membership=gone)
    gone.status = "left"
    gone.save()

    html = page(client, volunteer(org))

    assert "Paul" not in html and "un·e membre" in html


def test_past_cancelled_far_and_foreign_duties_and_shifts_are_not_listed(client, org):
    now = timezone.now()
    DutyFactory(organisation=org, task_type__name="Passée", starts_at=now - timedelta(hours=1))
    DutyFactory(organisation=org, task_type__name="Annulée", is_cancelled=True)
    DutyFactory(organisation=org, task_type__name="Lointaine", starts_at=now + timedelta(weeks=8))
    DutyFactory(task_type__name="Ailleurs")
    ShiftPeriodFactory(organisation=org, task_type__name="Réception")
    DutyFactory(organisation=org, task_type__name="Visible")

    html = page(client, volunteer(org))

    assert "Visible" in html
    for hidden in ("Passée", "Annulée", "Lointaine", "Ailleurs", "Réception"):
        assert hidden not in html
    assert "Lointaine" in page(client, volunteer(org, "Zoé"), weeks="10")


def test_a_weeks_parameter_that_is_not_a_number_is_a_clear_400(client, org):
    client.force_login(volunteer(org).user)
    response = client.get(url("duties", org), {"weeks": "deux"})
    assert response.status_code == 400


# --- signing up -----------------------------------------------------------------------------


def test_a_volunteer_signs_up_in_one_tap_and_sees_the_withdrawal_deadline(client, org):
    duty = DutyFactory(organisation=org)
    me = volunteer(org)

    response = post(client, me, "duty_signup", period_id=duty.pk)

    assert message_of(response) == "Vous êtes inscrit·e. Merci !"
    assert snapshot(duty) == (1, [(me.pk, State.SIGNED)])
    html = response.content.decode()
    assert "Me désinscrire" in html and "Désinscription possible jusqu’au" in html
    assert "2 places libres sur 3" in html and "Je m’inscris" not in html


def test_a_full_duty_is_refused_with_a_message_and_nothing_changes(client, org):
    duty = DutyFactory(organisation=org, places=1)
    first = volunteer(org, "Paul")
    services.signup_create(period=duty, membership=first)
    before = snapshot(duty)

    response = post(client, volunteer(org), "duty_signup", period_id=duty.pk)

    assert message_of(response) == "Toutes les places sont déjà prises."
    assert snapshot(duty) == before
    assert "Complet" in response.content.decode()


def test_a_plain_member_may_not_sign_up_when_duties_are_for_volunteers(client, org):
    duty = DutyFactory(organisation=org)
    member = person(org, "Jean")

    html = page(client, member)
    response = post(client, member, "duty_signup", period_id=duty.pk)

    assert "Les permanences sont tenues par les bénévoles" in html
    assert "Je m’inscris" not in html and duty.task_type.name in html
    assert message_of(response) == "Seuls les bénévoles peuvent s’inscrire aux permanences."
    assert snapshot(duty) == (0, [])


def test_a_plain_member_signs_up_when_duties_are_open_to_all_members(client, org):
    WorkSettings.objects.filter(organisation=org).update(duties_open_to=DutyAudience.MEMBERS)
    duty = DutyFactory(organisation=org)
    member = person(org, "Jean")

    assert "Je m’inscris" in page(client, member)
    post(client, member, "duty_signup", period_id=duty.pk)

    assert snapshot(duty) == (1, [(member.pk, State.SIGNED)])


# --- withdrawing and replacements -----------------------------------------------------------


def test_withdrawing_before_the_deadline_frees_the_place(client, org):
    duty = DutyFactory(organisation=org, starts_at=timezone.now() + timedelta(days=5))
    me = volunteer(org)
    signup = services.signup_create(period=duty, membership=me)

    response = post(client, me, "duty_withdraw", signup_id=signup.pk)

    assert message_of(response) == "Vous n’êtes plus inscrit·e à cette permanence."
    assert snapshot(duty) == (0, [(me.pk, State.WITHDRAWN)])


def test_after_the_deadline_withdrawal_is_refused_and_a_replacement_is_offered(client, org):
    duty = DutyFactory(organisation=org, starts_at=timezone.now() + timedelta(hours=30))
    me = volunteer(org)
    signup = services.signup_create(period=duty, membership=me)

    html = page(client, me)
    response = post(client, me, "duty_withdraw", signup_id=signup.pk)

    assert "Me désinscrire" not in html and "Chercher un remplaçant" in html
    assert "La désinscription était possible jusqu’au" in html
    assert message_of(response) == (
        "Trop tard pour se désinscrire (moins de 48 heures avant) : cherchez plutôt un remplaçant."
    )
    assert snapshot(duty) == (1, [(me.pk, State.SIGNED)])


def test_asking_for_a_replacement_then_cancelling_the_request(client, org):
    duty = DutyFactory(organisation=org, starts_at=timezone.now() + timedelta(hours=30))
    me = volunteer(org)
    signup = services.signup_create(period=duty, membership=me)

    asked = post(client, me, "duty_replacement", signup_id=signup.pk)
    assert "Votre place est proposée" in message_of(asked)
    assert snapshot(duty) == (1, [(me.pk, State.REPLACEMENT_WANTED)])
    assert "Annuler la demande" in asked.content.decode()

    client.post(url("duty_replacement", org, signup_id=signup.pk), {"wanted": "0"})
    assert snapshot(duty) == (1, [(me.pk, State.SIGNED)])


def test_another_volunteer_takes_over_an_offered_place(client, org):
    duty = DutyFactory(organisation=org, starts_at=timezone.now() + timedelta(hours=30))
    leaving = volunteer(org, "Paul", "Durand")
    signup = services.signup_create(period=duty, membership=leaving)
    services.signup_ask_replacement(signup=signup)
    me = volunteer(org)

    html = page(client, me)
    response = post(client, me, "duty_take_over", signup_id=signup.pk)

    assert "Je le remplace" in html and "Remplacer Paul D." in html
    assert message_of(response) == "Vous avez pris cette place. Merci !"
    assert snapshot(duty) == (1, sorted([(leaving.pk, State.HANDED_OVER), (me.pk, State.SIGNED)]))


# --- forged ids -----------------------------------------------------------------------------


def test_foreign_or_forged_ids_are_404_and_change_nothing(client, org):
    me = volunteer(org)
    foreign = DutyFactory()
    shift = ShiftPeriodFactory(organisation=org)
    mine = services.signup_create(period=DutyFactory(organisation=org), membership=me)
    others = services.signup_create(
        period=DutyFactory(organisation=org), membership=volunteer(org, "Paul")
    )
    client.force_login(me.user)

    def status(name, **kwargs):
        return client.post(url(name, org, **kwargs)).status_code

    assert status("duty_signup", period_id=foreign.pk) == 404
    assert status("duty_signup", period_id=shift.pk) == 404
    assert status("duty_signup", period_id=999_999) == 404
    assert status("duty_withdraw", signup_id=others.pk) == 404
    assert status("duty_replacement", signup_id=others.pk) == 404
    assert status("duty_take_over", signup_id=mine.pk) == 404
    assert client.get(url("duty_signup", org, period_id=foreign.pk)).status_code == 405
    assert Signup.objects.count() == 2 and foreign.signups.count() == 0
    assert set(Signup.objects.values_list("state", flat=True)) == {State.SIGNED}


# --- htmx: the card swapped in place --------------------------------------------------------


def test_with_htmx_the_duty_card_comes_back_with_its_message(client, org):
    duty = DutyFactory(organisation=org, places=1)
    me = volunteer(org)
    client.force_login(me.user)

    done = client.post(url("duty_signup", org, period_id=duty.pk), HTTP_HX_REQUEST="true")
    again = client.post(url("duty_signup", org, period_id=duty.pk), HTTP_HX_REQUEST="true")

    assert done.status_code == 200
    card = done.content.decode()
    assert card.lstrip().startswith(f'<li class="card duty duty-mine" id="duty-{duty.pk}"')
    assert "Vous êtes inscrit·e. Merci !" in card and "Me désinscrire" in card
    assert again.status_code == 422 and "Vous êtes déjà inscrit·e." in again.content.decode()
    assert snapshot(duty) == (1, [(me.pk, State.SIGNED)])


# --- my duties ------------------------------------------------------------------------------


def test_my_duties_shows_mine_my_requests_places_offered_and_the_thanks(client, org):
    now = timezone.now()
    me = volunteer(org)
    coming = DutyFactory(organisation=org, task_type__name="Caisse du samedi")
    services.signup_create(period=coming, membership=me)
    asked = DutyFactory(organisation=org, task_type__name="Caisse",
                        starts_at=now + timedelta(hours=30))  # fmt: skip
    services.signup_ask_replacement(signup=services.signup_create(period=asked, membership=me))
    offered = DutyFactory(organisation=org, task_type__name="Pesée")
    offer = services.signup_create(period=offered, membership=volunteer(org, "Paul"))
    services.signup_ask_replacement(signup=offer)
    DutyFactory(organisation=org, task_type__name="Sans moi")
    for days in (3, 10):
        past = DutyFactory(organisation=org, starts_at=now - timedelta(days=days))
        done = services.signup_create(period=past, membership=me, now=past.starts_at - WEEK)
        services.signup_attendance_record(signup=done, attendance="present", by=me.user)

    html = page(client, me, "my_duties")

    mine, offers = html.split("Places à reprendre")
    assert "Caisse du samedi" in mine and "Caisse" in mine and "remplaçant recherché" in mine
    assert "Annuler la demande" in mine
    assert "Pesée" in offers and "Je le remplace" in offers
    assert "Sans moi" not in html
    assert "Vous avez tenu 2 permanences. Merci !" in html


# --- query counts ---------------------------------------------------------------------------


def _queries(client, copies: int) -> int:
    organisation = OrganisationFactory()
    WorkSettings.objects.create(organisation=organisation)
    me = volunteer(organisation)
    for index in range(copies):
        duty = DutyFactory(organisation=organisation,
                           starts_at=timezone.now() + timedelta(days=3 + index))  # fmt: skip
        services.signup_create(period=duty, membership=volunteer(organisation, f"P{index}"))
        mine = DutyFactory(organisation=organisation, pickup=duty.pickup,
                           starts_at=duty.starts_at)  # fmt: skip
        services.signup_ask_replacement(signup=services.signup_create(period=mine, membership=me))
    client.force_login(me.user)
    counts = []
    for name in ("duties", "my_duties"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(name, organisation))
        assert response.status_code == 200
        counts.append(len(queries))
    assert response.content.decode().count("Annuler la demande") == copies
    return counts


def test_the_duty_pages_cost_the_same_queries_for_1_and_4_duties(client):
    assert _queries(client, 1) == _queries(client, 4)


def test_a_second_tap_on_the_last_place_says_already_signed_up(org):
    """The service answered "every place is taken" to the person holding the last place."""
    now = timezone.now()
    duty = DutyFactory(organisation=org, places=1, starts_at=now + WEEK)
    me = volunteer(org)
    services.signup_create(period=duty, membership=me, now=now)

    with pytest.raises(errors.AlreadySignedUp):
        services.signup_create(period=duty, membership=me, now=now)
    assert snapshot(duty) == (1, [(me.pk, State.SIGNED)])
