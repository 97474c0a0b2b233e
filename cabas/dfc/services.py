"""DFC tokens: create and revoke (the secret is shown once, only its hash is kept)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cabas.orgs.models import Organisation

from . import errors
from .auth import allowed_scopes, hash_secret, manages_tokens
from .models import DfcToken, Scope


@dataclass
class NewToken:
    token: DfcToken
    secret: str  # shown once, never stored


@transaction.atomic
def dfc_token_create(
    *, organisation: Organisation, user, name: str, scopes: Iterable[str]
) -> NewToken:
    """A token acting as ``user`` in ``organisation`` with ``scopes``, which must be known
    and allowed by the user's role there (refused otherwise, nothing written)."""
    scopes = sorted(set(scopes))
    if (
        not scopes
        or not set(scopes) <= set(Scope.values)
        or not set(scopes) <= allowed_scopes(user, organisation)
    ):
        raise errors.UnknownScope(field="scopes")
    name = " ".join(name.split())[:100]
    if not name:
        raise errors.NameRequired(field="name")
    secret = "dfc_" + secrets.token_urlsafe(32)
    token = DfcToken.objects.create(
        organisation=organisation,
        user=user,
        name=name,
        scopes=scopes,
        key_hash=hash_secret(secret),
        prefix=secret[:8],
    )
    return NewToken(token, secret)


@transaction.atomic
def dfc_token_revoke(*, organisation: Organisation, user, token_id: int) -> DfcToken:
    """Revoke a token of ``organisation``: one of ``user``'s own, or any when ``user``
    manages the organisation's tokens (``auth.manages_tokens``). Revoking twice keeps the
    first date; someone else's token is not found."""
    tokens = DfcToken.objects.filter(pk=token_id, organisation=organisation)
    if not manages_tokens(user, organisation):
        tokens = tokens.filter(user=user)
    token = tokens.first()
    if token is None:
        raise errors.TokenNotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        DfcToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=token.revoked_at
        )
    return token
