"""Tokens (create, revoke, authenticate) and the API's own refusals."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    most once a minute per token."""
    if not secret:
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(key_hash=hash_secret(secret))
        .order_by("pk")  # the key is unique: no need of the model's ordering
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    user = token.user
    user.api_token = token
    return user


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
