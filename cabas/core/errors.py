"""Domain errors: what a person can cause, with a stable code and a readable message.

Each app defines its own subclasses in ``errors.py``; views and the API turn them into a
message for the user (web) or ``{"code": ..., "detail": ...}`` (API).
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code: str = "error"
    default_message = _("This action is not possible.")

    def __init__(self, message=None, *, field: str | None = None, **params):
        self.message = message or self.default_message
        self.field = field
        self.params = params
        super().__init__(str(self.message))

    def __str__(self) -> str:
        text = str(self.message)
        if not self.params:
            return text
        # Numbers read as people write them in the active language: amounts keep their cents
        # (12,50), quantities lose their trailing zeros (9.500 → 9,5); the params themselves
        # stay plain values (the API returns them as they are).
        from decimal import Decimal

        from django.utils.formats import localize

        from .money import format_quantity

        def shown(value):
            if not isinstance(value, Decimal) or not value.is_finite():
                return value
            return localize(value) if value.as_tuple().exponent == -2 else format_quantity(value)

        return text % {key: shown(value) for key, value in self.params.items()}
