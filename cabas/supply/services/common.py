"""What the supply services share: model validation as a domain error."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from cabas.core.errors import DomainError


def full_clean(instance, *, exclude=None) -> None:
    """Model validation as a domain error (the first message, on its field); constraints are
    left to the explicit checks and to the database."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from exc
