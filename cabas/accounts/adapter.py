from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.auth.hashers import make_password
from django.utils import translation
from django.utils.crypto import get_random_string

from cabas.notifications.services import email_enqueue


@dataclass(frozen=True)
class _Site:
    """What allauth's e-mail templates call the site: our name and the host asked for."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    """Account e-mails go through the task queue, in the recipient's language."""

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        domain = request.get_host() if request is not None else "localhost"
        full_context = {"request": request, "email": email, "current_site": _Site("Cabas", domain)}
        full_context.update(context)
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
