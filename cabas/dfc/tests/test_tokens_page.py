"""The DFC connections page (/o/<slug>/dfc/tokens/): a member's tokens, every token for the
coordinators, the secret shown once, bad input a form error."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.dfc.models import DfcToken
from cabas.dfc.services import dfc_token_create

pytestmark = pytest.mark.django_db


def _url(world):
    return reverse("dfc:tokens", kwargs={"slug": world.org_a.slug})


def _revoke_url(world, token):
    return reverse("dfc:token_revoke", kwargs={"slug": world.org_a.slug, "pk": token.pk})


def _token(world, persona, name="Open Food Network", scopes=("products:read",)):
    return dfc_token_create(
        organisation=world.org_a, user=world.users[persona], name=name, scopes=scopes
    ).token


def test_a_member_is_offered_only_the_scopes_their_role_allows(client, world):
    client.force_login(world.users["member"])

    response = client.get(_url(world))

    offered = [value for value, _ in response.context["form"].fields["scopes"].choices]
    assert offered == ["enterprise:read", "products:read", "orders:read", "orders:write"]
    assert response.context["all_tokens"] is None
    assert "Connexions DFC" in response.content.decode()


def test_a_producer_is_offered_the_catalog_import(client, world):
    client.force_login(world.users["producer"])

    response = client.get(_url(world))

    offered = [value for value, _ in response.context["form"].fields["scopes"].choices]
    assert "products:write" in offered


def test_creating_shows_the_secret_once_and_a_reload_makes_no_second_token(client, world):
    client.force_login(world.users["member"])

    posted = client.post(
        _url(world), {"name": "  Open Food   Network ", "scopes": ["products:read"]}
    )
    response = client.get(posted["Location"])

    assert posted.status_code == 302 and posted["Location"] == _url(world)
    token = DfcToken.objects.get()
    new = response.context["new"]
    assert (token.name, token.user, token.organisation) == (
        "Open Food Network",
        world.users["member"],
        world.org_a,
    )
    assert token.scopes == ["products:read"]
    assert new.token == token
    assert new.secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    again = client.get(_url(world))  # a reload: the secret is gone, no token is made
    assert new.secret not in again.content.decode()
    assert token.prefix in again.content.decode()
    assert DfcToken.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"name": "OFN", "scopes": ["products:write"]},  # above a member's role
        {"name": "OFN", "scopes": ["<script>alert(1)</script>"]},
        {"name": "OFN"},
        {"name": "   ", "scopes": ["products:read"]},
        {"name": "x" * 101, "scopes": ["products:read"]},
        {},
    ],
)
def test_bad_input_is_a_form_error_and_creates_nothing(client, world, data):
    client.force_login(world.users["member"])

    response = client.post(_url(world), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["new"] is None
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert DfcToken.objects.count() == 0


def test_names_are_escaped(client, world):
    _token(world, "member", name="<b>OFN</b>")
    client.force_login(world.users["coordinator"])

    body = client.get(_url(world)).content.decode()

    assert "<b>OFN</b>" not in body
    assert "&lt;b&gt;OFN&lt;/b&gt;" in body


def test_a_member_sees_only_their_own_tokens(client, world):
    _token(world, "member", name="Mine")
    _token(world, "producer", name="The producer's")
    client.force_login(world.users["member"])

    response = client.get(_url(world))

    assert [token.name for token in response.context["tokens"]] == ["Mine"]
    assert "The producer" not in response.content.decode()


def test_a_coordinator_sees_every_token_with_its_account(client, world):
    _token(world, "member", name="Member's OFN")
    _token(world, "producer", name="Producer's OFN")
    client.force_login(world.users["coordinator"])

    response = client.get(_url(world))

    assert response.context["tokens"] == []
    assert {token.name for token in response.context["all_tokens"]} == {
        "Member's OFN",
        "Producer's OFN",
    }
    body = response.content.decode()
    assert "member-a@example.org" in body and "producer-a@example.org" in body


def test_the_list_costs_the_same_queries_however_many_tokens(client, world):
    client.force_login(world.users["coordinator"])
    _token(world, "member")
    client.get(
        _url(world)
    )  # warm: the first page of a visit writes the organisation into the session
    with CaptureQueriesContext(connection) as one:
        client.get(_url(world))
    for persona in ("producer", "volunteer", "coordinator", "supply", "member"):
        _token(world, persona, name=f"{persona}'s")
    client.get(
        _url(world)
    )  # warm: the first page of a visit writes the organisation into the session
    with CaptureQueriesContext(connection) as six:
        client.get(_url(world))

    assert len(six) == len(one)


def test_a_member_revokes_their_token(client, world):
    token = _token(world, "member")
    client.force_login(world.users["member"])

    response = client.post(_revoke_url(world, token), follow=True)

    assert response.redirect_chain[-1][0] == _url(world)
    assert "révoqué" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_member_cannot_revoke_someone_elses_token(client, world):
    token = _token(world, "producer")
    client.force_login(world.users["member"])

    assert client.post(_revoke_url(world, token)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_coordinator_revokes_a_members_token(client, world):
    token = _token(world, "member")
    client.force_login(world.users["coordinator"])

    assert client.post(_revoke_url(world, token)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_needs_a_post_with_the_csrf_token(world):
    from django.test import Client

    token = _token(world, "member")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["member"])

    assert client.get(_revoke_url(world, token)).status_code == 405
    assert client.post(_revoke_url(world, token)).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_profile_tokens_page_links_to_each_organisations_dfc_connections(client, world):
    client.force_login(world.users["member"])

    body = client.get(reverse("api_tokens")).content.decode()

    assert f'href="{_url(world)}"' in body
    assert "Connexions DFC — Collectif A" in body
    assert reverse("dfc:tokens", kwargs={"slug": world.org_b.slug}) not in body
