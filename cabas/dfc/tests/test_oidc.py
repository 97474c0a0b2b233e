"""OpenID Connect access tokens (cabas/dfc/oidc.py): keys generated here, a JWKS file, never
the network."""

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.test import RequestFactory

from cabas.accounts.tests.factories import UserFactory
from cabas.dfc import auth, errors, oidc

pytestmark = pytest.mark.django_db

ISSUER = "https://login.example.org/realms/food"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
OTHER_RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwk(private_key, kid: str) -> dict:
    public = private_key.public_key()
    if isinstance(public, rsa.RSAPublicKey):
        data = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public))
    else:
        data = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(public))
    return {**data, "kid": kid, "use": "sig"}


@pytest.fixture
def jwks(tmp_path):
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [_jwk(RSA_KEY, "rsa-1"), _jwk(EC_KEY, "ec-1")]}))
    return path


@pytest.fixture
def oidc_on(settings, jwks):
    settings.DFC_OIDC_ISSUER = ISSUER
    settings.DFC_OIDC_AUDIENCE = ""
    settings.DFC_OIDC_JWKS_URL = ""
    settings.DFC_OIDC_JWKS_FILE = str(jwks)
    return settings


@pytest.fixture
def person():
    return UserFactory(email="alice@ferme.example.org")


def _claims(**changes) -> dict:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "1234",
        "email": "Alice@Ferme.example.org",
        "email_verified": True,
        "iat": now,
        "exp": now + 300,
    }
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


def _token(key=RSA_KEY, alg="RS256", kid="rsa-1", **changes) -> str:
    return jwt.encode(_claims(**changes), key, algorithm=alg, headers={"kid": kid})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _handmade(header: dict, claims: dict, sign) -> str:
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{_b64(sign(signing_input.encode()))}"


def test_an_rsa_token_names_the_account_case_insensitively(oidc_on, person):
    assert oidc.user_of(_token()) == person


def test_an_elliptic_curve_token_is_accepted(oidc_on, person):
    assert oidc.user_of(_token(EC_KEY, "ES256", "ec-1")) == person


def test_a_token_without_kid_uses_the_only_key(oidc_on, person, jwks):
    jwks.write_text(json.dumps({"keys": [_jwk(RSA_KEY, "rsa-1")]}))
    token = jwt.encode(_claims(), RSA_KEY, algorithm="RS256")

    assert oidc.user_of(token) == person


def test_off_every_jwt_is_refused_with_a_clear_message(settings, person):
    settings.DFC_OIDC_ISSUER = ""

    with pytest.raises(errors.BadToken) as refused:
        oidc.user_of(_token())
    assert "OpenID Connect" in str(refused.value)
    assert refused.value.status == 401


def test_the_unsigned_algorithm_none_is_refused(oidc_on, person):
    token = _handmade({"alg": "none", "typ": "JWT", "kid": "rsa-1"}, _claims(), lambda _: b"")

    with pytest.raises(errors.BadToken):
        oidc.user_of(token)
    with pytest.raises(errors.BadToken):
        oidc.user_of(token.rsplit(".", 1)[0] + ".")


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_signed_with_the_public_key_is_refused(oidc_on, person, alg):
    """Algorithm confusion: the issuer's public key (PEM, or the JWK's modulus) used as an
    HMAC secret."""
    pem = RSA_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    for secret in (pem, json.dumps(_jwk(RSA_KEY, "rsa-1")).encode()):
        token = _handmade(
            {"alg": alg, "typ": "JWT", "kid": "rsa-1"},
            _claims(),
            lambda data, secret=secret: hmac.new(secret, data, digest).digest(),
        )
        with pytest.raises(errors.BadToken):
            oidc.user_of(token)


def test_a_symmetric_key_in_the_jwks_is_never_used(oidc_on, person, jwks):
    secret = b"shared-secret-of-at-least-32-bytes!!"
    jwks.write_text(json.dumps({"keys": [{"kty": "oct", "kid": "hs", "k": _b64(secret)}]}))
    token = jwt.encode(_claims(), secret, algorithm="HS256", headers={"kid": "hs"})

    with pytest.raises(errors.BadToken):
        oidc.user_of(token)


def test_an_algorithm_of_another_key_type_is_refused(oidc_on, person):
    """An ES256 header naming the RSA key (and the other way round)."""
    with pytest.raises(errors.BadToken):
        oidc.user_of(_token(EC_KEY, "ES256", "rsa-1"))
    with pytest.raises(errors.BadToken):
        oidc.user_of(_token(RSA_KEY, "RS256", "ec-1"))


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda: _token(OTHER_RSA_KEY), id="signed-by-another-key"),
        pytest.param(lambda: _token(kid="rsa-2"), id="unknown-kid"),
        pytest.param(lambda: _token(iss="https://evil.example.org"), id="other-issuer"),
        pytest.param(lambda: _token(iss=None), id="no-issuer"),
        pytest.param(lambda: _token(exp=int(time.time()) - 31), id="expired"),
        pytest.param(lambda: _token(exp=None), id="no-expiry"),
        pytest.param(lambda: _token(nbf=int(time.time()) + 60), id="not-yet-valid"),
        pytest.param(lambda: _token(email=None), id="no-email"),
        pytest.param(lambda: _token(email=""), id="empty-email"),
        pytest.param(lambda: _token(email=["alice@ferme.example.org"]), id="email-list"),
        pytest.param(lambda: _token(email_verified=False), id="email-not-verified"),
        pytest.param(lambda: _token(email="nobody@example.org"), id="no-such-account"),
        pytest.param(lambda: _token()[:-4] + "AAAA", id="signature-changed"),
        pytest.param(lambda: "a.b.c", id="garbage"),
        pytest.param(lambda: "e30.e30.e30", id="empty-header"),
        # Short enough for a proxy's header limit (8 KB), deeper than Python recurses.
        pytest.param(lambda: f"{_b64(b'[' * 5000)}.e30.e30", id="header-nested-too-deep"),
    ],
)
def test_refused(oidc_on, person, token):
    with pytest.raises(errors.BadToken):
        oidc.user_of(token())


