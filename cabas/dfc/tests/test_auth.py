"""Who calls the DFC API and what they may do (cabas/dfc/auth.py, services.py): scopes never
above the role, revoked and foreign tokens refused, malformed headers refused."""

from datetime import timedelta

import pytest
from django.test import RequestFactory

from cabas.accounts.tests.factories import UserFactory
from cabas.dfc import auth, errors
from cabas.dfc.models import DfcToken
from cabas.dfc.services import dfc_token_create, dfc_token_revoke

pytestmark = pytest.mark.django_db

ALL = {"enterprise:read", "products:read", "products:write", "orders:read", "orders:write"}
READ_AND_ORDER = ALL - {"products:write"}


def _request(authorization: str | None = None):
    headers = {} if authorization is None else {"Authorization": authorization}
    return RequestFactory().get("/api/dfc/enterprises/collectif-a", headers=headers)


def _token(world, persona="member", scopes=("products:read",), organisation=None):
    return dfc_token_create(
        organisation=organisation or world.org_a,
        user=world.users[persona],
        name="Open Food Network",
        scopes=scopes,
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("member", READ_AND_ORDER),
        ("volunteer", READ_AND_ORDER),
        ("supply", READ_AND_ORDER),
        ("producer", ALL),
        ("coordinator", ALL),
        # B's coordinator is no member of A: what any visitor may do there (the order
        # services refuse non-members of a members-only organisation).
        ("outsider", READ_AND_ORDER),
    ],
)
def test_the_scopes_a_role_allows(world, persona, expected):
    assert auth.allowed_scopes(world.users[persona], world.org_a) == expected


def test_an_inactive_account_is_allowed_nothing(world):
    user = world.users["coordinator"]
    user.is_active = False
    user.save()

    assert auth.allowed_scopes(user, world.org_a) == frozenset()


def test_a_token_acts_with_its_scopes(world):
    new = _token(world, "producer", ["products:read", "products:write"])

    principal = auth.require(_request(f"Bearer {new.secret}"), world.org_a, "products:write")

    assert principal.user == world.users["producer"]
    assert principal.token == new.token
    assert principal.scopes == {"products:read", "products:write"}
    with pytest.raises(errors.Forbidden):
        auth.require(_request(f"Bearer {new.secret}"), world.org_a, "orders:write")


def test_a_coordinator_who_loses_the_role_loses_products_write(world):
    new = _token(world, "coordinator", ["products:read", "products:write"])
    world.memberships["coordinator"].is_coordinator = False
    world.memberships["coordinator"].save()

    principal = auth.principal_of(_request(f"Bearer {new.secret}"), world.org_a)

    assert principal.scopes == {"products:read"}
    with pytest.raises(errors.Forbidden) as refused:
        auth.require(_request(f"Bearer {new.secret}"), world.org_a, "products:write")
    assert refused.value.status == 403


def test_a_token_of_an_account_made_inactive_is_refused(world):
    new = _token(world)
    world.users["member"].is_active = False
    world.users["member"].save()

    with pytest.raises(errors.BadToken):
        auth.principal_of(_request(f"Bearer {new.secret}"), world.org_a)


def test_a_revoked_token_is_refused(world):
    new = _token(world)
    dfc_token_revoke(organisation=world.org_a, user=world.users["member"], token_id=new.token.pk)

    with pytest.raises(errors.BadToken) as refused:
        auth.principal_of(_request(f"Bearer {new.secret}"), world.org_a)
    assert refused.value.status == 401


def test_a_token_of_another_organisation_is_refused(world):
    new = _token(world, "outsider", organisation=world.org_b)

    with pytest.raises(errors.BadToken):
        auth.principal_of(_request(f"Bearer {new.secret}"), world.org_a)
    assert (
        auth.principal_of(_request(f"Bearer {new.secret}"), world.org_b).user
        == (world.users["outsider"])
    )


def test_no_credentials_is_anonymous_and_require_says_401(world):
    assert auth.principal_of(_request(), world.org_a) is None
    with pytest.raises(errors.Unauthenticated) as refused:
        auth.require(_request(), world.org_a, "products:read")
    assert not isinstance(refused.value, errors.BadToken)
    assert refused.value.status == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer   ",
        "Basic bWVtYmVyOnNlY3JldA==",
        "Token dfc_abc",
        "dfc_abc",
        "Bearer dfc_unknown",
        "Bearer a.b.c",  # a JWT with OpenID Connect off
    ],
)
def test_a_malformed_or_unknown_authorization_is_refused_not_anonymous(world, header):
    _token(world)

    with pytest.raises(errors.BadToken):
        auth.principal_of(_request(header), world.org_a)


