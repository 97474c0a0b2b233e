"""Bearer tokens for the API: ``Authorization: Bearer <secret>``.

Session cookies do not authenticate API calls, so the API needs no CSRF protection.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from .services import token_authenticate


class TokenAuth(HttpBearer):
    openapi_description = "A personal token from POST /api/v1/auth/token or the profile page."

    def authenticate(self, request: HttpRequest, token: str):
        return token_authenticate(token)
