from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from cabas.notifications.services import email_enqueue


class AccountAdapter(DefaultAccountAdapter):
    """Account e-mails go through the task queue, in the recipient's language."""

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        email_enqueue(message)