def test_the_scheme_is_case_insensitive(world):
    new = _token(world)

    assert auth.principal_of(_request(f"bearer {new.secret}"), world.org_a).token == new.token


def test_last_used_at_is_written_at_most_once_a_minute(world, clock):
    new = _token(world)
    request = _request(f"Bearer {new.secret}")

    auth.principal_of(request, world.org_a)
    first = DfcToken.objects.get().last_used_at
    assert first is not None

    clock.shift(timedelta(seconds=50))
    auth.principal_of(request, world.org_a)
    assert DfcToken.objects.get().last_used_at == first

    clock.shift(timedelta(seconds=15))
    auth.principal_of(request, world.org_a)
    assert DfcToken.objects.get().last_used_at >= first + timedelta(minutes=1)


def test_a_used_token_is_read_without_a_write(world, django_assert_num_queries):
    new = _token(world)
    request = _request(f"Bearer {new.secret}")
    auth.principal_of(request, world.org_a)

    # The token with its account, then the membership for the role: no UPDATE.
    with django_assert_num_queries(2):
        auth.principal_of(request, world.org_a)


def test_create_keeps_only_the_secrets_hash(world):
    new = _token(world, scopes=["orders:write", "products:read", "orders:write"])

    token = DfcToken.objects.get()
    assert new.secret.startswith("dfc_") and len(new.secret) > 40
    assert token.key_hash == auth.hash_secret(new.secret) != new.secret
    assert token.prefix == new.secret[:8]
    assert token.scopes == ["orders:write", "products:read"]
    assert token.name == "Open Food Network"


def test_create_tidies_the_name(world):
    new = dfc_token_create(
        organisation=world.org_a,
        user=world.users["member"],
        name="  Open \n Food   Network ",
        scopes=["products:read"],
    )

    assert new.token.name == "Open Food Network"


@pytest.mark.parametrize(
    ("name", "scopes", "error"),
    [
        ("OFN", [], errors.UnknownScope),
        ("OFN", ["products:delete"], errors.UnknownScope),
        ("OFN", ["products:read", "admin"], errors.UnknownScope),
        ("OFN", ["products:write"], errors.UnknownScope),  # above a member's role
        ("", ["products:read"], errors.NameRequired),
        ("  \n ", ["products:read"], errors.NameRequired),
    ],
)
def test_create_refuses_and_writes_nothing(world, name, scopes, error):
    with pytest.raises(error):
        dfc_token_create(
            organisation=world.org_a, user=world.users["member"], name=name, scopes=scopes
        )

    assert DfcToken.objects.count() == 0


def test_an_inactive_account_creates_nothing(world):
    user = UserFactory(is_active=False)

    with pytest.raises(errors.UnknownScope):
        dfc_token_create(organisation=world.org_a, user=user, name="OFN", scopes=["products:read"])
    assert DfcToken.objects.count() == 0


def test_a_member_revokes_their_own_token_once(world, clock):
    new = _token(world)
    dfc_token_revoke(organisation=world.org_a, user=world.users["member"], token_id=new.token.pk)
    first = DfcToken.objects.get().revoked_at

    clock.shift(timedelta(minutes=5))
    dfc_token_revoke(organisation=world.org_a, user=world.users["member"], token_id=new.token.pk)

    assert first is not None
    assert DfcToken.objects.get().revoked_at == first


@pytest.mark.parametrize("persona", ["producer", "volunteer", "supply", "outsider"])
def test_someone_elses_token_is_not_found(world, persona):
    new = _token(world)

    with pytest.raises(errors.TokenNotFound):
        dfc_token_revoke(organisation=world.org_a, user=world.users[persona], token_id=new.token.pk)
    assert DfcToken.objects.get().revoked_at is None


def test_a_coordinator_revokes_any_token_of_their_organisation_only(world):
    new = _token(world)
    other = _token(world, "outsider", organisation=world.org_b)

    dfc_token_revoke(
        organisation=world.org_a, user=world.users["coordinator"], token_id=new.token.pk
    )
    with pytest.raises(errors.TokenNotFound):
        dfc_token_revoke(
            organisation=world.org_a, user=world.users["coordinator"], token_id=other.token.pk
        )

    assert DfcToken.objects.get(pk=new.token.pk).revoked_at is not None
    assert DfcToken.objects.get(pk=other.token.pk).revoked_at is None
