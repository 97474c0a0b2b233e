"""Form helpers shared by every app's views."""

from django import forms
from django.conf import settings
from django.db import models
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .money import NUMBER_PATTERN, parse_decimal, typed_number


def add_domain_error(
    form: forms.BaseForm, error: DomainError, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's refusal on the field it concerns (or on top of the form); ``aliases``
    maps a service argument to the form field it comes from."""
    field = (aliases or {}).get(error.field, error.field)
    field = field if field in form.fields else None
    form.add_error(field, str(error))


def list_only(field: forms.ModelChoiceField, objects, *, widget=forms.Select, empty=True) -> None:
    """List only ``objects`` (a sale's pickups, the members a search found) in a model choice
    while any object of the field's queryset stays accepted (checked with one query): a choice
    among thousands is a page nobody can use on a phone, and a slow one."""
    listed = [(item.pk, field.label_from_instance(item)) for item in objects]
    field.widget = widget(choices=[("", field.empty_label or ""), *listed] if empty else listed)


# --- Decimals people type -----------------------------------------------------------------
# A browser's number field is not used for decimals: Chromium drops a typed comma ("0,5"
# became 5) and what it accepts depends on the browser's language, not the page's. A decimal
# is a text field with the decimal keyboard on phones, read by the one parser
# (``parse_decimal``: a comma or a point) and checked by the browser with the same grammar.
# Its value is the one number of an attribute written in the page's language ("0,5", "3,10" in
# French, ``typed_number``): a person reads and edits it, and keeping it as it is submits the
# same number (a browser's number field would localise it too, a text field cannot).


class DecimalInput(forms.TextInput):
    """A decimal field: "0,5" or "0.5" both work, its value shown "0,5" in French. ``places=2``
    for amounts ("3,10");
    ``signed=True`` where a minus is expected (phones' decimal keyboards have no minus key);
    ``whole=True`` where only whole numbers are taken (pieces): its hint gives no decimal."""

    def __init__(
        self, attrs=None, *, places: int | None = None, signed: bool = False, whole: bool = False
    ):
        hint = _("A whole number, for example 2") if whole else _("A number, for example 2 or 0.5")
        defaults = {
            "inputmode": "text" if signed else "decimal",
            "pattern": NUMBER_PATTERN,
            "title": hint,
            "autocomplete": "off",
        }
        super().__init__({**defaults, **(attrs or {})})
        self.places = places

    def format_value(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value  # what the person typed, shown back as it was
        return typed_number(value, self.places)

    def html(self, name: str, value) -> str:
        """What ``render`` writes (Django's ``input.html``), without the template engine: the
        shop writes one per product of a list of 150."""
        shown = self.format_value(value)
        parts = [f'<input type="{self.input_type}" name="{conditional_escape(name)}"']
        if shown is not None:
            parts.append(f' value="{conditional_escape(shown)}"')
        for attr, attr_value in self.attrs.items():  # in order, as attrs.html writes them
            if attr_value is True:
                parts.append(f" {attr}")
            elif attr_value is not False:
                parts.append(f' {attr}="{conditional_escape(attr_value)}"')
        return mark_safe("".join(parts) + ">")  # noqa: S308 (every value escaped above)


class DecimalField(forms.DecimalField):
    """Django's decimal field, typed the French way too: "0,5", "0.5", "1 000,50"."""

    widget = DecimalInput
    default_error_messages = {"invalid": _("Enter a number, for example 2 or 0.5.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.widget, DecimalInput) and self.widget.places is None:
            self.widget.places = 2 if self.decimal_places == 2 else None

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_decimal(value)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class PhotoField(forms.ImageField):
    """A photo or a logo: an image (Django's check), of at most ``PHOTO_MAX_BYTES`` and
    ``PHOTO_MAX_PIXELS``. The pixels are read from the image's header, before anything
    decodes it: a few kilobytes of PNG can unpack to gigabytes when the thumbnail is made."""

    def to_python(self, data):
        if data not in self.empty_values and (data.size or 0) > settings.PHOTO_MAX_BYTES:
            megabytes = max(settings.PHOTO_MAX_BYTES // (1024 * 1024), 1)
            raise forms.ValidationError(
                _("The photo is larger than %(mb)s MB.") % {"mb": megabytes}, code="too_large"
            )
        upload = super().to_python(data)
        image = getattr(upload, "image", None)
        if image is not None and image.width * image.height > settings.PHOTO_MAX_PIXELS:
            megapixels = max(settings.PHOTO_MAX_PIXELS // 1_000_000, 1)
            raise forms.ValidationError(
                _("The photo has too many pixels: at most %(mp)s million (e.g. 8000 × 6000).")
                % {"mp": megapixels},
                code="too_many_pixels",
            )
        return upload


def formfield(db_field, **kwargs):
    """``Meta.formfield_callback`` of model forms: their decimals become ``DecimalField``,
    their images ``PhotoField``."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", DecimalField)
    if isinstance(db_field, models.ImageField):
        kwargs.setdefault("form_class", PhotoField)
    return db_field.formfield(**kwargs)
