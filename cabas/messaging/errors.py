"""What a coordinator can get wrong with a message, in words they understand (stable codes)."""

from django.utils.translation import gettext_lazy as _

from cabas.core.errors import DomainError


class MessageNotDraft(DomainError):
    code = "message_not_draft"
    default_message = _("This message has been sent: it can no longer be changed.")


class AudienceIncomplete(DomainError):
    code = "message_audience_incomplete"
    default_message = _("Choose who the message is for: this audience needs its %(what)s.")


class AudienceElsewhere(DomainError):
    code = "message_audience_elsewhere"
    default_message = _("This choice does not belong to your organisation.")


class NoRecipient(DomainError):
    code = "message_no_recipient"
    default_message = _("Nobody would receive this message: choose another audience.")


class AnnouncementWithoutText(DomainError):
    code = "message_announcement_without_text"
    default_message = _("Write the announcement to show, or remove its date.")


class AnnouncementInThePast(DomainError):
    code = "message_announcement_in_the_past"
    default_message = _("The announcement would be shown until a date already past.")


class AttachmentRefused(DomainError):
    code = "message_attachment_refused"
    default_message = _(
        "The attachment must be a PDF, an image (JPEG, PNG) or an office document of at most "
        "%(size)s MB."
    )


class PickupNotInSale(DomainError):
    code = "message_pickup_not_in_sale"
    default_message = _("This pickup or slot is not in the chosen sale.")
