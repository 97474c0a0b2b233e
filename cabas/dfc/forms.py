"""The DFC connections page's form: a token's name and what it may do."""

from __future__ import annotations

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Scope


class DfcTokenForm(forms.Form):
    """Offers only the scopes ``allowed`` (what the person's role allows here)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("The platform it is for, e.g. “Open Food Network”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing the token may do.")},
    )

    def __init__(self, *args, allowed: frozenset[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [
            (scope.value, f"{scope.label} ({scope.value})")
            for scope in Scope
            if scope.value in allowed
        ]

    def clean_name(self) -> str:
        # Invisible characters (zero-width spaces, direction marks) do not make a name.
        visible = "".join(c for c in self.cleaned_data["name"] if unicodedata.category(c) != "Cf")
        name = " ".join(visible.split())
        if not name:
            raise forms.ValidationError(_("Give the token a name, e.g. the platform it is for."))
        return name
