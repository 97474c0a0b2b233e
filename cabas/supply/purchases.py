"""What the coop bought, for its accounts: the validated receptions' lines as purchases.

A line's purchase is what went into the stock (``received_quantity``; damaged goods are
not paid) × its price excl. VAT on the delivery note, rounded to the cent once per line;
its deductible VAT is computed on that line at its rate and rounded once per line (as an
invoice line). A reception is dated by its validation, in the organisation's days: call
inside ``organisation_context``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from cabas.catalog.stock_reports import day_start
from cabas.core.money import ZERO, round_money

from .models import Reception, ReceptionLine


@dataclass
class RateTotal:
    vat_rate: Decimal
    amount_excl_vat: Decimal = ZERO
    vat: Decimal = ZERO

    @property
    def amount_incl_vat(self) -> Decimal:
        return self.amount_excl_vat + self.vat


@dataclass
class Purchase:
    """One validated reception: its supplier, date and totals per VAT rate."""

    reception: Reception
    validated_at: datetime
    rates: dict[Decimal, RateTotal] = field(default_factory=dict)

    @property
    def amount_excl_vat(self) -> Decimal:
        return sum((rate.amount_excl_vat for rate in self.rates.values()), ZERO)

    @property
    def vat(self) -> Decimal:
        return sum((rate.vat for rate in self.rates.values()), ZERO)

    @property
    def amount_incl_vat(self) -> Decimal:
        return self.amount_excl_vat + self.vat


def line_amounts(line: ReceptionLine) -> tuple[Decimal, Decimal]:
    """A reception line's purchase excl. VAT and its VAT, each rounded once."""
    amount = round_money((line.received_quantity or ZERO) * line.unit_price)
    return amount, round_money(amount * line.vat_rate / 100)


def purchases_in_period(*, organisation, start: date, end: date) -> list[Purchase]:
    """The receptions validated from ``start`` to ``end`` (both days included), oldest
    first, with their totals per VAT rate; one query whatever the number of lines."""
    lines = (
        ReceptionLine.objects.filter(
            organisation=organisation,
            reception__status=Reception.Status.VALIDATED,
            reception__validated_at__gte=day_start(start),
            reception__validated_at__lt=day_start(end + timedelta(days=1)),
        )
        .select_related("reception__supplier", "reception__purchase_order")
        .order_by("reception__validated_at", "reception_id", "vat_rate", "pk")
    )
    purchases: dict[int, Purchase] = {}
    for line in lines:
        purchase = purchases.setdefault(
            line.reception_id, Purchase(line.reception, line.reception.validated_at)
        )
        rate = purchase.rates.setdefault(line.vat_rate, RateTotal(line.vat_rate))
        amount, vat = line_amounts(line)
        rate.amount_excl_vat += amount
        rate.vat += vat
    return list(purchases.values())


def totals_per_rate(purchases: list[Purchase]) -> list[RateTotal]:
    """The period's purchases and deductible VAT per rate (sums of the lines' amounts)."""
    totals: dict[Decimal, RateTotal] = {}
    for purchase in purchases:
        for rate in purchase.rates.values():
            total = totals.setdefault(rate.vat_rate, RateTotal(rate.vat_rate))
            total.amount_excl_vat += rate.amount_excl_vat
            total.vat += rate.vat
    return [totals[rate] for rate in sorted(totals)]
