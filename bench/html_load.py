"""The HTML rush's load generator: virtual shoppers do what a member's browser does.

Runs in its own process (``python -m bench.html_load --input in.json --output out.json``),
with asyncio and aiohttp only (no Django), like bench/load.py. Each shopper, again and again
with a new logged-in member (one active order per member and sale):

1. ``shop``: opens the shop page of the sale;
2. ``basket_add``: adds 1–3 products with the page's own basket forms (the POST each form
   sends, with its CSRF token, the session and CSRF cookies, and the ``HX-Request`` header
   when the form is an htmx one — as the browser sends it with the page's script);
3. ``checkout``: opens the checkout; when it shows no slot yet (no usual point), chooses a
   pickup point with the page's GET form (``checkout_point``);
4. ``confirm``: posts the checkout form with a bookable slot of the page; on a refusal (the
   slot filled up meanwhile) picks another slot of the re-rendered page, up to 3 times;
5. ``order_page``: follows the confirmation's redirect to the order page, as a browser does.

Mode ``logins`` times real logins through the login form instead (``login_page``, ``login``).

The HTML is read with a few regular expressions on what the forms send — field names,
``action`` and ``href`` URLs — not on CSS classes or layout, and not with a DOM parser: the
generator shares the cores it measures. Every request is recorded (step, status, latency).
"""

from __future__ import annotations

import asyncio
import html
import random
import re
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import aiohttp

from .load import MemberTaker, generator_main

TIMEOUT = 120.0
MAX_CONFIRMS = 3
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
INPUT = re.compile(r"<input\b([^>]*)>", re.I)
ATTRIBUTE = re.compile(r'([a-zA-Z_:][-\w:.]*)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>]+)))?')
ORDER_URL = re.compile(r"/orders/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/")
CHECKOUT_HREF = re.compile(r'href="([^"]*/checkout/)"')
CSRF_ANYWHERE = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


# --- Reading the pages ----------------------------------------------------------------------


def attributes(tag_inside: str) -> dict[str, str]:
    found = {}
    for name, double, single, bare in ATTRIBUTE.findall(tag_inside):
        found[name.lower()] = html.unescape(double or single or bare)
    return found


@dataclass
class Form:
    attrs: dict
    inputs: list[dict]

    def value(self, name: str) -> str | None:
        return next((i.get("value", "") for i in self.inputs if i.get("name") == name), None)

    def radios(self, name: str) -> list[str]:
        """The values of a radio group a person can choose (not the disabled ones)."""
        return [
            i.get("value", "")
            for i in self.inputs
            if i.get("name") == name and i.get("type") == "radio" and "disabled" not in i
        ]

    def fields(self) -> dict[str, str]:
        """What the browser sends of the non-radio inputs."""
        return {
            i["name"]: i.get("value", "")
            for i in self.inputs
            if i.get("name") and i.get("type") not in ("radio", "checkbox", "submit")
        }


def forms(page: str) -> list[Form]:
    return [
        Form(attributes(head), [attributes(tag) for tag in INPUT.findall(body)])
        for head, body in FORM.findall(page)
    ]


def basket_forms(page: str) -> list[Form]:
    """The shop's basket forms: a POST to …/basket/set/ with a product."""
    return [
        form
        for form in forms(page)
        if form.attrs.get("method", "").lower() == "post"
        and "/basket/set/" in form.attrs.get("action", "")
        and form.value("product")
    ]


def checkout_form(page: str) -> Form | None:
    """The checkout's POST form (the one with the one-time ``token``)."""
    return next(
        (
            f
            for f in forms(page)
            if f.attrs.get("method", "").lower() == "post" and f.value("token")
        ),
        None,
    )


def pickup_choices(page: str) -> list[str]:
    """The pickup points of the checkout's GET form (step 1)."""
    return [
        value
        for form in forms(page)
        if form.attrs.get("method", "get").lower() == "get"
        for value in form.radios("pickup")
    ]


def checkout_url(page: str, shop_path: str) -> str:
    found = CHECKOUT_HREF.search(page)
    return html.unescape(found.group(1)) if found else shop_path + "checkout/"


