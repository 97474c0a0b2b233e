"""Invitations by the dozen: a pasted list of addresses, each invited through the
organisation's invitation service."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from cabas.orgs import errors as orgs_errors
from cabas.orgs import services as orgs_services
from cabas.orgs.models import Invitation, Membership, Organisation

from .errors import InvitationAddressesInvalid
from .imports import MAX_BULK_INVITATIONS, MAX_LENGTHS, _emails_lowered


def invitation_addresses_parse(text: str) -> tuple[list[str], list[dict]]:
    """The e-mail addresses of a pasted list (one per line, or separated by commas or
    semicolons; "Name <address>" accepted), each once, and the errors (line, address,
    reason)."""
    addresses: list[str] = []
    errors: list[dict] = []
    for number, text_line in enumerate(text.splitlines(), start=1):
        for part in re.split(r"[,;]", text_line):
            written = part.strip()
            if not written:
                continue
            found = re.fullmatch(r"[^<>]*<([^<>]+)>", written)
            address = (found.group(1) if found else written).strip().lower()
            try:
                if len(address) > MAX_LENGTHS["email"]:
                    raise ValidationError("too long")
                validate_email(address)
            except ValidationError:
                errors.append(
                    {
                        "line": number,
                        "address": written,
                        "reason": _("This is not a valid e-mail address."),
                    }
                )
                continue
            if address not in addresses:
                addresses.append(address)
    return addresses, errors


@dataclass
class BulkInvitationResult:
    invitations: list[Invitation] = field(default_factory=list)
    already_members: list[str] = field(default_factory=list)


def member_invite_bulk(
    *, organisation: Organisation, text: str, by, base_url: str
) -> BulkInvitationResult:
    """Invite every address of a pasted list through the invitation service, in one
    transaction: if one address is malformed, nobody is invited (InvitationAddressesInvalid).
    Active members are left out; the e-mails leave after the commit."""
    addresses, errors = invitation_addresses_parse(text)
    if not errors and not addresses:
        errors = [{"line": 0, "address": "", "reason": _("Enter at least one e-mail address.")}]
    if len(addresses) > MAX_BULK_INVITATIONS:
        errors.append(
            {
                "line": 0,
                "address": "",
                "reason": _("At most %(max)s addresses at a time.") % {"max": MAX_BULK_INVITATIONS},
            }
        )
    if errors:
        raise InvitationAddressesInvalid(errors)
    result = BulkInvitationResult()
    with transaction.atomic():
        members = set(
            _emails_lowered(
                Membership.objects.active().filter(organisation=organisation), "user__email"
            )
            .filter(email_lowered__in=addresses)
            .values_list("email_lowered", flat=True)
        )
        for address in addresses:
            if address in members:
                result.already_members.append(address)
                continue
            try:
                invitation = orgs_services.invitation_create(
                    organisation=organisation, email=address, invited_by=by, base_url=base_url
                )
            except orgs_errors.InviteeAlreadyMember:  # an account with different case
                result.already_members.append(address)
            else:
                result.invitations.append(invitation)
    return result
