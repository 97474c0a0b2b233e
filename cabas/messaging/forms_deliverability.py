from django import forms
from django.utils.translation import gettext_lazy as _


class EmailPreferencesForm(forms.Form):
    """A member's choices of the e-mails they may turn off (orders' e-mails always go)."""

    announcements = forms.BooleanField(
        label=_("Messages from the coordinators"),
        required=False,
        help_text=_("News, calls for volunteers, changes of a pickup point..."),
    )
    reminders = forms.BooleanField(
        label=_("Reminders"),
        required=False,
        help_text=_("A sale is open, the last call before the cutoff, your pickup tomorrow."),
    )


class RetryAddressForm(forms.Form):
    membership = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
