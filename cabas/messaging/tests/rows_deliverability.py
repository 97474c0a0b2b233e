"""Consent and deliverability pages (``messaging.views_deliverability``) in the permission
matrix. The unsubscribe page has no login: its signed token is the credential, so everyone
who holds the link sees it (and nobody's address is on it)."""

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.messaging.unsubscribe import unsubscribe_token

EVERYONE = statuses(200, 200, 200, 200, 200, 200)
MEMBERS = statuses(LOGIN, 200, 200, 200, 200, 404)
COORDINATORS = statuses(LOGIN, 403, 403, 403, 200, 404)


def _token_of_the_member(world) -> dict:
    membership = world.memberships["member"]
    return {"token": unsubscribe_token(membership_id=membership.pk, kind="announcements")}


ROWS = {
    "messaging:unsubscribe": Row(EVERYONE, kwargs=_token_of_the_member),
    "messaging:preferences": Row(MEMBERS, kwargs=slug_a),
    "messaging:undeliverable": Row(COORDINATORS, kwargs=slug_a),
}
