"""The API's URL patterns in the permission matrix.

The API authenticates with bearer tokens only: a session (what the matrix logs in with) gets
401 on every endpoint, which is what these rows check (so the API needs no CSRF protection).
Who may do what with a token — members-only organisations, one's own orders, other
organisations — is tested in ``test_api.py``.
"""

import uuid

from cabas.api.models import ApiToken
from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses

BEARER_ONLY = statuses(401, 401, 401, 401, 401, 401)
EVERYONE = statuses(200, 200, 200, 200, 200, 200)
NOT_FOUND = statuses(404, 404, 404, 404, 404, 404)


def _sale(world):
    return {**slug_a(world), "sale_id": 1}


def _order(world):
    return {**slug_a(world), "code": uuid.uuid4()}


def _member_token(world):
    token = ApiToken.objects.create(
        user=world.users["member"], name="matrix", key_hash="m" * 64, prefix="mmmmmmmm"
    )
    return {"pk": token.pk}


ROWS = {
    # Tokens are obtained with an e-mail and a password (an empty body is refused).
    "api:token": Row(statuses(422, 422, 422, 422, 422, 422), method="post"),
    "api:sales": Row(BEARER_ONLY, kwargs=slug_a),
    "api:catalog": Row(BEARER_ONLY, kwargs=_sale),
    "api:slots": Row(BEARER_ONLY, kwargs=_sale),
    "api:orders": Row(BEARER_ONLY, kwargs=slug_a),
    "api:order_create": Row(BEARER_ONLY, kwargs=slug_a, method="post"),
    "api:order": Row(BEARER_ONLY, kwargs=_order),
    "api:order_change": Row(BEARER_ONLY, kwargs=_order, method="put"),
    "api:order_cancel": Row(BEARER_ONLY, kwargs=_order, method="delete"),
    "api:api-root": Row(NOT_FOUND),
    "api:openapi-json": Row(EVERYONE),
    # Swagger UI, its files served locally ("ninja" in INSTALLED_APPS), never from a CDN.
    "api:openapi-view": Row(EVERYONE),
    "api_not_found": Row(NOT_FOUND, kwargs=lambda w: {"rest": "nothing/here"}),
    "api_tokens": Row(statuses(LOGIN, 200, 200, 200, 200, 200)),
    # Only the token's owner revokes it; for anyone else it does not exist.
    "api_token_revoke": Row(
        statuses(LOGIN, 302, 404, 404, 404, 404, supply=404),
        kwargs=_member_token,
        method="post",
    ),
}
