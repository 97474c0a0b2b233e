from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.utils import translation

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