def order_code(location: str) -> str | None:
    found = ORDER_URL.search(location or "")
    return found.group(1) if found else None


def csrf_of(form: Form | None, page: str, cookies: dict) -> str:
    """The form's token, else the page's, else the cookie's secret (which Django accepts)."""
    token = form.value("csrfmiddlewaretoken") if form else None
    if not token:
        found = CSRF_ANYWHERE.search(page)
        token = found.group(1) if found else cookies.get("csrftoken", "")
    return token


# --- The browser ----------------------------------------------------------------------------


@dataclass
class Results:
    started_at: float = 0.0
    requests: list = field(default_factory=list)  # [step, status, ms, t]
    orders: dict = field(default_factory=dict)  # code -> what the client saw
    rejected_keys: list = field(default_factory=list)  # [user_id, idempotency key]
    succeeded_keys: list = field(default_factory=list)
    refusals: dict = field(default_factory=dict)  # step -> count of refused answers
    members_used: int = 0
    members_exhausted: bool = False
    shoppers_done_at: float = 0.0


class Browser:
    """One person's cookies over the shared connection pool (no shared cookie jar)."""

    def __init__(self, client: aiohttp.ClientSession, results: Results, recording: bool):
        self.client = client
        self.results = results
        self.recording = recording
        self.cookies: dict[str, str] = {}

    async def request(self, step: str, method: str, url: str, *, data=None, headers=None):
        """(status, text, Location) of one request, redirects not followed (recorded apart)."""
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if headers:
            sent.update(headers)
        started = time.perf_counter()
        try:
            async with self.client.request(
                method, url, data=data, headers=sent, allow_redirects=False
            ) as response:
                status = response.status
                text = await response.text()
                location = response.headers.get("Location", "")
                self.keep(response.headers.getall("Set-Cookie", []))
        except (aiohttp.ClientError, TimeoutError):
            status, text, location = 0, "", ""
        if self.recording:
            ms = (time.perf_counter() - started) * 1000
            at = started - self.results.started_at
            self.results.requests.append([step, status, round(ms, 3), round(at, 3)])
        return status, text, location

    def keep(self, headers: list[str]) -> None:
        for header in headers:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def refused(self, step: str) -> None:
        self.results.refusals[step] = self.results.refusals.get(step, 0) + 1


# --- A shopper ----------------------------------------------------------------------------


