"""The form of "Import a DFC catalog": an address or a file (one of them), how often to read
the address again, and for a coordinator the producer whose products these are."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from cabas.catalog.imports import max_upload_bytes
from cabas.catalog.models import Producer

from .fetching import FetchRefused, check_url
from .models import CatalogSource

EXTENSIONS = (".json", ".jsonld")


class CatalogImportForm(forms.Form):
    producer = forms.ModelChoiceField(
        label=_("Producer"), queryset=Producer.objects.none(), required=True
    )
    url = forms.URLField(
        label=_("Catalog address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("e.g. https://openfoodnetwork.example/api/dfc/enterprises/12/catalog_items"),
    )
    file = forms.FileField(
        label=_("Or a file (JSON-LD)"), required=False, help_text=_("A .json or .jsonld file.")
    )
    refresh = forms.ChoiceField(
        label=_("Read the address again"),
        choices=CatalogSource.Refresh.choices,
        initial=CatalogSource.Refresh.NEVER,
        help_text=_("Each time, the catalog is applied if it has no error."),
    )

    def __init__(self, *args, producers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if producers is None:
            del self.fields["producer"]
        else:
            self.fields["producer"].queryset = producers

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url:
            try:
                check_url(url)
            except FetchRefused as exc:
                raise forms.ValidationError(str(exc)) from exc
        return url

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("Send a .json or .jsonld file."))
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": max(limit // (1024 * 1024), 1)}
            )
        content = upload.read()
        try:
            json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # nested too deep
            raise forms.ValidationError(_("This file is not JSON.")) from exc
        return {"name": upload.name, "content": content}

    def clean(self):
        data = super().clean()
        url, upload = data.get("url"), data.get("file")
        if self.errors:
            return data
        if bool(url) == bool(upload):
            raise forms.ValidationError(_("Give either an address or a file."))
        if upload and data.get("refresh") != CatalogSource.Refresh.NEVER:
            self.add_error("refresh", _("Only an address can be read again."))
        return data
