"""The forms of the supplier pages: they read what was typed; the services check the rules
(names taken, shop-stock products, the main supplier) and save."""

from decimal import Decimal

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from cabas.catalog.models import Producer, Product
from cabas.core import forms as core_forms

from . import errors
from .models import ISO_WEEKDAYS, Supplier, SupplierItem

# Django's own weekday names (translated by Django: "lundi"…), Monday = 1 as stored.
WEEKDAY_CHOICES = [(day, WEEKDAYS[day - 1]) for day in ISO_WEEKDAYS]

CHECKBOX_TEMPLATE = "supply/_checkbox_field.html"

SUPPLIER_FORM_FIELDS = [
    "name",
    "contact_name",
    "order_email",
    "phone",
    "address",
    "delivery_days",
    "minimum_order_amount",
    "franco_amount",
    "lead_time_days",
    "notes",
]


def shop_products(organisation):
    """The organisation's products sold from the shop stock (what suppliers sell)."""
    return Product.objects.filter(
        organisation=organisation, stock_mode=Product.StockMode.SHOP
    ).order_by("name")


def weekday_names(days) -> str:
    """ "lundi, jeudi" for the stored ISO weekdays [1, 4]."""
    names = dict(WEEKDAY_CHOICES)
    return ", ".join(str(names[day]) for day in days or [] if day in names)


class SupplierForm(forms.ModelForm):
    """A supplier's details (the service checks and saves them)."""

    delivery_days = forms.TypedMultipleChoiceField(
        label=_("Delivery days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Supplier
        fields = [*SUPPLIER_FORM_FIELDS, "is_active"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
        }
        formfield_callback = core_forms.formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "is_active" in self.fields:
            self.fields["is_active"].template_name = CHECKBOX_TEMPLATE

    def _post_clean(self):
        # The service validates and saves; the supplier on the page stays as it was until then.
        pass


class SupplierNewForm(SupplierForm):
    """A new supplier: one of the organisation's producers, or a wholesaler by name."""

    producer = forms.ModelChoiceField(
        label=_("One of our producers"),
        queryset=Producer.objects.none(),
        required=False,
        empty_label=_("— none: a wholesaler —"),
        help_text=_("Its contact details fill the fields left empty."),
    )

    class Meta(SupplierForm.Meta):
        fields = SUPPLIER_FORM_FIELDS

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = (
            Producer.objects.filter(links__organisation=organisation)
            .exclude(supplier_records__organisation=organisation)
            .order_by("name")
        )
        self.fields["name"].required = False
        self.fields["name"].help_text = _("A wholesaler's name; empty: the producer's name.")
        self.order_fields(["producer"])

    def clean(self):
        data = super().clean()
        if not data.get("producer") and not (data.get("name") or "").strip():
            self.add_error("name", _("Choose one of our producers or type a wholesaler's name."))
        return data


class SupplierItemForm(forms.Form):
    """What a supplier sells one shop-stock product at."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    reference = forms.CharField(label=_("Supplier's reference"), max_length=64, required=False)
    purchase_price = core_forms.DecimalField(
        label=_("Purchase price excl. VAT"),
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=4,
        help_text=_("Per unit the product is sold in (a piece, a kg), e.g. 0.6958."),
        error_messages={"min_value": errors.PriceNegative.default_message},
    )
    package_size = core_forms.DecimalField(
        label=_("Package size"),
        initial=Decimal("1"),
        min_value=Decimal("0.001"),
        max_digits=10,
        decimal_places=3,
        help_text=SupplierItem._meta.get_field("package_size").help_text,
        error_messages={"min_value": _("The package size is above 0, e.g. 6 for a carton of 6.")},
    )
    minimum_quantity = core_forms.DecimalField(
        label=_("Minimum quantity"),
        initial=Decimal("0"),
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=3,
        required=False,
        error_messages={"min_value": errors.QuantityNegative.default_message},
    )
    is_main = forms.BooleanField(
        label=_("Main supplier of this product"),
        required=False,
        template_name=CHECKBOX_TEMPLATE,
        help_text=_(
            "Its price is the product's cost and proposes its selling price. The first "
            "supplier of a product is its main one."
        ),
    )

    def __init__(
        self, *args, organisation, supplier=None, item: SupplierItem | None = None, **kwargs
    ):
        self.supplier = supplier  # a new item of this supplier (None: ``item`` is edited)
        if item is not None:
            kwargs.setdefault(
                "initial",
                {
                    "product": item.product_id,
                    "reference": item.reference,
                    "purchase_price": item.purchase_price,
                    "package_size": item.package_size,
                    "minimum_quantity": item.minimum_quantity,
                    "is_main": item.is_main,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = shop_products(organisation)
        if item is not None:
            # The product of an item stays; another product is another item.
            self.fields["product"].disabled = True
            if item.is_main:
                self.fields["is_main"].disabled = True
                self.fields["is_main"].help_text = _(
                    "To change it, make another supplier of this product its main one."
                )

    def clean_product(self):
        product = self.cleaned_data["product"]
        # The add form does not change an item the supplier already has: its own page does.
        if self.supplier is not None and self.supplier.items.filter(product=product).exists():
            raise forms.ValidationError(errors.SupplierItemExists.default_message)
        return product

    def service_arguments(self) -> dict:
        """The ``supplier_item_save`` arguments: an unticked box keeps the main supplier as
        it is (a new item is main when the product has none)."""
        data = self.cleaned_data
        return {
            "product": data["product"],
            "reference": data["reference"],
            "purchase_price": data["purchase_price"],
            "package_size": data["package_size"],
            "minimum_quantity": data["minimum_quantity"] or Decimal("0"),
            "is_main": True if data["is_main"] and not self.fields["is_main"].disabled else None,
        }
