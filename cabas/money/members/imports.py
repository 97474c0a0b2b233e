"""Members for coordinators: the list (status, membership, balance, last order), the import of
a members file and invitations by the dozen.

The import follows the product import: the upload is kept (``member_import_start``, which
refuses at once only what costs nothing to see), the worker reads it and checks every line
(``member_import_read`` → ``member_import_check``, which writes no member), the coordinator
sees the preview with each line's errors, and only a file without a single error can be
applied, once — in one transaction (``member_import_confirm`` → ``member_import_apply``).
Nobody becomes a member without saying yes: a person who asked to join (a pending request)
is accepted; everyone else — with an account or not — is invited through the organisation's
invitation service and joins by following the link (choosing a password if they have no
account). The preview never tells whether an address has an account: a coordinator of any
organisation must not learn that, nor see the names and phone numbers of people who did not
join.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import (
    QuerySet,
)
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.accounts.models import User
from cabas.core import tables
from cabas.core.errors import DomainError
from cabas.core.tasks import enqueue_on_commit
from cabas.orgs import lock_objects as orgs_locks
from cabas.orgs import services as orgs_services
from cabas.orgs.models import Membership, Organisation

from .. import tasks  # tasks.py imports this package: both import the module, not names
from ..models import MemberImport
from .errors import (
    MemberFileTooBig,
    MemberFileUnreadable,
    MemberImportConflict,
    MemberImportInvalid,
    MemberImportNothingToDo,
    MemberImportNotReady,
)

# A members file is a few hundred lines; anything bigger is not a members file.
MAX_FILE_BYTES = 1024 * 1024
MAX_BULK_INVITATIONS = 500

COLUMNS = ["first_name", "last_name", "email", "phone", "address"]
# The same limits as the fields that keep these values (User, Invitation, Organisation).
MAX_LENGTHS = {"first_name": 150, "last_name": 150, "email": 254, "phone": 32, "address": 255}

# Header words, without accents, case, spaces or punctuation ("Prénom", "E-mail", "Téléphone").
_HEADER_WORDS = {
    "first_name": {"firstname", "prenom", "givenname"},
    "last_name": {"lastname", "nom", "nomdefamille", "familyname", "surname"},
    "email": {"email", "mail", "courriel", "emailaddress", "adresseemail", "adressemail",
              "adressecourriel"},
    "phone": {"phone", "telephone", "tel", "portable", "mobile", "phonenumber",
              "numerodetelephone"},
    "address": {"address", "adresse", "adressepostale", "postaladdress"},
}  # fmt: skip


def column_labels() -> list[str]:
    """The columns' headers in the current language ("Prénom", "Nom"…), which the import
    reads back (see _HEADER_WORDS)."""
    labels = {
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "email": _("E-mail"),
        "phone": _("Phone"),
        "address": _("Address"),
    }
    return [labels[column] for column in COLUMNS]


def member_table(memberships: QuerySet[Membership]) -> tuple[list[str], list[list[str]]]:
    """The import's columns filled with these memberships' people (the export imports back).
    Accounts have no postal address, so that column stays empty. Only these columns are read:
    the list's balances and last orders, computed per member, are not the export's."""
    rows = [
        [*person, ""]
        for person in memberships.values_list(
            "user__first_name", "user__last_name", "user__email", "user__phone"
        )
    ]
    return column_labels(), rows


# --- The import ------------------------------------------------------------------------------


class Action:
    MEMBER = "member"  # asked to join this organisation: the request is accepted
    INVITATION = "invitation"  # anyone else (an account or not): invited by e-mail
    ALREADY_MEMBER = "already_member"  # left as it is


@dataclass
class MemberLine:
    line: int
    email: str
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    address: str = ""
    action: str = Action.INVITATION


@dataclass
class MemberImportPlan:
    """What applying a members file would do, line by line; ``errors`` are dicts with line,
    column (as the file names it) and reason."""

    file_name: str
    lines: list[MemberLine] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def _with(self, action: str) -> list[MemberLine]:
        return [line for line in self.lines if line.action == action]

    @property
    def new_members(self) -> list[MemberLine]:
        return self._with(Action.MEMBER)

    @property
    def invitations(self) -> list[MemberLine]:
        return self._with(Action.INVITATION)

    @property
    def already_members(self) -> list[MemberLine]:
        return self._with(Action.ALREADY_MEMBER)

    @property
    def can_apply(self) -> bool:
        return not self.errors and any(line.action != Action.ALREADY_MEMBER for line in self.lines)


@dataclass
class MemberImportResult:
    members_added: int = 0
    invitations_sent: int = 0
    not_invited: int = 0  # to invite, and the coordinator chose not to send invitations
    already_members: int = 0


def _header_key(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def _columns(header: list[str]) -> dict[str, int]:
    """The position of each known column in the file; the e-mail column is required."""
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = _header_key(title)
        for name, words in _HEADER_WORDS.items():
            if key in words:
                if name in positions:
                    raise MemberFileUnreadable(
                        _("The columns “%(first)s” and “%(second)s” are the same column.")
                        % {"first": header[positions[name]], "second": title}
                    )
                positions[name] = index
    if "email" not in positions:
        raise MemberFileUnreadable(
            _(
                "The file has no e-mail column. The first line names the columns: first name, "
                "last name, e-mail, phone, address (prénom, nom, e-mail, téléphone, adresse)."
            )
        )
    return positions


def _emails_lowered(queryset, field_name: str) -> QuerySet:
    return queryset.annotate(email_lowered=Lower(field_name))


def member_file_size_check(size: int) -> None:
    """A members file is at most MAX_FILE_BYTES as sent (the view asks before reading it)."""
    if size > MAX_FILE_BYTES:
        raise MemberFileTooBig(max_mb=MAX_FILE_BYTES // (1024 * 1024))


def member_import_check(
    *, organisation: Organisation, file_name: str, content: bytes
) -> MemberImportPlan:
    """Check every line of a members file without writing anything: a valid, unique e-mail
    on each line, values that fit; e-mails of active members are left out (not an error).
    A file that cannot be read at all raises MemberFileTooBig or MemberFileUnreadable."""
    member_file_size_check(len(content))
    try:
        header, rows = tables.read_table(file_name, content)
    except tables.FileUnreadable as exc:
        raise MemberFileUnreadable(str(exc)) from exc
    positions = _columns(header)
    titles = {name: header[index] for name, index in positions.items()}
    plan = MemberImportPlan(file_name=file_name)

    def error(line: int, name: str, reason: str) -> None:
        plan.errors.append({"line": line, "column": titles.get(name, name), "reason": reason})

    first_line_of: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        values = {
            name: (row[index].strip() if index < len(row) else "")
            for name, index in positions.items()
        }
        errors_before = len(plan.errors)
        for name, value in values.items():
            if len(value) > MAX_LENGTHS[name]:
                error(
                    number,
                    name,
                    _("The value is longer than %(max)s characters.") % {"max": MAX_LENGTHS[name]},
                )
        email = values["email"].lower()
        if not email:
            error(number, "email", _("The e-mail address is missing."))
        elif len(email) <= MAX_LENGTHS["email"]:
            try:
                validate_email(email)
            except ValidationError:
                error(
                    number,
                    "email",
                    _("“%(email)s” is not a valid e-mail address.") % {"email": values["email"]},
                )
            else:
                if email in first_line_of:
                    error(
                        number,
                        "email",
                        _("The same e-mail address is already on line %(line)s.")
                        % {"line": first_line_of[email]},
                    )
                else:
                    first_line_of[email] = number
        if len(plan.errors) == errors_before:
            plan.lines.append(MemberLine(line=number, **{**values, "email": email}))

    _classify(organisation, plan)
    return plan


def _classify(organisation: Organisation, plan: MemberImportPlan) -> None:
    """What happens to each valid line, from this organisation's members and requests of now
    (never from whether an account exists elsewhere)."""
    emails = [line.email for line in plan.lines]
    statuses = dict(
        _emails_lowered(Membership.objects.filter(organisation=organisation), "user__email")
        .filter(email_lowered__in=emails)
        .values_list("email_lowered", "status")
    )
    for line in plan.lines:
        status = statuses.get(line.email)
        if status == Membership.Status.ACTIVE:
            line.action = Action.ALREADY_MEMBER
        elif status == Membership.Status.PENDING:
            line.action = Action.MEMBER
        else:
            line.action = Action.INVITATION


# --- The import, read in the worker ------------------------------------------------------------


def member_import_start(
    *, organisation: Organisation, uploaded_by, file_name: str, content: bytes
) -> MemberImport:
    """Keep the uploaded file and have the worker read and check it. Only what costs nothing
    to see is refused here (too big, not a table, over the limits once unpacked: the check
    reads no cell), and then nothing is kept."""
    member_file_size_check(len(content))
    try:
        tables.check_table(file_name, content, tables.TableLimits.from_settings())
    except tables.FileUnreadable as exc:
        raise MemberFileUnreadable(str(exc)) from exc
    member_import = MemberImport.objects.create(
        organisation=organisation, uploaded_by=uploaded_by, file_name=file_name[:255],
        content=content,
    )  # fmt: skip
    enqueue_on_commit(tasks.member_import_check, import_id=member_import.pk)
    return member_import


def member_import_read(*, member_import: MemberImport) -> MemberImport:
    """The worker's part: read the file, check every line, keep the lines and the errors."""
    try:
        plan = member_import_check(
            organisation=member_import.organisation,
            file_name=member_import.file_name,
            content=bytes(member_import.content),
        )
    except DomainError as error:
        plan = MemberImportPlan(file_name=member_import.file_name)
        plan.errors.append({"line": 0, "column": "", "reason": str(error)})
    member_import.lines = [_line_data(line) for line in plan.lines]
    member_import.errors = plan.errors
    if plan.errors:
        member_import.status = MemberImport.Status.INVALID
        member_import.finished_at = timezone.now()
    else:
        member_import.status = MemberImport.Status.READY
    member_import.save(update_fields=["lines", "errors", "status", "finished_at", "updated_at"])
    return member_import


