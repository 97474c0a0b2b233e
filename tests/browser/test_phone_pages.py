"""The main pages of each role on a phone (390×844, French): nothing wider than the screen
(a wide table scrolls inside its own frame), no serious accessibility violation (axe), primary
actions big enough to tap (44×44 px), a title of its own, and no Content-Security-Policy
violation (htmx's inline indicator style is switched off)."""

import json

import pytest

from cabas.site.tests.main_pages import main_pages
from tests.browser.conftest import log_in

from .test_accessibility import _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
TAP = 44

# Submit buttons and links styled as buttons, shown on the page (a button styled as a link in a
# sentence is not a primary action).
_SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    'main button[type=submit]:not(.link), main input[type=submit], main a.button, .menu-toggle'))
  .filter(el => el.offsetParent !== null)
  .map(el => [el.textContent.trim() || el.value, el.getBoundingClientRect()])
  .filter(([, box]) => box.width < 44 || box.height < 44)
  .map(([name, box]) => `${name} ${Math.round(box.width)}×${Math.round(box.height)}`)"""

_WIDE = """() => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(el => !(el.parentElement && el.parentElement.closest('.table-wrap')))
  .slice(0, 3).map(el => el.tagName + '.' + el.className)"""


def _log_in(page, email):
    """``log_in`` as another person: the last one's session dropped first."""
    page.context.clear_cookies()
    log_in(page, email)


def test_the_main_pages_of_each_role_fit_a_phone(page, world):
    pages = main_pages(world)
    csp = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp.append(m.text))
    found = {}
    for role, urls in pages.items():
        _log_in(page, world.users[role].email)
        titles = set()
        for url in urls:
            page.goto(url)
            problems = {}
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE_WIDTH:
                problems["width"] = [width, page.evaluate(_WIDE)]
            if small := page.evaluate(_SMALL_TARGETS):
                problems["small targets"] = small
            if violations := _violations(page):
                problems["axe"] = violations
            title = page.title()
            if not title.strip() or title in titles:
                problems["title"] = title
            titles.add(title)
            if problems:
                found[f"{role} {url}"] = problems
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
    assert csp == []


def test_the_menu_folds_behind_a_button_on_a_phone_and_opens_with_the_keyboard(page, world):
    _log_in(page, world.users["coordinator"].email)
    page.goto(f"/o/{world.org_a.slug}/home/")
    toggle = page.locator(".menu-toggle")
    members = page.get_by_role("link", name="Membres", exact=True)
    assert members.is_hidden()
    assert toggle.get_attribute("aria-expanded") == "false"

    toggle.focus()
    page.keyboard.press("Enter")

    assert toggle.get_attribute("aria-expanded") == "true"
    assert members.is_visible()
    page.keyboard.press("Escape")
    assert members.is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('menu-toggle')")
    toggle.click()
    members.click()
    page.wait_for_url(f"**/o/{world.org_a.slug}/money/members/")


def test_without_script_the_menu_is_simply_shown(browser, live_server, world):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    _log_in(page, world.users["coordinator"].email)
    page.goto(f"/o/{world.org_a.slug}/home/")

    assert page.locator(".menu-toggle").is_hidden()
    assert page.get_by_role("link", name="Membres", exact=True).is_visible()
    context.close()


# The amounts' cells a page shows, each wholly inside the 390 px screen (no sideways scroll of
# their frame needed either), their text inside the cell (not spilling into the next one).
_AMOUNTS_OUTSIDE = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(el => el.offsetParent !== null)
  .map(el => [el.textContent.trim(), el.getBoundingClientRect(), el])
  .filter(([, box, el]) => box.left < 0 || box.right > 390 || el.scrollWidth > el.clientWidth + 1)
  .map(([text, box]) => `${text} ${Math.round(box.left)}–${Math.round(box.right)}`)"""


def _long_lines_order(world):
    """The member's order on the phone walk's lines: long names, a pack, a variable-weight
    piece not weighed yet, a weight product; the member with a phone number."""
    from decimal import Decimal

    from cabas.catalog.models import Product
    from cabas.orders import services as order_services
    from cabas.orders.tests.factories import open_shop

    shop = open_shop(organisation=world.org_a)
    Product.objects.filter(pk=shop.products["chicken"].pk).update(name="Côte de bœuf maturée")
    Product.objects.filter(pk=shop.products["bread"].pk).update(name="Pain au levain, farine T80")
    # A pack: its quantity reads long (« 1 lot de 4 × 125 g »).
    Product.objects.filter(pk=shop.products["cheese"].pk).update(
        name="Yaourt au lait de chèvre", content_quantity=Decimal("125"), content_unit="g",
        content_count=4,
    )  # fmt: skip
    member = world.users["member"]
    member.first_name, member.last_name = "Jules", "Martin-Delacroix"
    member.phone = "06 12 34 56 78"
    member.save()
    lines = [(shop.products[key].pk, Decimal(n)) for key, n in
             (("bread", 2), ("cheese", 1), ("tomatoes", "1.5"), ("chicken", 1))]  # fmt: skip
    order = order_services.order_place(
        user=member, sale=shop.sale, pickup_id=shop.pickup.pk, slot_id=shop.slots[0].pk,
        lines=lines,
    )  # fmt: skip
    return shop, order


def test_the_amounts_of_orders_summaries_and_sheets_show_on_a_phone(page, world):
    shop, order = _long_lines_order(world)
    slug = world.org_a.slug
    pages = {
        "member": {
            f"/o/{slug}/orders/{order.code}/": ".lines-table .amount",
        },
        "coordinator": {
            f"/o/{slug}/sales/{shop.sale.pk}/summary/": ".summary-table .num:not(.secondary)",
            f"/o/{slug}/pickups/{shop.pickup.pk}/attendance/": ".attendance-table .amount",
            f"/o/{slug}/checkin/pickups/{shop.pickup.pk}/": "main",
            f"/o/{slug}/checkin/orders/{order.code}/": "main",
        },
    }
    found = {}
    for role, amounts in pages.items():
        _log_in(page, world.users[role].email)
        for url, selector in amounts.items():
            page.goto(url)
            problems = {}
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE_WIDTH:
                problems["width"] = [width, page.evaluate(_WIDE)]
            if outside := page.evaluate(_AMOUNTS_OUTSIDE, selector):
                problems["amounts outside"] = outside
            if found_none := not page.locator(selector).first.is_visible():
                problems["no amount shown"] = found_none
            if problems:
                found[url] = problems
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
