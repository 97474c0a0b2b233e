"""Organisations, joining, approvals, roles and invitations, through the web pages."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cabas.accounts.models import User
from cabas.accounts.tests.factories import PASSWORD, UserFactory
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory
from cabas.orgs.models import Invitation, Membership, Organisation
from cabas.orgs.tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ORG_DATA = {
    "name": "Les Paniers du Ségala",
    "slug": "paniers-segala",
    "kind": "collective",
    "timezone": "Europe/Paris",
    "language": "fr",
    "join_policy": "open",
    "description": "",
    "contact_email": "",
    "contact_phone": "",
    "address": "",
}


# --- creating and editing an organisation ---------------------------------------------------


def test_creating_an_organisation_makes_its_creator_coordinator(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("orgs:create"), ORG_DATA)

    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="paniers-segala")
    membership = Membership.objects.get(organisation=organisation, user=user)
    assert membership.is_active and membership.is_coordinator


def test_slug_collision_is_refused_and_creates_nothing(client):
    OrganisationFactory(slug="paniers-segala")
    client.force_login(UserFactory())
    before = (Organisation.objects.count(), Membership.objects.count())

    response = client.post(reverse("orgs:create"), ORG_DATA)

    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == [
        "Cette adresse web est déjà utilisée par une autre organisation."
    ]
    assert (Organisation.objects.count(), Membership.objects.count()) == before


def test_settings_refuse_another_organisations_slug(client, world):
    client.force_login(world.users["coordinator"])
    data = {**ORG_DATA, "name": "Nouveau nom", "slug": world.org_b.slug}

    response = client.post(reverse("orgs:settings", kwargs={"slug": world.org_a.slug}), data)

    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    world.org_a.refresh_from_db()
    assert (world.org_a.name, world.org_a.slug) == ("Collectif A", "collectif-a")


def test_settings_save_members_only_and_join_policy(client, world):
    client.force_login(world.users["coordinator"])
    data = {**ORG_DATA, "slug": "collectif-a", "members_only": "on", "join_policy": "approval"}

    response = client.post(reverse("orgs:settings", kwargs={"slug": "collectif-a"}), data)

    assert response.status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.members_only is True
    assert world.org_a.join_policy == "approval"


# --- joining ---------------------------------------------------------------------------------


def test_joining_an_open_organisation_is_immediate(client):
    organisation = OrganisationFactory(join_policy="open")
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("orgs:join", kwargs={"slug": organisation.slug}))

    assert response.url == reverse("site:member_home", kwargs={"slug": organisation.slug})
    assert Membership.objects.get(user=user, organisation=organisation).is_active


def test_joining_on_approval_waits_then_a_coordinator_accepts(client):
    organisation = OrganisationFactory(join_policy="approval")
    coordinator = MembershipFactory(organisation=organisation, is_coordinator=True).user
    applicant = UserFactory(first_name="Léa", last_name="Martin")
    client.force_login(applicant)

    client.post(
        reverse("orgs:join", kwargs={"slug": organisation.slug}),
        {"message": "J'habite à Vaour."},
    )
    membership = Membership.objects.get(user=applicant, organisation=organisation)
    assert membership.status == Membership.Status.PENDING
    assert membership.request_message == "J'habite à Vaour."
    # Not a member yet: the member area does not exist for them.
    home = reverse("site:member_home", kwargs={"slug": organisation.slug})
    assert client.get(home).status_code == 404
    page = client.get(reverse("site:public", kwargs={"slug": organisation.slug}))
    assert "attend la validation" in page.content.decode()

    client.force_login(coordinator)
    members_page = client.get(reverse("money:member_list", kwargs={"slug": organisation.slug}))
    assert "J&#x27;habite à Vaour." in members_page.content.decode()
    client.post(
        reverse("orgs:member_decide", kwargs={"slug": organisation.slug, "pk": membership.pk}),
        {"decision": "approve"},
    )

    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    assert membership.decided_by == coordinator
    client.force_login(applicant)
    assert client.get(home).status_code == 200


def test_a_refused_request_can_be_made_again(client):
    organisation = OrganisationFactory(join_policy="approval")
    membership = MembershipFactory(organisation=organisation, status="rejected")
    client.force_login(membership.user)

    client.post(reverse("orgs:join", kwargs={"slug": organisation.slug}))

    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING


def test_an_invitation_only_organisation_refuses_joining(client):
    organisation = OrganisationFactory(join_policy="invitation")
    client.force_login(UserFactory())

    response = client.post(reverse("orgs:join", kwargs={"slug": organisation.slug}), follow=True)

    assert "uniquement sur invitation" in response.content.decode()
    assert not Membership.objects.filter(organisation=organisation).exists()


def test_a_handled_request_cannot_be_decided_twice(client, world):
    client.force_login(world.users["coordinator"])
    url = reverse("orgs:member_decide", kwargs={"slug": "collectif-a", "pk": world.pending.pk})
    client.post(url, {"decision": "refuse"})

    response = client.post(url, {"decision": "approve"}, follow=True)

    assert "déjà été traitée" in response.content.decode()
    world.pending.refresh_from_db()
    assert world.pending.status == Membership.Status.REJECTED


def test_a_coordinator_of_b_cannot_touch_a_membership_of_a(client, world):
    client.force_login(world.users["outsider"])
    target = world.pending

    decide = reverse("orgs:member_decide", kwargs={"slug": "collectif-b", "pk": target.pk})
    roles = reverse("money:member_roles", kwargs={"slug": "collectif-b", "pk": target.pk})
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    assert client.post(roles, {"is_coordinator": "on"}).status_code == 404

    target.refresh_from_db()
    assert target.status == Membership.Status.PENDING
    assert target.is_coordinator is False


# --- roles -----------------------------------------------------------------------------------


def test_roles_are_changed_and_a_producer_role_needs_a_producer(client, world):
    client.force_login(world.users["coordinator"])
    membership = world.memberships["member"]
    url = reverse("money:member_roles", kwargs={"slug": "collectif-a", "pk": membership.pk})

    response = client.post(url, {"is_producer": "on"})
    assert response.status_code == 200
    assert "producer" in response.context["form"].errors
    membership.refresh_from_db()
    assert membership.is_producer is False

    response = client.post(url, {"is_producer": "on", "producer": world.producer.pk})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.is_producer, membership.producer) == (True, world.producer)


def test_a_producer_of_another_organisation_cannot_be_chosen(client, world):
    other = ProducerFactory()
    ProducerLinkFactory(organisation=world.org_b, producer=other)
    client.force_login(world.users["coordinator"])
    membership = world.memberships["member"]
    url = reverse("money:member_roles", kwargs={"slug": "collectif-a", "pk": membership.pk})

    response = client.post(url, {"is_producer": "on", "producer": other.pk})

    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.producer is None


def test_the_last_coordinator_keeps_the_role(client, world):
    client.force_login(world.users["coordinator"])
    membership = world.memberships["coordinator"]
    url = reverse("money:member_roles", kwargs={"slug": "collectif-a", "pk": membership.pk})

    response = client.post(url, {})

    assert "au moins un" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_coordinator is True


def test_members_list_uses_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.users["coordinator"])
    url = reverse("money:member_list", kwargs={"slug": "collectif-a"})
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    for _ in range(30):
        MembershipFactory(organisation=world.org_a, is_producer=True, producer=world.producer)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(response.context["memberships"]) == 35  # 5 of the world + 30; pending apart


def test_a_person_in_two_organisations_sees_both_in_the_switcher(client, world):
    user = world.users["member"]
    MembershipFactory(organisation=world.org_b, user=user)
    client.force_login(user)

    page = client.get(reverse("site:member_home", kwargs={"slug": "collectif-a"})).content.decode()

    assert 'href="/o/collectif-a/home/"' in page
    assert 'href="/o/collectif-b/home/"' in page


def test_a_page_reads_the_organisation_and_the_membership_in_one_statement(client, world):
    """``org_view`` reads both at once; with one organisation the menu lists none (the
    switcher shows from two), so the person's memberships are not read again."""
    user = world.users["member"]
    client.force_login(user)
    url = reverse("site:member_home", kwargs={"slug": "collectif-a"})

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()

    membership_reads = [q["sql"] for q in queries if '"orgs_membership"' in q["sql"]]
    assert len(membership_reads) == 1 and '"orgs_organisation"' in membership_reads[0]
    assert 'href="/o/collectif-b/home/"' not in page
    MembershipFactory(organisation=world.org_b, user=user)
    assert 'href="/o/collectif-b/home/"' in client.get(url).content.decode()


