"""On a phone (390 px), what a volunteer or a coordinator taps is at least 44 px tall: the
header's "Mon profil", "Se déconnecter" and language button, and the text and number fields of
the work pages (they were 24 px and 42 px)."""

import pytest

from tests.browser.test_phone_pages import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_SHORT = """() => Array.from(document.querySelectorAll(
    '.header-tools a, .header-tools button, .brand-link, ' +
    'main input:not([type=hidden]):not([type=checkbox]):not([type=radio])'))
  .filter(el => el.offsetParent !== null)
  .map(el => [el.textContent.trim() || el.name, el.getBoundingClientRect().height])
  .filter(([, height]) => height < 44)
  .map(([name, height]) => `${name} ${Math.round(height)}`)"""


def test_header_tools_and_fields_are_big_enough_to_tap(page, world):
    _log_in(page, world.users["coordinator"].email)
    for path in ("home/", "work/settings/", "work/tasks/new/", "calendar/"):
        page.goto(f"/o/{world.org_a.slug}/{path}")
        assert page.evaluate(_SHORT) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


_SHORT_LINKS = """() => Array.from(document.querySelectorAll(
    '.row-link, .back a, .sheet-tools a, .attendance-table .phone a'))
  .filter(el => el.offsetParent !== null)
  .map(el => [el.textContent.trim(), el.getBoundingClientRect().height])
  .filter(([, height]) => height < 44)
  .map(([name, height]) => `${name} ${Math.round(height)}`)"""


def test_order_rows_back_links_and_sheet_links_are_big_enough_to_tap(page, world):
    from tests.browser.test_phone_pages import _long_lines_order

    shop, order = _long_lines_order(world)
    slug = world.org_a.slug
    pages = {
        "member": [f"/o/{slug}/orders/"],
        "coordinator": [
            f"/o/{slug}/checkin/pickups/{shop.pickup.pk}/",
            f"/o/{slug}/checkin/orders/{order.code}/",
            f"/o/{slug}/pickups/{shop.pickup.pk}/attendance/",
            f"/o/{slug}/pickups/{shop.pickup.pk}/preparation/",
        ],
    }
    for role, paths in pages.items():
        _log_in(page, world.users[role].email)
        for path in paths:
            page.goto(path)
            assert page.locator(".row-link, .back a, .sheet-tools a").count() > 0, path
            assert page.evaluate(_SHORT_LINKS) == [], path
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
            # Lists read as rows: no bullet.
            bullets = page.evaluate(
                "() => Array.from(document.querySelectorAll('.checkin-orders li, .order-lines li,"
                " .order-list li')).filter(li => getComputedStyle(li).listStyleType !== 'none')"
                ".length"
            )
            assert bullets == 0, path
