"""The money reports and receipts (see views_reports)."""

from django.urls import path

from . import views_reports

_MONEY = "o/<slug:slug>/money/"

urlpatterns = [
    path(f"{_MONEY}pickups/<id:pickup_id>/cash/", views_reports.cash_report, name="cash_report"),
    path(f"{_MONEY}sales/<id:sale_id>/", views_reports.sale_money, name="sale_money"),
    path(
        f"{_MONEY}sales/<id:sale_id>/accounting.<str:file_format>",
        views_reports.sale_accounting,
        name="sale_accounting",
    ),
    path(
        f"{_MONEY}sales/<id:sale_id>/payouts.<str:file_format>",
        views_reports.sale_payouts,
        name="sale_payouts",
    ),
    path(f"{_MONEY}balances/", views_reports.balances, name="balances"),
    path(f"{_MONEY}purchases/", views_reports.purchases, name="purchases"),
    path(
        f"{_MONEY}purchases.<str:file_format>",
        views_reports.purchase_journal,
        name="purchase_journal",
    ),
    path(f"{_MONEY}receipt/", views_reports.period_receipt, name="period_receipt"),
    path(f"{_MONEY}receipt.pdf", views_reports.period_receipt_pdf, name="period_receipt_pdf"),
    path(
        "o/<slug:slug>/orders/<uuid:code>/receipt/",
        views_reports.order_receipt,
        name="order_receipt",
    ),
    path(
        "o/<slug:slug>/orders/<uuid:code>/receipt.pdf",
        views_reports.order_receipt_pdf,
        name="order_receipt_pdf",
    ),
]
