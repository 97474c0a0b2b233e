"""The coordinators' form of the messaging settings: the batches of the coordinators'
messages, each automatic reminder's switch and timing, and its words in each language (our
default words shown as the placeholder of an empty field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MessagingSettings
from .reminders import texts
from .reminders.services import SETTINGS_FIELDS

Kind = texts.Kind
LANGUAGE_NAMES = {"fr": _("In French"), "en": _("In English")}
# (legend, key, settings fields, reminder kind whose words follow or None)
GROUPS = (
    (_("Sending the messages"), "sending", ("batch_size", "batch_interval_seconds"), None),
    (_("When a sale opens"), "sale-opened", ("sale_opened_on", "sale_opened_recent_sales"),
     Kind.SALE_OPENED),
    (_("Last call before the cutoff"), "last-call", ("last_call_on", "last_call_hours"),
     Kind.LAST_CALL),
    (_("Pickup reminder"), "pickup",
     ("pickup_reminder_on", "pickup_reminder_days_before", "pickup_reminder_hour"), Kind.PICKUP),
    (_("A pickup point moves"), "changes", ("changes_on",), Kind.CHANGES),
)  # fmt: skip
BOUNDS = {
    "batch_size": (1, 1000),
    "batch_interval_seconds": (0, 3600),
    "sale_opened_recent_sales": (0, 52),
    "last_call_hours": (1, 168),
    "pickup_reminder_days_before": (0, 14),
    "pickup_reminder_hour": (0, 23),
}


def words_field(kind: str, language: str, part: str) -> str:
    return f"{kind}_{language}_{part}"


class MessagingSettingsForm(forms.ModelForm):
    class Meta:
        model = MessagingSettings
        fields = list(SETTINGS_FIELDS)

    def __init__(self, *args, words: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in BOUNDS.items():
            model_field = self.fields[name]
            self.fields[name] = forms.IntegerField(
                label=model_field.label, help_text=model_field.help_text,
                initial=model_field.initial, min_value=low, max_value=high,
            )  # fmt: skip
        for kind in texts.PLACEHOLDERS:
            for language in texts.LANGUAGES:
                default = texts.default_words_in(kind, language)
                own = words.get((kind, language))
                self.fields[words_field(kind, language, "subject")] = forms.CharField(
                    label=_("subject"), max_length=200, required=False,
                    initial=own.subject if own else "",
                    widget=forms.TextInput(attrs={"placeholder": default.subject}),
                )  # fmt: skip
                self.fields[words_field(kind, language, "text")] = forms.CharField(
                    label=_("text"), required=False, initial=own.text if own else "",
                    widget=forms.Textarea(attrs={"rows": 4, "placeholder": default.text}),
                )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        for kind in texts.PLACEHOLDERS:
            for language in texts.LANGUAGES:
                for part in ("subject", "text"):
                    name = words_field(kind, language, part)
                    unknown = texts.unknown_placeholders(kind, cleaned.get(name) or "")
                    if unknown:
                        self.add_error(name, _placeholder_error(kind, unknown))
        return cleaned

    def _post_clean(self):
        # The service validates and saves (reminders.services.messaging_settings_save).
        pass

    def settings_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}

    def words(self) -> dict[tuple[str, str], texts.Words]:
        return {
            (kind, language): texts.Words(
                self.cleaned_data[words_field(kind, language, "subject")],
                self.cleaned_data[words_field(kind, language, "text")],
            )
            for kind in texts.PLACEHOLDERS
            for language in texts.LANGUAGES
        }

    def groups(self) -> list[dict]:
        return [
            {
                "label": label,
                "key": key,
                "fields": [self[name] for name in names],
                "placeholders": placeholders_help(kind) if kind else "",
                "languages": [
                    {
                        "name": LANGUAGE_NAMES[language],
                        "subject": self[words_field(kind, language, "subject")],
                        "text": self[words_field(kind, language, "text")],
                    }
                    for language in texts.LANGUAGES
                ]
                if kind
                else [],
            }
            for label, key, names, kind in GROUPS
        ]


def placeholders_text(kind: str) -> str:
    return ", ".join("{" + name + "}" for name in texts.PLACEHOLDERS[kind])


def placeholders_help(kind: str) -> str:
    """ "{sale}: the sale; {cutoff}: its cutoff…" for the reminder ``kind``."""
    return "; ".join(f"{{{name}}} : {texts.MEANINGS[name]}" for name in texts.PLACEHOLDERS[kind])


def _placeholder_error(kind: str, unknown: list[str]) -> str:
    return _("Unknown: %(unknown)s. You may use %(known)s.") % {
        "unknown": ", ".join("{" + name + "}" for name in unknown),
        "known": placeholders_text(kind),
    }
