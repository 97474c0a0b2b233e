from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cabas.core import forms as core_forms
from cabas.core.money import format_percent
from cabas.core.search import QUERY_MAX_LENGTH

from . import categories
from .models import Producer, ProducerLink, Product, StockMovement
from .services import PRODUCER_FIELDS, PRODUCT_FIELDS


class ProductForm(forms.ModelForm):
    """Parses a product; catalog.services applies the rules and saves."""

    vat_rate = forms.TypedChoiceField(label=_("VAT rate"), coerce=Decimal, choices=())
    # The shop stock the page showed: saved unchanged, it is left as it is (orders may have
    # moved it since the page was opened).
    stock_shown = core_forms.DecimalField(
        required=False, max_digits=10, decimal_places=3, widget=forms.HiddenInput
    )

    class Meta:
        model = Product
        fields = list(PRODUCT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = core_forms.formfield

    def __init__(self, *args, vat_rates, producers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vat_rate"].choices = [(rate, format_percent(rate)) for rate in vat_rates]
        if self.instance.pk is not None and self.instance.stock_quantity is not None:
            self.fields["stock_shown"].initial = format(self.instance.stock_quantity, "f")
        if producers is not None:
            self.fields["producer"] = forms.ModelChoiceField(
                label=_("Producer"), queryset=producers
            )
            self.order_fields(["producer"])

    def validate_unique(self):
        pass  # the reference's uniqueness is catalog.services' rule (ReferenceTaken)


class ProductQuickForm(forms.Form):
    """The inline edit of a list row: price, stock and active."""

    price = core_forms.DecimalField(label=_("Price"), min_value=0, max_digits=10, decimal_places=2)
    quantity = core_forms.DecimalField(
        label=_("Quantity"), required=False, min_value=0, max_digits=10, decimal_places=3
    )
    # The shop stock the row showed (see ProductForm.stock_shown).
    quantity_shown = core_forms.DecimalField(
        required=False, max_digits=10, decimal_places=3, widget=forms.HiddenInput
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)


class ProductFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=QUERY_MAX_LENGTH)
    category = forms.ChoiceField(label=_("Category"), required=False)
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Inactive"))],
    )
    producer = forms.ModelChoiceField(
        label=_("Producer"), queryset=None, required=False, empty_label=_("All")
    )

    def __init__(self, *args, producers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", pgettext_lazy("category", "All"))] + [
            (family.code, family.label) for family in categories.TREE
        ]
        if producers is None:
            del self.fields["producer"]
        else:
            self.fields["producer"].queryset = producers


class StockAdjustForm(forms.Form):
    delta = core_forms.DecimalField(
        label=_("Change (+ received, − removed)"),
        max_digits=10,
        decimal_places=3,
        widget=core_forms.DecimalInput(signed=True),
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[(reason.value, reason.label) for reason in StockMovement.BY_HAND],
        initial=StockMovement.Reason.CORRECTION,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def clean_delta(self):
        if self.cleaned_data["delta"] == 0:
            raise forms.ValidationError(_("Enter a change other than zero."))
        return self.cleaned_data["delta"]


class ProducerForm(forms.ModelForm):
    class Meta:
        model = Producer
        fields = list(PRODUCER_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "latitude": core_forms.DecimalInput(signed=True),
            "longitude": core_forms.DecimalInput(signed=True),
        }
        formfield_callback = core_forms.formfield


class ProducerLinkForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ProducerLink.Status.choices)
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ProductImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("Our template, a Cagette export or an Open Food Network product list."),
    )
    producer = forms.ModelChoiceField(
        label=_("Producer"),
        queryset=Producer.objects.none(),
        required=False,
        help_text=_("For the lines that do not name their producer (e.g. a Cagette export)."),
    )

    def __init__(self, *args, producers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if producers is None:
            del self.fields["producer"]
        else:
            self.fields["producer"].queryset = producers
