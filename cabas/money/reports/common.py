"""What the money reports share: a database sum in money, a sum of amounts, a person's name."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Sum,
)

from cabas.core.money import ZERO, money_sum


def _sum(**kwargs):
    return money_sum(Sum("amount", **kwargs))


def _total(amounts) -> Decimal:
    return sum(amounts, ZERO)


def _person_name(first_name: str, last_name: str, email: str) -> str:
    return f"{first_name} {last_name}".strip() or email
