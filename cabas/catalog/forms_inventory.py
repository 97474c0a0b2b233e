from django import forms
from django.utils.translation import gettext_lazy as _

from cabas.core import forms as core_forms
from cabas.core.search import QUERY_MAX_LENGTH

from . import categories


class InventoryStartForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("e.g. “Rayon épicerie, mars”")
    )
    category = forms.ChoiceField(
        label=_("What is counted"),
        required=False,
        choices=[("", _("The whole shop stock"))] + categories.choices(),
    )
    show_expected = forms.BooleanField(
        label=_("Show the expected quantity to the people counting"), required=False
    )


class InventoryCountForm(forms.Form):
    quantity = core_forms.DecimalField(
        label=_("Counted quantity"), max_digits=10, decimal_places=3, min_value=0
    )


class InventorySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=QUERY_MAX_LENGTH)
