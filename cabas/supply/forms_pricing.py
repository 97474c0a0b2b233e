"""The forms of the pricing pages: the supply settings, the coefficients (one field per
category and per product), and the chosen price changes."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cabas.catalog import categories
from cabas.core import forms as core_forms
from cabas.core.params import whole_number

from . import errors
from .forms_suppliers import WEEKDAY_CHOICES, shop_products
from .models import SupplySettings
from .services.pricing import SETTINGS_FIELDS


class SupplySettingsForm(forms.ModelForm):
    alert_weekday = forms.TypedChoiceField(
        label=_("Weekly e-mail on"), choices=WEEKDAY_CHOICES, coerce=int
    )

    class Meta:
        model = SupplySettings
        fields = list(SETTINGS_FIELDS)
        widgets = {"delivery_address": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = core_forms.formfield
        help_texts = {"alert_weekday": _("The day of the supply team's weekly e-mail.")}


def coefficient_field(label) -> core_forms.DecimalField:
    return core_forms.DecimalField(
        label=label, required=False, max_digits=6, decimal_places=3, widget=_input()
    )


def _input():
    return core_forms.DecimalInput(attrs={"class": "narrow"})


def category_rows():
    """``(code, label, is_family)`` of every node of the category tree, families first."""
    for family in categories.TREE:
        yield family.code, family.label, True
        for child in family.children:
            yield child.code, child.label, False


class CoefficientsForm(forms.Form):
    """One coefficient field per category and per product that has one, and a product to
    add; an empty field removes its coefficient."""

    def __init__(
        self, *args, organisation, by_category: dict, product_rows: list, default=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.by_category, self.default = by_category, default
        self.current: dict[str, tuple[dict, Decimal | None]] = {}
        for code, label, _is_family in category_rows():
            name = f"category_{code}"
            self.fields[name] = coefficient_field(label)
            self.fields[name].initial = by_category.get(code)
            self.current[name] = ({"category": code}, by_category.get(code))
        for row in product_rows:
            name = f"product_{row.product_id}"
            self.fields[name] = coefficient_field(row.product.name)
            self.fields[name].initial = row.coefficient
            self.current[name] = ({"product": row.product}, row.coefficient)
        taken = [row.product_id for row in product_rows]
        self.fields["new_product"] = forms.ModelChoiceField(
            label=_("Product"),
            queryset=shop_products(organisation).exclude(pk__in=taken),
            required=False,
        )
        self.fields["new_coefficient"] = coefficient_field(_("Coefficient"))

    def category_fields(self):
        """``(field, is_family, inherited)``: ``inherited`` applies when the field is empty
        (the family's coefficient for a subcategory, else the default; None: no price)."""
        rows = []
        family_code = ""
        for code, _label, is_family in category_rows():
            if is_family:
                family_code = code
                inherited = self.default
            else:
                inherited = self.by_category.get(family_code, self.default)
            rows.append((self[f"category_{code}"], is_family, inherited))
        return rows

    def product_fields(self):
        return [self[name] for name in self.fields if name.startswith("product_")]

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if name != "new_product" and value is not None and value <= 0:
                self.add_error(name, errors.CoefficientInvalid.default_message)
        if data.get("new_product") and data.get("new_coefficient") is None:
            if "new_coefficient" not in self.errors:
                self.add_error("new_coefficient", _("Type the product's coefficient."))
        if data.get("new_coefficient") is not None and not data.get("new_product"):
            self.add_error("new_product", _("Choose the product of this coefficient."))
        return data

    def changes(self) -> list[dict]:
        """The ``price_coefficient_set`` arguments of the fields whose value changed."""
        found = []
        for name, (target, before) in self.current.items():
            after = self.cleaned_data.get(name)
            if after != before:
                found.append({**target, "coefficient": after})
        if self.cleaned_data.get("new_product"):
            found.append(
                {
                    "product": self.cleaned_data["new_product"],
                    "coefficient": self.cleaned_data["new_coefficient"],
                }
            )
        return found


def chosen_ids(post) -> list[int] | None:
    """The proposals ticked (``proposal``), or all those the page showed (``shown``) when
    "select all" is ticked; None when an id is not a whole number."""
    raw = post.getlist("shown") if post.get("all") else post.getlist("proposal")
    ids = [whole_number(value) for value in raw]
    return None if any(value is None for value in ids) else ids
