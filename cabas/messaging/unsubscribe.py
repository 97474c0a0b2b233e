"""One-click unsubscribe: a signed token names a membership and a kind of e-mail.

The token is the only credential of the unsubscribe page (a mail client's RFC 8058 POST
carries no cookie): it is signed with the site's secret, so nobody can forge one for another
member, and it reveals only a membership number. It does not expire: an e-mail read a year
later still unsubscribes.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "cabas.messaging.unsubscribe"
KINDS = ("announcements", "reminders")


def unsubscribe_token(*, membership_id: int, kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown kind of e-mail {kind!r}")
    return signing.dumps([membership_id, kind], salt=SALT)


def unsubscribe_token_read(token: str) -> tuple[int, str] | None:
    """The membership and the kind a token names; None for a token we did not sign."""
    try:
        membership_id, kind = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(membership_id, int) or kind not in KINDS:
        return None
    return membership_id, kind


def unsubscribe_url(*, membership_id: int, kind: str) -> str:
    token = unsubscribe_token(membership_id=membership_id, kind=kind)
    return settings.SITE_URL + reverse("messaging:unsubscribe", kwargs={"token": token})


def preferences_url(*, slug: str) -> str:
    return settings.SITE_URL + reverse("messaging:preferences", kwargs={"slug": slug})
