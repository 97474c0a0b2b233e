import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cabas.catalog import categories
from cabas.core.params import ID_MAX
from cabas.core.search import QUERY_MAX_LENGTH


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


class BasketLineForm(forms.Form):
    product = forms.IntegerField(min_value=1, max_value=ID_MAX)
    quantity = forms.CharField(max_length=20)


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
