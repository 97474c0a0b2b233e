from django import forms
from django.utils.translation import gettext_lazy as _


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the coordinators (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
