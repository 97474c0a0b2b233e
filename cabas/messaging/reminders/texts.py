"""The words of the reminders: an organisation's own (``ReminderText``, per language) or
ours (gettext), with a few placeholders replaced by plain substitution — never a template
engine on what a coordinator wrote. The facts (dates, place, order) are not part of these
words: the e-mail's template always adds them after."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cabas.orgs.models import Organisation

from ..models import MessagingSettings, ReminderText

Kind = ReminderText.Kind
# The languages a coordinator writes the reminders in (the site's languages).
LANGUAGES = ("fr", "en")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# What each reminder's words may name.
PLACEHOLDERS = {
    Kind.SALE_OPENED: ("organisation", "sale", "cutoff"),
    Kind.LAST_CALL: ("organisation", "sale", "cutoff"),
    Kind.PICKUP: ("organisation", "sale", "point", "pickup"),
    Kind.CHANGES: ("organisation", "point"),
}
# What each placeholder becomes, as the settings page explains it.
MEANINGS = {
    "organisation": gettext_lazy("your organisation's name"),
    "sale": gettext_lazy("the sale"),
    "cutoff": gettext_lazy("its cutoff"),
    "point": gettext_lazy("the pickup point"),
    "pickup": gettext_lazy("the day and time of the pickup"),
}


@dataclass(frozen=True)
class Words:
    subject: str
    text: str


def default_words(kind: str) -> Words:
    """Our words for ``kind``, in the active language."""
    if kind == Kind.SALE_OPENED:
        return Words(
            _("The sale “{sale}” is open"),
            _("Hello,\n\nThe sale “{sale}” is open: you can order until {cutoff}."),
        )
    if kind == Kind.LAST_CALL:
        return Words(
            _("Last call: “{sale}” closes {cutoff}"),
            _("Hello,\n\nOrders for “{sale}” close {cutoff}. There is still time to order."),
        )
    if kind == Kind.PICKUP:
        return Words(
            _("Your pickup {pickup} at {point}"),
            _("Hello,\n\nA reminder: your order is waiting for you {pickup} at {point}."),
        )
    if kind == Kind.CHANGES:
        return Words(
            _("The pickup point “{point}” moves"),
            _("Hello,\n\nThe pickup point “{point}” has changed: here is where to find it now."),
        )
    raise ValueError(f"unknown reminder {kind!r}")


def default_words_in(kind: str, language: str) -> Words:
    with translation.override(language):
        return default_words(kind)


def unknown_placeholders(kind: str, text: str) -> list[str]:
    """The ``{names}`` in ``text`` that the reminder ``kind`` does not know."""
    known = PLACEHOLDERS[kind]
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in known})


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each known ``{name}`` replaced by its value as it is (plain text: the
    e-mail escapes the whole for its HTML part); anything else is left as written."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def settings_of(organisation: Organisation) -> MessagingSettings:
    """The organisation's settings (the defaults, unsaved, when it has none yet)."""
    found = MessagingSettings.objects.filter(organisation=organisation).first()
    return found or MessagingSettings(organisation=organisation)


def words_for(*, organisation: Organisation, kind: str, language: str) -> Words:
    """The organisation's words for ``kind`` in ``language``, each part falling back to ours
    when it wrote none (called in ``language``)."""
    default = default_words_in(kind, language)
    own = ReminderText.objects.filter(
        organisation=organisation, kind=kind, language=language
    ).first()
    if own is None:
        return default
    return Words(own.subject.strip() or default.subject, own.text.strip() or default.text)


def words_written(organisation: Organisation) -> dict[tuple[str, str], Words]:
    """The words the organisation wrote, by (kind, language)."""
    return {
        (row.kind, row.language): Words(row.subject, row.text)
        for row in ReminderText.objects.filter(organisation=organisation)
    }
