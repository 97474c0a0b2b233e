"""What the dashboards show a coordinator on a phone, in French: real dates, labelled empty
filters, counts with grouped thousands, a flat trend without a sign."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from cabas.insights.selectors import Share
from cabas.orders.tests.factories import open_shop

NBSP = "\u00a0"


@pytest.mark.django_db
def test_the_dashboard_dates_and_filters_read_in_french(client):
    shop = open_shop()  # a sale in the week of 30 November 2026
    coordinator = shop.member(email="coordinator@example.org")
    shop.organisation.memberships.filter(user=coordinator).update(is_coordinator=True)
    client.force_login(coordinator)
    url = reverse("insights:dashboard", kwargs={"slug": shop.organisation.slug})

    page = client.get(url, {"start": "2026-11-01", "end": "2026-12-06"}).content.decode()

    assert '<th scope="row">30 novembre 2026</th>' in page
    assert "nov 2026" not in page  # never the three letters of "j b Y" ("jui": June or July?)
    assert '<option value="" selected>Tous les points de retrait</option>' in page
    assert '<option value="" selected>Tous les producteurs</option>' in page
    assert "---------" not in page
    for label in ("Du", "Au", "Point de retrait", "Producteur"):  # capitalised like other pages
        assert f">{label}{NBSP}:</label>" in page or f">{label} :</label>" in page


def test_counts_group_thousands_and_a_flat_trend_has_no_sign():
    share = Share(key=1, name="Ferme du Ségala", orders=1439, buyers=1021,
                  amount_incl_vat=Decimal("20000"), share=Decimal("100"), weeks=26,
                  trend=Decimal("-0"), sales=12, opened=date(2026, 7, 6))  # fmt: skip
    with translation.override("fr"):
        html = render_to_string(
            "insights/_shares.html",
            {"shares": [share], "title": "Producteurs", "weeks": True, "per_sale": True},
        )
    assert f'<td class="num">1{NBSP}439</td><td class="num">1{NBSP}021</td>' in html
    assert f'<td class="num">0{NBSP}%</td>' in html and "-0" not in html
    assert "<td>6 juillet 2026</td>" in html


def test_the_orders_of_the_period_are_counted_with_grouped_thousands():
    with translation.override("fr"):
        html = render_to_string("insights/_producer_figures.html", {"activity": {"orders": 1439}})
    assert f"1{NBSP}439 commandes" in html


@pytest.mark.django_db
def test_a_report_s_sheet_is_named_in_french_and_its_weeks_are_dates(client):
    import io

    from openpyxl import load_workbook

    shop = open_shop()
    coordinator = shop.member(email="coordinator@example.org")
    shop.organisation.memberships.filter(user=coordinator).update(is_coordinator=True)
    client.force_login(coordinator)
    url = reverse("insights:dashboard", kwargs={"slug": shop.organisation.slug})

    response = client.get(url, {"start": "2026-11-01", "end": "2026-12-06", "report": "weekly",
                                "format": "xlsx"}, headers={"accept-language": "fr"})  # fmt: skip

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Commandes par semaine"
    days = [row[0] for row in sheet.iter_rows(min_row=2, max_col=1) if row[0].value]
    assert days and all(cell.is_date and cell.number_format == "dd/mm/yyyy" for cell in days)
