"""What the DFC connections page lists (two queries, however many tokens)."""

from __future__ import annotations

from cabas.orgs.models import Organisation

from .auth import manages_tokens
from .models import DfcToken


def own_tokens(*, user, organisation: Organisation) -> list[DfcToken]:
    """The person's tokens for this organisation, newest first (revoked ones too)."""
    return list(DfcToken.objects.filter(organisation=organisation, user=user))


def organisation_tokens(*, user, organisation: Organisation) -> list[DfcToken] | None:
    """Every token of the organisation with its account, for whoever manages them
    (``auth.manages_tokens``); None for anyone else."""
    if not manages_tokens(user, organisation):
        return None
    return list(DfcToken.objects.filter(organisation=organisation).select_related("user"))
