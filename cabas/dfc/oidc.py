"""OpenID Connect access tokens for the DFC API (``Authorization: Bearer <JWT>``), checked with
PyJWT (docs/interop.md "Authentication").

Off unless ``CABAS_DFC_OIDC_ISSUER`` is set: then every JWT is refused as a bad token. On, a
token is accepted when it is signed by one of the issuer's keys (a JWKS read from
``CABAS_DFC_OIDC_JWKS_URL``, fetched with a timeout and cached, or from the local file
``CABAS_DFC_OIDC_JWKS_FILE``) with an asymmetric algorithm (RSA or elliptic curve: never a
shared secret, never ``none``), names the issuer (``iss``), is in its validity period (``exp``,
``nbf``, a little leeway for clocks), is for the audience when one is configured (``aud``),
and carries the e-mail of an active account (``email``, case-insensitive; a token saying the
address is not verified is refused). What the account may then do is its role's scopes
(``auth.allowed_scopes``).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from . import errors

# Asymmetric algorithms only: the keys are the issuer's public keys, so an HMAC token signed
# with a public key as its secret (algorithm confusion) or an unsigned one is never accepted.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
# The algorithms each type of key signs with.
KEY_TYPES = {"RSA": ("RS", "PS"), "EC": ("ES",)}
LEEWAY_SECONDS = 30
JWKS_TIMEOUT_SECONDS = 5
JWKS_CACHE_SECONDS = 600
JWKS_REFETCH_SECONDS = 30  # an unknown kid fetches the set again at most this often

NOT_CONFIGURED = _(
    "OpenID Connect access tokens are not accepted here: send a DFC token of this organisation."
)

_clients: dict[str, jwt.PyJWKClient] = {}
_clients_lock = threading.Lock()


def user_of(token: str):
    """The active account an access token names; ``BadToken`` otherwise."""
    issuer = settings.DFC_OIDC_ISSUER
    if not issuer:
        raise errors.BadToken(NOT_CONFIGURED)
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") not in ALGORITHMS:
            raise errors.BadToken()
        audience = settings.DFC_OIDC_AUDIENCE or None
        claims = jwt.decode(
            token,
            key=_signing_key(token, header),
            algorithms=[header["alg"]],
            issuer=issuer,
            audience=audience,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iss"], "verify_aud": audience is not None},
        )
    except (jwt.PyJWTError, ValueError, TypeError, KeyError) as exc:
        raise errors.BadToken() from exc
    return _account(claims)


def _account(claims: dict):
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip() or claims.get("email_verified") is False:
        raise errors.BadToken()
    users = list(get_user_model().objects.filter(email__iexact=email.strip(), is_active=True)[:2])
    if len(users) != 1:
        raise errors.BadToken()
    return users[0]


def _signing_key(token: str, header: dict):
    """The issuer's public key the token names (``kid``; the only key when it names none)."""
    kid = header.get("kid")
    if settings.DFC_OIDC_JWKS_FILE:
        keys = _usable(_read_file(settings.DFC_OIDC_JWKS_FILE))
    elif settings.DFC_OIDC_JWKS_URL:
        client = _client(settings.DFC_OIDC_JWKS_URL)
        # A kid not in the cached set fetches the set again (the issuer rotated its keys).
        keys = _usable([client.get_signing_key(kid)] if kid else client.get_jwk_set().keys)
    else:
        raise errors.BadToken(NOT_CONFIGURED)
    found = [key for key in keys if key.key_id == kid] if kid else keys
    if len(found) != 1 or not header["alg"].startswith(KEY_TYPES[found[0].key_type]):
        raise errors.BadToken()
    return found[0].key


def _usable(keys) -> list[jwt.PyJWK]:
    return [key for key in keys if key.key_type in KEY_TYPES]


def _read_file(path: str) -> list[jwt.PyJWK]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        return list(jwt.PyJWKSet.from_dict(document).keys)
    except (OSError, ValueError, jwt.PyJWTError) as exc:
        raise errors.BadToken() from exc


def _client(url: str) -> jwt.PyJWKClient:
    """One client per address and process: PyJWT keeps the key set for
    ``JWKS_CACHE_SECONDS`` and fetches it again for an unknown ``kid`` (at most every
    ``JWKS_REFETCH_SECONDS``)."""
    with _clients_lock:
        if url not in _clients:
            _clients[url] = jwt.PyJWKClient(
                url,
                lifespan=JWKS_CACHE_SECONDS,
                timeout=JWKS_TIMEOUT_SECONDS,
                cooldown_duration=JWKS_REFETCH_SECONDS,
            )
        return _clients[url]