class Rush(MemberTaker):
    def __init__(self, config: dict, client: aiohttp.ClientSession, results: Results):
        self.config = config
        self.client = client
        self.results = results
        self.members = list(config.get("members", []))
        self.next_member = 0
        self.recording = True

    def browser(self, member: dict | None) -> Browser:
        browser = Browser(self.client, self.results, self.recording)
        if member:
            browser.cookies[self.config["session_cookie"]] = member["session"]
        return browser

    async def basket_add(self, browser, page: str, rng: random.Random) -> dict[str, str]:
        """Adds 1–3 products with the shop's forms; returns what the basket holds."""
        candidates = basket_forms(page)
        if not candidates:  # the page changed: say so rather than measure nothing
            browser.refused("shop_without_basket_form")
        added: dict[str, str] = {}
        for form in rng.sample(candidates, min(len(candidates), rng.randint(1, 3))):
            data = form.fields()
            data["csrfmiddlewaretoken"] = csrf_of(form, page, browser.cookies)
            headers = {"HX-Request": "true"} if "hx-post" in form.attrs else None
            status, _text, _location = await browser.request(
                "basket_add", "POST", form.attrs["action"], data=data, headers=headers
            )
            if status in (200, 302):
                added[form.value("product")] = data.get("quantity", "")
            else:
                browser.refused("basket_add")
        return added

    async def confirm(self, browser, member, url: str, page: str, lines, rng) -> str | None:
        """Posts the checkout form with a bookable slot; returns the order's code."""
        for _attempt in range(MAX_CONFIRMS):
            form = checkout_form(page)
            places = form.radios("place") if form else []
            if not places:
                browser.refused("checkout")
                return None
            weights = [1 / (index + 1) for index in range(len(places))]
            data = {**form.fields(), "place": rng.choices(places, weights=weights)[0]}
            data["csrfmiddlewaretoken"] = csrf_of(form, page, browser.cookies)
            data.setdefault("note", "")
            key = f"web-{data.get('token', '')}"
            status, page, location = await browser.request("confirm", "POST", url, data=data)
            code = order_code(location) if status == 302 else None
            if code:
                self.results.succeeded_keys.append([member["user_id"], key])
                self.results.orders[code] = {
                    "user_id": member["user_id"], "status": "placed", "lines": lines, "key": key,
                }  # fmt: skip
                await browser.request("order_page", "GET", location)
                return code
            browser.refused("confirm")
            self.results.rejected_keys.append([member["user_id"], key])
            if status != 200:
                return None
        return None

    async def order(self, member: dict, rng: random.Random) -> str | None:
        browser = self.browser(member)
        shop_path = self.config["shop_path"]
        status, page, _ = await browser.request("shop", "GET", shop_path)
        if status != 200:
            return None
        lines = await self.basket_add(browser, page, rng)
        if not lines:
            return None
        url = checkout_url(page, shop_path)
        status, page, _ = await browser.request("checkout", "GET", url)
        if status != 200:
            return None
        form = checkout_form(page)
        if not (form and form.radios("place")):
            points = pickup_choices(page)
            if not points:
                browser.refused("checkout")
                return None
            weights = [1 / (index + 1) for index in range(len(points))]
            url = f"{url}?pickup={rng.choices(points, weights=weights)[0]}"
            status, page, _ = await browser.request("checkout_point", "GET", url)
            if status != 200:
                return None
        return await self.confirm(browser, member, url, page, lines, rng)

    async def shopper(self, number: int, deadline: float) -> None:
        rng = random.Random(self.config["seed"] * 1000 + number)
        while time.perf_counter() < deadline:
            member = self.member()
            if member is None:
                return
            await self.order(member, rng)

    async def login(self, account: dict) -> None:
        browser = self.browser(None)
        url = self.config["login_path"]
        status, page, _ = await browser.request("login_page", "GET", url)
        data = {"login": account["email"], "password": account["password"],
                "csrfmiddlewaretoken": csrf_of(None, page, browser.cookies)}  # fmt: skip
        status, _page, _ = await browser.request("login", "POST", url, data=data)
        if status != 302:
            browser.refused("login")

    async def logins(self, accounts: list[dict], concurrency: int) -> None:
        queue = list(accounts)

        async def worker():
            while queue:
                await self.login(queue.pop())

        await asyncio.gather(*(worker() for _ in range(concurrency)))

    async def warm_up(self, seconds: float, readers: int) -> None:
        """Shop pages, not recorded: every server process loads its code and templates."""
        deadline = time.perf_counter() + seconds
        member = self.members[0] if self.members else None

        async def reader():
            browser = self.browser(member)
            while time.perf_counter() < deadline:
                await browser.request("shop", "GET", self.config["shop_path"])

        await asyncio.gather(*(reader() for _ in range(readers)))


async def run(config: dict) -> Results:
    results = Results()
    connector = aiohttp.TCPConnector(limit=max(8, config.get("shoppers", 8) * 2))
    async with aiohttp.ClientSession(
        base_url=config["base_url"],
        connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),
        timeout=aiohttp.ClientTimeout(total=TIMEOUT),
    ) as client:
        rush = Rush(config, client, results)
        if config.get("warmup_seconds"):
            rush.recording = False
            await rush.warm_up(config["warmup_seconds"], min(config.get("shoppers", 8), 16))
            rush.recording = True
        results.started_at = time.perf_counter()
        if config.get("mode") == "logins":
            await rush.logins(config["accounts"], config["concurrency"])
        elif config.get("seconds"):
            deadline = results.started_at + config["seconds"]
            shoppers = config["shoppers"]
            await asyncio.gather(*(rush.shopper(number, deadline) for number in range(shoppers)))
        results.shoppers_done_at = time.perf_counter() - results.started_at
    return results


def main() -> None:
    generator_main(run, __doc__)


if __name__ == "__main__":
    main()
