"""OpenID Connect access tokens for the DFC API (``Authorization: Bearer <JWT>``).

Not configured: every JWT is refused as a bad token."""

from __future__ import annotations

from . import errors


def user_of(token: str):
    """The active account an access token names; ``BadToken`` otherwise."""
    raise errors.BadToken()