def test_navigation_follows_the_role(client, world):
    url = reverse("site:member_home", kwargs={"slug": "collectif-a"})
    client.force_login(world.users["member"])
    member_page = client.get(url).content.decode()
    client.force_login(world.users["coordinator"])
    coordinator_page = client.get(url).content.decode()

    members_link = reverse("money:member_list", kwargs={"slug": "collectif-a"})
    assert members_link not in member_page
    assert members_link in coordinator_page


# --- invitations -----------------------------------------------------------------------------


def _invitation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/invitations/\S+/)", message.body).group(1)


def test_an_invitation_creates_the_account_from_its_link(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("orgs:invitations", kwargs={"slug": "collectif-a"}),
            {"email": "Nouvelle@Example.org", "is_volunteer": "on"},
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nouvelle@example.org"]
    link = _invitation_link(mail.outbox[0])
    client.logout()

    response = client.post(
        link,
        {
            "first_name": "Inès",
            "last_name": "Roux",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.url == reverse("site:member_home", kwargs={"slug": "collectif-a"})
    user = User.objects.get(email="nouvelle@example.org")
    assert user.emailaddress_set.get().verified
    membership = Membership.objects.get(user=user, organisation=world.org_a)
    assert membership.is_active and membership.is_volunteer and not membership.is_coordinator
    # The link works once.
    client.logout()
    reused = client.get(link)
    assert reused.status_code == 410
    assert "déjà été utilisée" in reused.content.decode()


def test_an_invitation_with_a_weak_password_creates_nothing(client, world):
    users_before = User.objects.count()

    response = client.post(
        world.invitation.get_absolute_url(),
        {"first_name": "A", "last_name": "B", "password1": "1234", "password2": "1234"},
    )

    assert response.status_code == 200
    assert "password1" in response.context["signup_form"].errors
    assert User.objects.count() == users_before
    world.invitation.refresh_from_db()
    assert world.invitation.accepted_at is None


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        # Times are made when the test runs, on the test clock, not when it is collected.
        (lambda: {"expires_at": timezone.now() - timedelta(minutes=1)}, 410, "a expiré"),
        (lambda: {"revoked": True}, 404, "pas valide"),
        (lambda: {"accepted_at": timezone.now()}, 410, "déjà été utilisée"),
    ],
)
def test_unusable_invitations_say_why_and_change_nothing(client, change, status, words):
    invitation = InvitationFactory(**change())
    users_before, memberships_before = User.objects.count(), Membership.objects.count()
    data = {"first_name": "A", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD}

    response = client.post(invitation.get_absolute_url(), data)

    assert response.status_code == status
    assert words in response.content.decode()
    assert (User.objects.count(), Membership.objects.count()) == (users_before, memberships_before)


def test_an_unknown_invitation_token_is_not_found(client):
    response = client.get(reverse("orgs:invitation", kwargs={"token": "nope"}))
    assert response.status_code == 404


def test_an_existing_account_logs_in_then_accepts(client, world):
    person = UserFactory(email="guest@example.org")
    page = client.get(world.invitation.get_absolute_url()).content.decode()
    assert "connectez-vous" in page.lower()

    client.force_login(person)
    response = client.post(world.invitation.get_absolute_url())

    assert response.status_code == 302
    assert Membership.objects.get(user=person, organisation=world.org_a).is_active


def test_an_invitation_for_another_email_is_refused(client, world):
    someone_else = UserFactory(email="someone@example.org")
    client.force_login(someone_else)

    response = client.post(world.invitation.get_absolute_url(), follow=True)

    assert "autre adresse" in response.content.decode()
    assert not Membership.objects.filter(user=someone_else, organisation=world.org_a).exists()
    world.invitation.refresh_from_db()
    assert world.invitation.accepted_at is None


def test_inviting_a_current_member_is_refused(client, world):
    client.force_login(world.users["coordinator"])

    response = client.post(
        reverse("orgs:invitations", kwargs={"slug": "collectif-a"}),
        {"email": world.users["member"].email},
    )

    assert response.status_code == 200
    assert "déjà membre" in response.content.decode()
    assert not Invitation.objects.filter(email=world.users["member"].email).exists()


def test_a_withdrawn_invitation_link_stops_working(client, world):
    client.force_login(world.users["coordinator"])
    client.post(
        reverse("orgs:invitation_revoke", kwargs={"slug": "collectif-a", "pk": world.invitation.pk})
    )
    client.logout()

    assert client.get(world.invitation.get_absolute_url()).status_code == 404
