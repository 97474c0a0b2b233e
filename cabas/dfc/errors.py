"""What the DFC API refuses, each with a stable code and its HTTP status (``status``)."""

from django.utils.translation import gettext_lazy as _

from cabas.core.errors import DomainError


class DfcError(DomainError):
    status = 400


class Unauthenticated(DfcError):
    code = "unauthorized"
    status = 401
    default_message = _(
        "Authentication required: send a DFC token or an access token as 'Authorization: Bearer …'."
    )


class BadToken(Unauthenticated):
    default_message = _("This token is not valid, expired or revoked.")


class Forbidden(DfcError):
    code = "forbidden"
    status = 403
    default_message = _("This token does not allow this action in this organisation.")


class UnknownScope(DfcError):
    code = "validation_error"
    default_message = _("Choose what the token may do among the scopes your role allows.")


class TokenNotFound(DfcError):
    code = "not_found"
    status = 404
    default_message = _("This token does not exist.")


class NameRequired(DfcError):
    code = "validation_error"
    default_message = _("Give the token a name, e.g. the platform it is for.")
