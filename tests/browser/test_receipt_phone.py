"""A member's receipt on a phone (390 px, French): every amount shows whole, inside the
screen, even beside a long sale title, pickup and date (the orders' table pushed its amounts'
column out of view); printed, the receipt stays the A4 table."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from cabas.money.tests.test_reports import day  # noqa: F401 (the fixture)
from cabas.sales.models import PickupPoint, Sale
from tests.browser.conftest import log_in
from tests.browser.test_phone_pages import _AMOUNTS_OUTSIDE, PHONE_WIDTH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_receipts_amounts_show_whole_on_a_phone(page, day):  # noqa: F811
    order = day.orders["b"]
    Sale.objects.filter(pk=order.sale_id).update(title="Vente du vendredi · 04/04/2025 (spéciale)")
    PickupPoint.objects.filter(pk=order.pickup.pickup_point_id).update(
        name="Castelnau-de-Montmiral — Place des Arcades"
    )
    today = timezone.localdate()
    period = f"?from={today.isoformat()}&to={(today + timedelta(days=7)).isoformat()}"
    log_in(page, order.user.email)

    page.goto(f"/o/{day.organisation.slug}/money/receipt/{period}")

    assert "Vente du vendredi · 04/04/2025 (spéciale)" in page.locator("main").inner_text()
    assert page.locator(".receipt-table td.num").count() >= 6
    outside = page.evaluate(_AMOUNTS_OUTSIDE, ".receipt-table .num")
    assert outside == [], json.dumps(outside, ensure_ascii=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_the_accounts_amounts_end_on_the_right_under_their_heading(page, day):  # noqa: F811
    order = day.orders["b"]
    log_in(page, order.user.email)

    page.goto(f"/o/{day.organisation.slug}/money/account/")

    aligns = page.eval_on_selector_all(
        "main td.num, main th.num", "cells => cells.map(c => getComputedStyle(c).textAlign)"
    )
    assert len(aligns) >= 3 and set(aligns) == {"right"}, aligns
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
