"""The one place an organisation's time zone is made current (pages, e-mails, files, tasks)."""

from contextlib import contextmanager

from django.utils import timezone

from .models import Organisation


@contextmanager
def organisation_context(organisation: Organisation):
    """Run the block in ``organisation``'s time zone: every date and time shown to a person,
    written in an e-mail or a file reads as the organisation's wall clock."""
    with timezone.override(organisation.tzinfo):
        yield
