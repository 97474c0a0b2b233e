"""A volunteer opens each printable sheet of a pickup and prints it to PDF (A4) with headless
chromium: every page loads without a console error or a failed request."""

import re
from decimal import Decimal

import pytest

from cabas.orders import services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_printable_sheets_print_to_pdf(page, live_server):
    shop = open_shop()
    for n, slot in enumerate(shop.slots[:3]):
        member = shop.member(last_name=f"Membre {n}", phone=f"06 00 00 00 0{n}")
        services.order_place(
            user=member, sale=shop.sale, pickup_id=shop.pickup.pk, slot_id=slot.pk,
            lines=[(shop.products["bread"].pk, Decimal(1)),
                   (shop.products["tomatoes"].pk, Decimal("1.5"))],
            notify=False,
        )  # fmt: skip
    volunteer = shop.member(email="benevole@example.org")
    Membership.objects.filter(user=volunteer).update(is_volunteer=True)
    base = f"/o/{shop.organisation.slug}/pickups/{shop.pickup.pk}"

    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    # A request the next navigation cancels (net::ERR_ABORTED, e.g. the favicon of a page left
    # at once) did not fail; a refused or broken one (CSP, 404, reset) still counts.
    page.on(
        "requestfailed",
        lambda request: (
            request.failure == "net::ERR_ABORTED"
            or errors.append(f"{request.url} {request.failure}")
        ),
    )

    log_in(page, volunteer.email, f"{base}/preparation/")

    pages = {}
    for path in (
        "/preparation/",
        "/preparation/?per_page=1",
        "/labels/",
        "/attendance/",
        "/attendance/?size=x-large",
    ):
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        pdf = page.pdf(format="A4", print_background=True)
        assert pdf.startswith(b"%PDF"), path
        pages[path] = len(re.findall(rb"/Type\s*/Page\b", pdf))

    # Three small orders fit on one A4 page, or take one page each when asked.
    assert pages == {
        "/preparation/": 1,
        "/preparation/?per_page=1": 3,
        "/labels/": 1,
        "/attendance/": 1,
        "/attendance/?size=x-large": 1,
    }
    assert page.locator(".attendance.size-x-large").count() == 1
    assert errors == []
