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
        return text % self.params if self.params else text
