"""Who calls the DFC API, and what they may do: one place (docs/interop.md "Authentication").

A request carries ``Authorization: Bearer <secret>``: a DFC token of this organisation
(``DfcToken``, scoped) or, when an issuer is configured, an OpenID Connect access token
(``oidc``). What a caller may do is the token's scopes, never more than the role of its
account in the organisation allows (``allowed_scopes``): a token made by a member who later
lost the role loses the scopes with it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from cabas.orgs.models import Membership, Organisation
from cabas.orgs.permissions import Action, can, has_role, membership_of

from . import errors
from .models import DfcToken, Scope

# last_used_at is written at most this often per token.
LAST_USED_PRECISION = timedelta(minutes=1)

# The action of the organisation's permissions each scope needs.
_SCOPE_ACTIONS = {
    Scope.ENTERPRISE_READ: Action.VIEW_PUBLIC_PAGE,
    Scope.PRODUCTS_READ: Action.VIEW_PUBLIC_PAGE,
    Scope.ORDERS_READ: Action.ORDER,
    Scope.ORDERS_WRITE: Action.ORDER,
}


@dataclass(frozen=True)
class Principal:
    """The account a request acts as in one organisation, and the scopes it holds there."""

    user: object
    organisation: Organisation
    scopes: frozenset[str]
    token: DfcToken | None = None  # None: an OpenID Connect access token

    def has(self, scope: str) -> bool:
        return scope in self.scopes


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def allowed_scopes(user, organisation: Organisation) -> frozenset[str]:
    """The scopes ``user``'s role in ``organisation`` allows. Importing a catalog
    (products:write) is for coordinators and producers (their own producer's catalog)."""
    if not user.is_active:
        return frozenset()
    allowed = {scope for scope, action in _SCOPE_ACTIONS.items() if can(user, action, organisation)}
    membership = membership_of(user, organisation)
    if has_role(membership, Membership.Role.COORDINATOR) or (
        has_role(membership, Membership.Role.PRODUCER) and membership.producer_id
    ):
        allowed.add(Scope.PRODUCTS_WRITE)
    return frozenset(str(scope) for scope in allowed)


def manages_tokens(user, organisation: Organisation) -> bool:
    """Coordinators see every DFC token of their organisation and may revoke any of them;
    everyone else only their own."""
    return can(user, Action.MANAGE_MEMBERS, organisation)


def bearer(request: HttpRequest) -> str:
    """The secret of an ``Authorization: Bearer`` header ('' when there is none)."""
    kind, _, secret = request.headers.get("Authorization", "").strip().partition(" ")
    return secret.strip() if kind.lower() == "bearer" else ""


def principal_of(request: HttpRequest, organisation: Organisation) -> Principal | None:
    """The caller, None for a request without credentials; a bad or revoked token, or a
    token of another organisation, is refused (``BadToken``), never read as anonymous."""
    secret = bearer(request)
    if not secret:
        if request.headers.get("Authorization"):
            raise errors.BadToken()
        return None
    if secret.count(".") == 2:  # a JWT: an OpenID Connect access token
        from . import oidc

        user = oidc.user_of(secret)
        return Principal(user, organisation, allowed_scopes(user, organisation))
    token = (
        DfcToken.objects.usable()
        .filter(key_hash=hash_secret(secret), organisation=organisation)
        .select_related("user")
        .first()
    )
    if token is None:
        raise errors.BadToken()
    _note_use(token)
    scopes = frozenset(token.scopes) & allowed_scopes(token.user, organisation)
    return Principal(token.user, organisation, scopes, token)


def sees_prices(request: HttpRequest, organisation: Organisation) -> bool:
    """Whether the published documents carry the Offers (prices): always when the
    organisation shows its prices to visitors; otherwise only to a caller whose token holds
    ``products:read`` for an active member's account (a member's platform sees the prices the
    member sees in the shop)."""
    if organisation.public_prices:
        return True
    principal = principal_of(request, organisation)
    return (
        principal is not None
        and principal.has(Scope.PRODUCTS_READ)
        and has_role(membership_of(principal.user, organisation), Membership.Role.MEMBER)
    )


def require(request: HttpRequest, organisation: Organisation, scope: str) -> Principal:
    """The caller, who must hold ``scope``: 401 without credentials, 403 without the scope."""
    principal = principal_of(request, organisation)
    if principal is None:
        raise errors.Unauthenticated()
    if not principal.has(scope):
        raise errors.Forbidden()
    return principal


def _note_use(token: DfcToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_PRECISION:
        DfcToken.objects.filter(pk=token.pk).update(last_used_at=now)
