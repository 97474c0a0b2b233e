"""The money reports, by concept: a pickup's cash report (``cash``), a sale's accounting and
what the organisation owes each producer (``accounting``), the members' balances
(``balances``), and receipts, of one order or a member's period (``receipts``).

Every figure is a database aggregate, or a sum of the database's exact decimal sums; each
selector runs a fixed number of queries, whatever the number of orders, lines and members.
Amounts excluding VAT are computed once per VAT rate total (HT = TTC / (1 + rate), rounded
half up), never line by line, as in ``cabas.orders.summaries`` whose functions are reused here.
"""

from .accounting import (
    AccountingRow,
    ProducerPayout,
    ProducerPayouts,
    SaleAccounting,
    producer_payouts,
    producer_payouts_table,
    sale_accounting,
    sale_accounting_table,
)
from .balances import member_balance_totals, member_balances
from .cash import CashReport, MethodTotal, UnpaidOrder, cash_report
from .receipts import (
    Receipt,
    ReceiptLine,
    ReceiptOrder,
    ReceiptPayment,
    ReceiptProducer,
    order_for_receipt,
    order_receipt,
    period_receipt,
)

__all__ = [
    "AccountingRow",
    "CashReport",
    "MethodTotal",
    "ProducerPayout",
    "ProducerPayouts",
    "Receipt",
    "ReceiptLine",
    "ReceiptOrder",
    "ReceiptPayment",
    "ReceiptProducer",
    "SaleAccounting",
    "UnpaidOrder",
    "cash_report",
    "member_balance_totals",
    "member_balances",
    "order_for_receipt",
    "order_receipt",
    "period_receipt",
    "producer_payouts",
    "producer_payouts_table",
    "sale_accounting",
    "sale_accounting_table",
]
