"""The purchases journal: the validated receptions (``supply.purchases``) as accounting
entries, apart from the sales. For each reception, per VAT rate, the purchase excl. VAT is
debited to the purchases account and the deductible VAT to its own account (never the
collected VAT of the sales), and the total incl. VAT credited to the supplier's account.
Account numbers are the French chart's (plan comptable général)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.core import tables
from cabas.core.money import format_percent
from cabas.supply import purchases as supply_purchases
from cabas.supply.purchases import Purchase, RateTotal

PURCHASES_ACCOUNT = "607"  # achats de marchandises
DEDUCTIBLE_VAT_ACCOUNT = "44566"  # TVA déductible sur autres biens et services
SUPPLIERS_ACCOUNT = "401"  # fournisseurs
SALES_VAT_ACCOUNT = "44571"  # TVA collectée: the sales' VAT, never a purchase's


@dataclass
class PurchaseJournal:
    start: date
    end: date
    purchases: list[Purchase]
    totals: list[RateTotal]  # per VAT rate

    @property
    def amount_excl_vat(self):
        return sum((total.amount_excl_vat for total in self.totals), supply_purchases.ZERO)

    @property
    def vat(self):
        return sum((total.vat for total in self.totals), supply_purchases.ZERO)

    @property
    def amount_incl_vat(self):
        return self.amount_excl_vat + self.vat


def purchase_journal(*, organisation, start: date, end: date) -> PurchaseJournal:
    """The receptions validated in the period and their totals per VAT rate; one query."""
    purchases = supply_purchases.purchases_in_period(
        organisation=organisation, start=start, end=end
    )
    return PurchaseJournal(start, end, purchases, supply_purchases.totals_per_rate(purchases))


def piece_of(purchase: Purchase) -> str:
    """The reference the accountant files it under: the delivery note's number, else the
    purchase order's, else the reception's own."""
    reception = purchase.reception
    if reception.delivery_note:
        return reception.delivery_note
    if reception.purchase_order_id:
        return reception.purchase_order.reference
    return f"R-{reception.pk}"


def purchase_journal_table(journal: PurchaseJournal) -> tuple[list[str], list[list]]:
    """One entry per reception: a debit line per VAT rate to purchases and to deductible
    VAT, a credit line to the supplier (the entry balances to the cent)."""
    header = [_("Date"), _("Piece"), _("Supplier"), _("Account"), _("Label")]
    header += [_("Debit"), _("Credit")]
    money = tables.Amount
    rows = []
    for purchase in journal.purchases:
        day = timezone.localdate(purchase.validated_at)
        start = [day, piece_of(purchase), purchase.reception.supplier.name]
        for rate in purchase.rates.values():
            percent = format_percent(rate.vat_rate)
            rows.append(
                [*start, PURCHASES_ACCOUNT, _("Purchases at %(rate)s VAT") % {"rate": percent}]
                + [money(rate.amount_excl_vat), None]
            )
            rows.append(
                [*start, DEDUCTIBLE_VAT_ACCOUNT, _("Deductible VAT %(rate)s") % {"rate": percent}]
                + [money(rate.vat), None]
            )
        rows.append([*start, SUPPLIERS_ACCOUNT, purchase.reception.supplier.name])
        rows[-1] += [None, money(purchase.amount_incl_vat)]
    return header, rows
