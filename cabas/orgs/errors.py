from django.utils.translation import gettext_lazy as _

from cabas.core.errors import DomainError


class SlugTaken(DomainError):
    code = "slug_taken"
    default_message = _("This web address is already used by another organisation.")


class AlreadyMember(DomainError):
    code = "already_member"
    default_message = _("You are already a member of this organisation.")


class RequestPending(DomainError):
    code = "request_pending"
    default_message = _("Your request to join is already waiting for a coordinator's approval.")


class JoiningClosed(DomainError):
    code = "joining_closed"
    default_message = _("This organisation only accepts new members by invitation.")


class InvitationInvalid(DomainError):
    code = "invitation_invalid"
    default_message = _("This invitation link is not valid.")


class InvitationUsed(DomainError):
    code = "invitation_used"
    default_message = _("This invitation has already been used. Log in to reach the organisation.")


class InvitationExpired(DomainError):
    code = "invitation_expired"
    default_message = _(
        "This invitation has expired. Ask a coordinator of the organisation for a new one."
    )


class InvitationForAnotherEmail(DomainError):
    code = "invitation_other_email"
    default_message = _(
        "This invitation was sent to another e-mail address. Log out, then open the link again."
    )


class NotPending(DomainError):
    code = "not_pending"
    default_message = _("This request has already been handled.")


class LastCoordinator(DomainError):
    code = "last_coordinator"
    default_message = _("An organisation needs at least one coordinator.")


class InviteeAlreadyMember(DomainError):
    code = "invitee_already_member"
    default_message = _("This person is already a member of the organisation.")


class AccountExists(DomainError):
    code = "account_exists"
    default_message = _(
        "An account already exists with this e-mail address: log in to accept the invitation."
    )
