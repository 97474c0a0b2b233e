"""The purchase order pages' forms (thin: they read what people type; the services decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cabas.core import forms as core_forms

from .models import PurchaseOrder, Supplier

QUANTITY_PREFIX = "quantity-"


def quantity_field(label: str) -> core_forms.DecimalField:
    return core_forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=3,
        error_messages={
            "min_value": _("A quantity cannot be negative."),
            "max_digits": _("This quantity is too large."),
            "max_whole_digits": _("This quantity is too large."),
            "max_decimal_places": _("Enter a quantity with at most three decimals."),
        },
    )


class QuantitiesForm(forms.Form):
    """One quantity per product (``quantity-<product id>``): the suggestion's quantities to
    order, or a draft's lines."""

    def __init__(
        self,
        *args,
        products: list,
        initial_quantities: dict | None = None,
        required: bool = False,
        **kwargs,
    ):
        """``required``: an emptied field is an error (a draft's lines: 0 removes a line,
        an empty field removes nothing by mistake); otherwise empty is 0 (not ordered)."""
        super().__init__(*args, **kwargs)
        initial_quantities = initial_quantities or {}
        for product in products:
            field = quantity_field(_("Quantity of %(product)s") % {"product": product.name})
            if required:
                field.required = True
                field.error_messages["required"] = _("Enter a quantity (0 removes the line).")
            field.initial = initial_quantities.get(product.pk)
            field.product = product
            self.fields[f"{QUANTITY_PREFIX}{product.pk}"] = field

    def quantities(self) -> dict[int, object]:
        """product id → quantity typed (empty: 0)."""
        return {
            field.product.pk: self.cleaned_data.get(name) or 0
            for name, field in self.fields.items()
            if name.startswith(QUANTITY_PREFIX)
        }


class PurchaseOrderDetailsForm(forms.Form):
    expected_on = forms.DateField(
        label=_("Expected delivery"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, e.g. 2025-01-31.")},
    )
    note = forms.CharField(
        label=_("Note to the supplier"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LineAddForm(forms.Form):
    product = forms.TypedChoiceField(
        label=_("Product"),
        coerce=int,
        error_messages={"invalid_choice": _("Choose one of this supplier's products.")},
    )
    quantity = quantity_field(_("Quantity"))

    def __init__(self, *args, items: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", "—")] + [
            (item.product_id, item.product.name) for item in items
        ]
        self.fields["quantity"].required = True


class SendForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Attach the order as"),
        choices=PurchaseOrder.FileFormat.choices,
        initial=PurchaseOrder.FileFormat.PDF,
        error_messages={"invalid_choice": _("Choose PDF or Excel (XLSX).")},
    )


class NewOrderForm(forms.Form):
    supplier = forms.ModelChoiceField(
        label=_("Supplier"),
        queryset=Supplier.objects.none(),
        error_messages={"invalid_choice": _("Choose one of your suppliers.")},
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(
            organisation=organisation, is_active=True
        )
