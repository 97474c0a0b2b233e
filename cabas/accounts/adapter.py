from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import translation
from django.utils.crypto import get_random_string

from cabas.notifications.services import email_enqueue


@dataclass(frozen=True)
class _Site:
    """What allauth's e-mail templates call the site: our name and the host asked for."""

    name: str
    domain: str


def _on_site_url(value, host: str | None):
    """A link of this request's host, moved onto SITE_URL: the address a person reads in an
    e-mail is the site's public one, never the host (and port) the request came through."""
    if not isinstance(value, str) or host is None:
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or parts.netloc != host:
        return value
    return settings.SITE_URL + parts.path + (f"?{parts.query}" if parts.query else "")


class AccountAdapter(DefaultAccountAdapter):
    """Account e-mails go through the task queue, in the recipient's language, with links on
    SITE_URL."""

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        host = request.get_host() if request is not None else None
        domain = urlsplit(settings.SITE_URL).netloc
        full_context = {"request": request, "email": email, "current_site": _Site("Cabas", domain)}
        full_context.update({key: _on_site_url(value, host) for key, value in context.items()})
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language):
            message = self.render_mail(template_prefix, email, full_context)
        email_enqueue(message)

    def send_account_already_exists_mail(self, email: str) -> None:
        """A sign-up with a new address hashes its password, the slow part of making an
        account (by design of the hasher); one with a known address hashes one too, or the
        delay of the answer would tell that the address has an account."""
        make_password(get_random_string(32))
        super().send_account_already_exists_mail(email)
