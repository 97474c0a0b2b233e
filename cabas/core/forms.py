"""Form helpers shared by every app's views."""

from django import forms

from .errors import DomainError


def add_domain_error(
    form: forms.BaseForm, error: DomainError, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's refusal on the field it concerns (or on top of the form); ``aliases``
    maps a service argument to the form field it comes from."""
    field = (aliases or {}).get(error.field, error.field)
    field = field if field in form.fields else None
    form.add_error(field, str(error))
