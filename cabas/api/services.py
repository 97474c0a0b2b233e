"""Tokens (create, revoke, authenticate) and the API's own refusals."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cabas.core import rows
from cabas.core.errors import DomainError

from .models import ApiToken

# last_used_at is written at most this often per token (not on every request).
LAST_USED_PRECISION = timedelta(minutes=1)


class NotFound(DomainError):
    code = "not_found"
    default_message = _("Not found.")


class OrganisationNotFound(NotFound):
    default_message = _("This organisation does not exist.")


class SaleNotFound(NotFound):
    default_message = _("This sale does not exist or is not open.")


class TokenNotFound(NotFound):
    default_message = _("This token does not exist.")


class IdempotencyKeyReused(DomainError):
    code = "validation_error"
    default_message = _("This Idempotency-Key was already used for another order.")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def token_create(*, user, name: str = "") -> NewToken:
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], key_hash=hash_secret(secret), prefix=secret[:8]
    )
    return NewToken(token, secret)


def token_revoke(*, user, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s tokens (revoking twice keeps the first date)."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise TokenNotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=token.revoked_at
        )
    return token


def token_authenticate(secret: str):
    """The user of a valid, unrevoked token (None otherwise). ``last_used_at`` is written at
    most once a minute per token.

    Every API request asks, so the lookup (and the write, when due) is plain SQL: the ORM's
    building of the joined query cost more CPU than the database spends on it
    (docs/performance.md)."""
    if not secret:
        return None
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    statements = _token_statements()
    with connection.cursor() as cursor:
        cursor.execute(statements["user"], [adapt(now - LAST_USED_PRECISION), hash_secret(secret)])
        row = cursor.fetchone()
        if row is None:
            return None
        token_id, stale, *columns = row
        if stale:
            cursor.execute(statements["used"], [adapt(now), token_id])
    (user,) = rows.instances(columns, [get_user_model()])
    return user


@cache
def _token_statements() -> dict[str, str]:
    quote = connection.ops.quote_name
    users, tokens = quote(get_user_model()._meta.db_table), quote(ApiToken._meta.db_table)
    return {
        # The token's id, whether its last use is older than the precision, and the user.
        "user": (
            "SELECT t.id, (t.last_used_at IS NULL OR t.last_used_at <= %s),"  # noqa: S608
            f" {rows.columns(get_user_model(), 'u')}"
            f" FROM {users} u JOIN {tokens} t ON t.user_id = u.id"
            " WHERE t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active"
        ),
        "used": f"UPDATE {tokens} SET last_used_at = %s WHERE id = %s",  # noqa: S608
    }


class Unauthorized(DomainError):
    code = "unauthorized"
    default_message = _("Authentication failed: send a valid token as 'Authorization: Bearer …'.")


class BadCredentials(Unauthorized):
    default_message = _("The e-mail address or the password is not correct.")


class TooManyAttempts(DomainError):
    code = "too_many_requests"
    default_message = _("Too many failed attempts: try again later.")


def token_obtain(request, *, email: str, password: str, name: str = "") -> NewToken:
    """A new token for the person with this e-mail and password, through allauth (its login
    rate limits apply); the e-mail address must be verified, as for logging in on the site."""
    try:
        user = get_adapter(request).authenticate(request, email=email, password=password)
    except ValidationError as exc:
        raise TooManyAttempts() from exc
    if user is None or not user.is_active:
        raise BadCredentials()
    if not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
        raise BadCredentials()
    return token_create(user=user, name=name or "API")
