"""What can go wrong with a members file or a list of addresses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from cabas.core.errors import DomainError


class MemberFileTooBig(DomainError):
    code = "member_file_too_big"
    default_message = gettext_lazy(
        "The file is larger than %(max_mb)s MB. A members file is much smaller: keep only the "
        "columns first name, last name, e-mail, phone and address."
    )


class MemberFileUnreadable(DomainError):
    code = "member_file_unreadable"


class MemberImportInvalid(DomainError):
    code = "member_import_invalid"
    default_message = gettext_lazy(
        "The file has errors: nothing has been imported. Correct them, then send the file again."
    )


class MemberImportNotReady(DomainError):
    code = "member_import_not_ready"
    default_message = gettext_lazy(
        "This file is no longer waiting to be imported: send it again if needed."
    )


class MemberImportNothingToDo(DomainError):
    code = "member_import_nothing_to_do"
    default_message = gettext_lazy(
        "Everyone in this file is already a member: there is nothing to import."
    )


class MemberImportConflict(DomainError):
    code = "member_import_conflict"
    default_message = gettext_lazy(
        "The members changed while the file was imported: nothing has been imported. Try again."
    )


class InvitationAddressesInvalid(DomainError):
    """Some addresses of a bulk invitation are wrong; ``errors`` says which and why."""

    code = "invitation_addresses_invalid"
    default_message = gettext_lazy(
        "Nothing has been sent: correct the addresses below, then send again."
    )

    def __init__(self, errors: list[dict], **kwargs):
        super().__init__(**kwargs)
        self.errors = errors
