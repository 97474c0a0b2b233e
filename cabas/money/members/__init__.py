"""Members for coordinators, by concept: the list with balances (``listing``), the import of a
members file (``imports``), invitations by the dozen (``invitations``) and what can go wrong
(``errors``). Callers use the names below."""

from .errors import (
    InvitationAddressesInvalid,
    MemberFileTooBig,
    MemberFileUnreadable,
    MemberImportConflict,
    MemberImportInvalid,
    MemberImportNothingToDo,
    MemberImportNotReady,
)
from .imports import (
    COLUMNS,
    MAX_FILE_BYTES,
    MemberImportPlan,
    MemberImportResult,
    MemberLine,
    member_file_size_check,
    member_import_apply,
    member_import_check,
    member_import_confirm,
    member_import_plan,
    member_import_read,
    member_import_start,
    member_table,
)
from .invitations import BulkInvitationResult, invitation_addresses_parse, member_invite_bulk
from .listing import MEMBERSHIP_STATUS_CHOICES, member_list

__all__ = [
    "COLUMNS",
    "MAX_FILE_BYTES",
    "MEMBERSHIP_STATUS_CHOICES",
    "BulkInvitationResult",
    "InvitationAddressesInvalid",
    "MemberFileTooBig",
    "MemberFileUnreadable",
    "MemberImportConflict",
    "MemberImportInvalid",
    "MemberImportNotReady",
    "MemberImportNothingToDo",
    "MemberImportPlan",
    "MemberImportResult",
    "MemberLine",
    "invitation_addresses_parse",
    "member_file_size_check",
    "member_import_apply",
    "member_import_check",
    "member_import_confirm",
    "member_import_plan",
    "member_import_read",
    "member_import_start",
    "member_invite_bulk",
    "member_list",
    "member_table",
]
