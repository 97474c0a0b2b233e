"""What the money reports share: a database sum in money, a sum of amounts."""

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