def _line_data(line: MemberLine) -> dict:
    fields = ("line", "email", "first_name", "last_name", "phone", "address")
    return {name: getattr(line, name) for name in fields}


def member_import_plan(*, member_import: MemberImport) -> MemberImportPlan:
    """The checked lines, with what would happen to each now (the members may have changed
    since the check); the file is not read again."""
    plan = MemberImportPlan(file_name=member_import.file_name, errors=list(member_import.errors))
    plan.lines = [MemberLine(**data) for data in member_import.lines]
    if member_import.status != MemberImport.Status.INVALID:
        _classify(member_import.organisation, plan)
    return plan


def member_import_confirm(
    *, member_import: MemberImport, by, invite: bool, base_url: str = ""
) -> MemberImportResult:
    """Apply a checked file once, all or nothing (see ``member_import_apply``); the import is
    marked done and its file emptied in the same transaction."""
    with transaction.atomic():
        updated = MemberImport.objects.filter(
            pk=member_import.pk, status=MemberImport.Status.READY
        ).update(status=MemberImport.Status.DONE, finished_at=timezone.now(), content=b"")
        if not updated:
            raise MemberImportNotReady()
        plan = member_import_plan(member_import=member_import)
        if not plan.can_apply:
            raise MemberImportNothingToDo()
        result = member_import_apply(
            organisation=member_import.organisation,
            plan=plan,
            by=by,
            invite=invite,
            base_url=base_url,
        )
    member_import.refresh_from_db()
    return result


