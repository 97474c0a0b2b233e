"""The dashboards on the demo, as the collective's coordinator and a producer open them on a
phone (390 px) and on a computer (1280 px), in French: every chart is drawn from the page's
data and its table holds the same numbers.

With CABAS_SCREENSHOTS=<folder> (``make screenshots``), the pages are also saved there as the
pictures of the coordinator guide (docs/img/)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from cabas.demo import data
from cabas.demo.people import COLLECTIVE_DOMAIN, COOP_DOMAIN
from cabas.demo.seed import demo_seed
from tests.browser.conftest import log_in

from .test_inventory import _check_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# Two years of the demo's history, to its last sale.
PERIOD = "start=2024-12-01&end=2026-12-06"
# The cooperative's last eight weeks of drive days.
COOP_PERIOD = "start=2026-10-12&end=2026-12-06"


def _log_in(page, email: str) -> None:
    """``log_in`` as another person of the demo: the last one's session dropped first."""
    page.context.clear_cookies()
    log_in(page, email, password=data.DEMO_PASSWORD)


def _screenshot(page, name: str, heading: str) -> None:
    """The card under ``heading``, as a picture for the guide."""
    folder = os.environ.get("CABAS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        card = (
            page.locator("section.card")
            .filter(has=page.get_by_role("heading", name=heading, exact=True))
            .first
        )
        card.screenshot(path=str(Path(folder) / f"{name}.png"))


def _drawn(page, chart: str) -> float:
    page.wait_for_function(f"window.Chart && Chart.getChart('{chart}')")
    return page.evaluate(
        f"Chart.getChart('{chart}').data.datasets[0].data.reduce((a, b) => a + (Number(b) || 0), 0)"
    )


def _table_sum(page, selector: str, column: int) -> int:
    table = page.locator(selector).first
    cells = table.locator(f"tbody tr td:nth-of-type({column})").all_inner_texts()
    return sum(int(text.replace("\u202f", "").replace("\u00a0", "")) for text in cells if text)


def _fits(page, size: str) -> None:
    """Nothing wider than the screen; on a phone, tap targets and axe too."""
    if size == "phone":
        found: dict = {}
        _check_phone(page, found)
        assert found == {}
    else:
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


@pytest.mark.parametrize("size", list(SIZES))
def test_the_dashboards_draw_their_charts_with_their_tables(browser, live_server, size):
    demo_seed(now=NOW)
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=SIZES[size])
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        _log_in(page, f"coordination@{COLLECTIVE_DOMAIN}")
        page.goto(f"/o/paniers-du-segala/dashboard/?{PERIOD}")
        page.get_by_role("heading", name="Commandes et chiffre d’affaires par semaine").wait_for()
        orders = _drawn(page, "weekly-chart")
        assert orders > 0
        # The chart's orders are the table's, week by week.
        assert orders == _table_sum(page, "table.weekly", 1)
        for heading in ("Points de retrait", "Producteurs", "Les membres qui commandent"):
            page.get_by_role("heading", name=heading, exact=True).wait_for()
        assert _drawn(page, "members-chart") == _table_sum(page, "table.weekly >> nth=1", 3)
        assert page.locator("table").count() >= 5
        _fits(page, size)
        if size == "desktop":
            _screenshot(page, "dashboard-weekly", "Commandes et chiffre d’affaires par semaine")
            _screenshot(page, "dashboard-points", "Points de retrait")
            _screenshot(page, "dashboard-members", "Les membres qui commandent")
            _screenshot(page, "dashboard-slots", "Les créneaux : leur remplissage")

        # The cooperative's drive: its opening days drawn, as many orders as its table.
        _log_in(page, f"coordination@{COOP_DOMAIN}")
        page.goto(f"/o/epicerie-du-panier/dashboard/?{COOP_PERIOD}")
        page.get_by_role("heading", name="Commandes par jour d’ouverture").wait_for()
        days = _drawn(page, "drive-days-chart")
        assert days > 0
        assert days == _table_sum(page, "#drive ~ section.card table", 1)
        _fits(page, size)
        if size == "desktop":
            _screenshot(page, "dashboard-drive", "Commandes par jour d’ouverture")
            _screenshot(page, "dashboard-stock-outs", "Ruptures de stock")

        _log_in(page, f"producteur@{COLLECTIVE_DOMAIN}")
        page.goto(f"/o/paniers-du-segala/producer/figures/?{PERIOD}")
        page.get_by_role("heading", name="Vos ventes par semaine").wait_for()
        assert page.locator("table").count() >= 3
        _fits(page, size)
        if size == "phone":
            _screenshot(page, "producer-figures-phone", "Vos ventes par semaine")
    finally:
        context.close()
