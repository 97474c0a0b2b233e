"""Browser tests: Playwright (Python) driving Debian's chromium against pytest-django's live
server. A screenshot of the page is saved in test-artifacts/ when a test fails.

Without /usr/bin/chromium these tests are skipped with the reason, unless
CABAS_REQUIRE_BROWSER=1 (set by .ci/run), where a missing browser is a failure.
"""

import contextlib
import os
import re
from pathlib import Path

import pytest

from cabas.accounts.tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the Django ORM calls that the tests
# make around it (factories, reading rows) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CABAS_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " and CABAS_REQUIRE_BROWSER=1")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request, settings):
    # E-mail links are built on SITE_URL: here the site is the live server.
    settings.SITE_URL = live_server.url
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(page.content())
    # Let the page's last requests (htmx loads, polling) finish before the database is
    # emptied for the next test: a request still writing then breaks the flush.
    from playwright.sync_api import Error as PlaywrightError

    with contextlib.suppress(PlaywrightError):
        page.wait_for_load_state("networkidle", timeout=5_000)
    context.close()


def log_in(page, email: str, next_url: str = "", *, password: str = PASSWORD) -> None:
    """Logs a person in through the login page (their e-mail, the factories' password unless
    ``password``), then waits until the page they land on (``next_url`` when given) has loaded,
    its scripts run and htmx bound: a person taps once the page shows, and a tap before htmx
    is bound sends a plain request instead (a flake of the checkout's test)."""
    page.goto(f"/accounts/login/?next={next_url}" if next_url else "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form [type=submit]").first.click()
    if next_url:
        page.wait_for_url(re.compile(re.escape(next_url) + "$"), wait_until="load")
    else:
        page.wait_for_url(lambda url: not url.endswith("/accounts/login/"), wait_until="load")