def _people_of(organisation: Organisation, plan: MemberImportPlan) -> tuple[dict, dict]:
    """The accounts of the file's addresses (by lowered address) and their memberships of the
    organisation, locked (by user id)."""
    emails = [line.email for line in plan.lines]
    users = {
        user.email_lowered: user
        for user in _emails_lowered(User.objects.all(), "email").filter(email_lowered__in=emails)
    }
    memberships = {
        membership.user_id: membership
        for membership in orgs_locks.memberships_of_users_lock(
            organisation_id=organisation.pk, user_ids=[u.pk for u in users.values()]
        )
    }
    return users, memberships


def member_import_apply(
    *,
    organisation: Organisation,
    plan: MemberImportPlan,
    by,
    invite: bool,
    base_url: str = "",
) -> MemberImportResult:
    """Apply a checked file, all or nothing: a request to join is accepted; everyone else is
    invited by e-mail with the invitation service when ``invite`` (the e-mails leave after the
    commit), else left out. Nobody is made a member without having asked or accepted, and
    accounts themselves are never changed."""
    if plan.errors:
        raise MemberImportInvalid()
    if invite and not base_url:
        raise ValueError("member_import_apply(invite=True) needs the site's base_url")
    result = MemberImportResult()
    now = timezone.now()
    try:
        with transaction.atomic():
            users, memberships = _people_of(organisation, plan)
            to_accept = []
            for line in plan.lines:
                user = users.get(line.email)
                membership = memberships.get(user.pk) if user is not None else None
                if membership is not None and membership.status == Membership.Status.ACTIVE:
                    result.already_members += 1
                elif membership is not None and membership.status == Membership.Status.PENDING:
                    membership.status = Membership.Status.ACTIVE
                    membership.decided_at, membership.decided_by = now, by
                    membership.updated_at = now
                    to_accept.append(membership)
                elif invite:
                    orgs_services.invitation_create(
                        organisation=organisation,
                        email=line.email,
                        invited_by=by,
                        base_url=base_url,
                    )
                    result.invitations_sent += 1
                else:
                    result.not_invited += 1
            Membership.objects.bulk_update(
                to_accept, ["status", "decided_at", "decided_by", "updated_at"]
            )
            result.members_added = len(to_accept)
    except IntegrityError as exc:  # someone joined or was added meanwhile
        raise MemberImportConflict() from exc
    return result
