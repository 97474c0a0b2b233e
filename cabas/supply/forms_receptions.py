"""The reception pages' forms: starting a delivery without an order, counting a line,
adding a product not on the order. Decimals are typed the French way ("1,5")."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cabas.core import forms as core_forms


def _quantity(label, *, required=True):
    return core_forms.DecimalField(
        label=label, max_digits=10, decimal_places=3, min_value=0, required=required
    )


def _price():
    return core_forms.DecimalField(
        label=_("Price on the delivery note (excl. VAT)"),
        max_digits=12,
        decimal_places=4,
        min_value=0,
        required=False,
    )


class ReceptionStartForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=None)
    delivery_note = forms.CharField(label=_("Delivery note number"), max_length=64, required=False)

    def __init__(self, *args, suppliers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = suppliers


class ReceptionLineForm(forms.Form):
    received_quantity = _quantity(_("Received in good condition"))
    damaged_quantity = _quantity(_("Damaged"), required=False)
    unit_price = _price()
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ReceptionLineAddForm(ReceptionLineForm):
    product = forms.ModelChoiceField(label=_("Product"), queryset=None)
    received_quantity = _quantity(_("Received in good condition"))

    field_order = ["product", "received_quantity", "damaged_quantity", "unit_price", "note"]

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
