"""The e-mail of a coordinator's message to one recipient, built when the outbox sends it
(``renderer``): in the recipient's language, else the organisation's, with the attachment
read from the message (stored once, not once per recipient)."""

from __future__ import annotations

import mimetypes

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from cabas.orgs.context import organisation_context

from .formatting import message_html
from .layout import member_email
from .models import MessageRecipient

RENDERER = "cabas.messaging.emails.message_email"


def message_email(*, recipient_id: int) -> EmailMultiAlternatives:
    recipient = MessageRecipient.objects.select_related(
        "message__organisation", "membership__user"
    ).get(pk=recipient_id)
    message = recipient.message
    organisation = message.organisation
    user = recipient.membership.user if recipient.membership else None
    with organisation_context(organisation, language=getattr(user, "language", None) or None):
        context = {"message": message, "organisation": organisation}
        email = member_email(
            organisation=organisation,
            to=recipient.email,
            subject=message.subject,
            text=render_to_string("messaging/email/message.txt", context),
            html=render_to_string(
                "messaging/email/message.html", {**context, "body": message_html(message.body)}
            ),
            membership_id=recipient.membership_id,
            unsubscribe_kind="announcements",
        )
    if message.attachment:
        with message.attachment.open("rb") as file:
            content = file.read()
        name = message.attachment_name or message.attachment.name.rpartition("/")[2]
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        email.attach(name, content, mimetype)
    return email
