from django import forms
from django.utils.translation import gettext_lazy as _

from cabas.core import forms as core_forms

from .models import AccountEntry, MoneySettings

METHODS = [
    (AccountEntry.Method.CASH, _("cash")),
    (AccountEntry.Method.CHEQUE, _("cheque")),
    (AccountEntry.Method.CARD, _("card terminal")),
    (AccountEntry.Method.TRANSFER, _("bank transfer")),
    (AccountEntry.Method.UNRESOLVED, _("to be settled (method unknown)")),
]


class PaymentForm(forms.Form):
    method = forms.ChoiceField(label=_("Paid by"), choices=METHODS)
    amount = core_forms.DecimalField(label=_("Amount (€)"), max_digits=10, decimal_places=2)
    received = core_forms.DecimalField(
        label=_("Cash handed over (€)"),
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text=_("For cash: what the member gives; Cabas says how much change to give."),
    )
    reference = forms.CharField(label=_("Reference (cheque, transfer)"), required=False,
                                max_length=80)  # fmt: skip

    def clean(self):
        data = super().clean()
        received, amount = data.get("received"), data.get("amount")
        if data.get("method") == AccountEntry.Method.CASH and received is not None and amount:
            if received < amount:
                self.add_error("received", _("Less cash than the amount paid."))
        return data


class RefundForm(forms.Form):
    amount = core_forms.DecimalField(label=_("Amount (€)"), max_digits=10, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class SharesForm(forms.Form):
    quantity = forms.IntegerField(label=_("Shares"), min_value=1, max_value=100_000)


class MoneySettingsForm(forms.ModelForm):
    class Meta:
        model = MoneySettings
        fields = [
            "membership_fee",
            "renewal",
            "renewal_month",
            "renewal_day",
            "share_price",
            "shares_minimum",
            "commission_percent",
            "cash_float",
        ]
        formfield_callback = core_forms.formfield
