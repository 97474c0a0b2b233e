"""The announcements of the organisation a page is under, for the shop and home pages
(``messaging/_announcements.html``): read only when a template shows them."""

from __future__ import annotations

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .selectors import announcements_for


def announcements(request) -> dict:
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return {}
    membership = getattr(request, "membership", None)
    return {
        "announcements": SimpleLazyObject(
            lambda: announcements_for(organisation, membership, now=timezone.now())
        )
    }
