import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cabas.catalog import categories
from cabas.core.params import ID_MAX
from cabas.core.search import QUERY_MAX_LENGTH

from . import errors, rules


class ShopFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=QUERY_MAX_LENGTH,
                        widget=forms.SearchInput)  # fmt: skip
    category = forms.ChoiceField(label=_("Category"), required=False)
    producer = forms.TypedChoiceField(label=_("Producer"), required=False, coerce=int,
                                      empty_value=None)  # fmt: skip
    organic = forms.BooleanField(label=_("Organic only"), required=False)

    def __init__(self, *args, producers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *categories.choices()]
        self.fields["producer"].choices = [("", _("All producers"))] + [
            (producer.pk, producer.name) for producer in producers
        ]


class QuantityField(forms.Field):
    """A quantity a person types, read by the one rule (``rules.parse_quantity``: "0,5" or
    "0.5"); its refusal is the field's error, word for word."""

    default_error_messages = {"required": _("Enter a quantity.")}

    def to_python(self, value):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        try:
            return rules.parse_quantity(text)
        except errors.InvalidOrder as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


# A forged or emptied product id: the product, not the quantity, is what is wrong.
NOT_IN_SALE = dict.fromkeys(
    ("required", "invalid", "min_value", "max_value"), errors.ProductNotInSale.default_message
)


class BasketLineForm(forms.Form):
    product = forms.IntegerField(min_value=1, max_value=ID_MAX, error_messages=NOT_IN_SALE)
    quantity = QuantityField()

    def refusal(self) -> str:
        """What is wrong, said once: the product first, else the quantity."""
        return next(iter(self.errors.get("product") or self.errors["quantity"]))


class CheckoutForm(forms.Form):
    """The place is "<pickup id>-<slot id or 0>"; ``token`` makes a double submit harmless."""

    PLACE = re.compile(r"\d+-\d+")

    place = forms.RegexField(regex=r"^\d+-\d+$", error_messages={
        "required": _("Choose where and when you collect your order."),
        "invalid": _("Choose where and when you collect your order."),
    })  # fmt: skip
    note = forms.CharField(
        label=_("Note to the organisation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    def place_ids(self) -> tuple[int, int | None]:
        pickup_id, slot_id = (int(part) for part in self.cleaned_data["place"].split("-"))
        return pickup_id, slot_id or None


class MoveForm(forms.Form):
    """A coordinator moves one order: which order, to which "<pickup id>-<slot id or 0>"."""

    order = forms.IntegerField(min_value=1, max_value=ID_MAX)
    place = forms.RegexField(regex=r"^\d+-\d+$")

    def place_ids(self) -> tuple[int, int | None]:
        pickup_id, slot_id = (int(part) for part in self.cleaned_data["place"].split("-"))
        return pickup_id, slot_id or None
