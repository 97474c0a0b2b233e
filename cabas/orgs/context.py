"""The one place an organisation's time zone and language are made current (pages, e-mails,
files, tasks)."""

from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone, translation

from .models import Organisation


@contextmanager
def organisation_context(organisation: Organisation, *, language: str | None = None):
    """Run the block in ``organisation``'s time zone and language: every date and time shown to
    a person, written in an e-mail or a file reads as the organisation's wall clock, in
    ``language`` when the person has one of their own (a page: see ``chosen_language``; an
    e-mail: the recipient's), else in the organisation's language."""
    with (
        timezone.override(organisation.tzinfo),
        translation.override(language or organisation.language),
    ):
        yield


def chosen_language(request) -> str | None:
    """The language the person chose themselves, if any: the language switcher's cookie, else
    their profile's language (the same rule as ``cabas.accounts.middleware``); None for a
    visitor who chose nothing, who then reads the organisation's language."""
    known = {code for code, _name in settings.LANGUAGES}
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in known:
        return cookie
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in known:
        return user.language
    return None
