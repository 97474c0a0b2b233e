from functools import partial

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

from .tasks import email_send


def email_enqueue(message: EmailMessage) -> None:
    """Queue a rendered e-mail for the background worker, once the transaction commits."""
    html = None
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                html = content
    transaction.on_commit(
        partial(
            email_send.enqueue,
            subject=str(message.subject),
            body=str(message.body),
            to=list(message.to),
            html=html,
            from_email=message.from_email,
            headers={str(k): str(v) for k, v in message.extra_headers.items()},
        )
    )