def test_a_little_clock_skew_is_tolerated(oidc_on, person):
    now = int(time.time())

    assert oidc.user_of(_token(exp=now - 10, nbf=now + 10)) == person


def test_without_email_verified_the_address_is_taken(oidc_on, person):
    assert oidc.user_of(_token(email_verified=None)) == person


def test_an_inactive_account_is_refused(oidc_on, person):
    person.is_active = False
    person.save()

    with pytest.raises(errors.BadToken):
        oidc.user_of(_token())


def test_the_audience_is_checked_when_configured(oidc_on, person):
    oidc_on.DFC_OIDC_AUDIENCE = "cabas"

    assert oidc.user_of(_token(aud="cabas")) == person
    assert oidc.user_of(_token(aud=["ofn", "cabas"])) == person
    for aud in ("ofn", None):
        with pytest.raises(errors.BadToken):
            oidc.user_of(_token(aud=aud))


def test_the_audience_is_not_checked_when_not_configured(oidc_on, person):
    assert oidc.user_of(_token(aud="anything")) == person


@pytest.mark.parametrize("content", [None, "not json", '{"keys": "nope"}', '{"keys": []}'])
def test_a_missing_or_broken_jwks_file_refuses(oidc_on, person, jwks, content):
    if content is None:
        jwks.unlink()
    else:
        jwks.write_text(content)

    with pytest.raises(errors.BadToken):
        oidc.user_of(_token())


def test_no_key_source_refuses(oidc_on, person):
    oidc_on.DFC_OIDC_JWKS_FILE = ""

    with pytest.raises(errors.BadToken):
        oidc.user_of(_token())


def test_the_jwks_address_is_fetched_once_and_cached(oidc_on, person, monkeypatch):
    """PyJWKClient with a timeout, kept per address; its fetch replaced (no network)."""
    url = "https://login.example.org/realms/food/certs"
    oidc_on.DFC_OIDC_JWKS_FILE = ""
    oidc_on.DFC_OIDC_JWKS_URL = url
    fetched = []

    def fetch_data(client):
        fetched.append(client.uri)
        return {"keys": [_jwk(RSA_KEY, "rsa-1")]}

    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", fetch_data)
    monkeypatch.setattr(oidc, "_clients", {})

    assert oidc.user_of(_token()) == person
    assert oidc.user_of(_token()) == person

    assert fetched == [url]
    assert oidc._clients[url].timeout == oidc.JWKS_TIMEOUT_SECONDS


def test_a_rotated_key_fetches_the_jwks_address_again(oidc_on, person, monkeypatch):
    url = "https://login.example.org/realms/food/certs"
    oidc_on.DFC_OIDC_JWKS_FILE = ""
    oidc_on.DFC_OIDC_JWKS_URL = url
    published = [{"keys": [_jwk(RSA_KEY, "rsa-1")]}]
    fetched = []

    def fetch_data(client):
        fetched.append(client.uri)
        return published[-1]

    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", fetch_data)
    monkeypatch.setattr(oidc, "_clients", {})
    monkeypatch.setattr(oidc, "JWKS_REFETCH_SECONDS", 0)
    assert oidc.user_of(_token()) == person

    published.append({"keys": [_jwk(OTHER_RSA_KEY, "rsa-2")]})

    assert oidc.user_of(_token(OTHER_RSA_KEY, kid="rsa-2")) == person
    assert len(fetched) == 2
    with pytest.raises(errors.BadToken):  # a kid the issuer does not publish
        oidc.user_of(_token(kid="rsa-3"))


def test_an_unreachable_jwks_address_refuses(oidc_on, person, monkeypatch):
    oidc_on.DFC_OIDC_JWKS_FILE = ""
    oidc_on.DFC_OIDC_JWKS_URL = "https://login.example.org/certs"

    def fetch_data(client):
        raise jwt.PyJWKClientConnectionError("timed out")

    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", fetch_data)
    monkeypatch.setattr(oidc, "_clients", {})

    with pytest.raises(errors.BadToken):
        oidc.user_of(_token())


def test_an_access_token_acts_with_the_roles_scopes(oidc_on, world):
    """Through ``auth``: no token scoping, the role's scopes in the organisation."""
    token = _token(email="Producer-A@example.org")
    request = RequestFactory().get("/", headers={"Authorization": f"Bearer {token}"})

    principal = auth.require(request, world.org_a, "products:write")

    assert principal.user == world.users["producer"]
    assert principal.token is None
    assert principal.scopes == auth.allowed_scopes(world.users["producer"], world.org_a)
    member = RequestFactory().get(
        "/", headers={"Authorization": f"Bearer {_token(email='member-a@example.org')}"}
    )
    with pytest.raises(errors.Forbidden):
        auth.require(member, world.org_a, "products:write")
