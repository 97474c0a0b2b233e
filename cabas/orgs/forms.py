from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from cabas.accounts.models import User
from cabas.core import forms as core_forms

from .models import Organisation


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the coordinators (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OrganisationForm(forms.ModelForm):
    """Parses an organisation's settings; organisation_create/update do the writing."""

    class Meta:
        model = Organisation
        fields = [
            "name",
            "slug",
            "kind",
            "timezone",
            "language",
            "description",
            "contact_email",
            "contact_phone",
            "address",
            "logo",
            "join_policy",
            "members_only",
            "public_prices",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        formfield_callback = core_forms.formfield

    def validate_unique(self):
        # Slug collisions are the service's rule (organisation_create/update → SlugTaken).
        pass


class MembershipRolesForm(forms.Form):
    is_volunteer = forms.BooleanField(label=_("Volunteer"), required=False)
    is_supply = forms.BooleanField(
        label=_("Supply team"),
        required=False,
        help_text=_("Shop stock, its movements and the stock reports."),
    )
    is_coordinator = forms.BooleanField(label=_("Coordinator"), required=False)
    is_producer = forms.BooleanField(label=_("Producer"), required=False)
    producer = forms.ModelChoiceField(
        label=_("For the producer"), queryset=None, required=False, empty_label="—"
    )

    def __init__(self, *args, producers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers

    def clean(self):
        data = super().clean()
        if data.get("is_producer") and not data.get("producer"):
            self.add_error("producer", _("Choose the producer this person works for."))
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    is_volunteer = forms.BooleanField(label=_("Volunteer"), required=False)
    is_supply = forms.BooleanField(label=_("Supply team"), required=False)
    is_coordinator = forms.BooleanField(label=_("Coordinator"), required=False)


class InvitationSignupForm(forms.Form):
    """An invited person creates an account from the invitation link."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        password = data.get("password1")
        if password and password != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif password:
            candidate = User(
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
