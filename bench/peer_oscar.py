"""The peer's shopper: the django-oscar sandbox's anonymous checkout, with the HTML rush's
browser and form reader (bench/html_load.py). Not part of ``make bench``: the sandbox runs in
a virtual environment of its own (docs/performance.md, "Running the peer beside the bench").

``python -m bench.peer_oscar --base-url http://127.0.0.1:8001 --shoppers 8 --seconds 15``

Each shopper, again and again as a new anonymous browser: opens a product page
(``product``), posts its add-to-basket form (``basket_add``), opens the checkout and continues
as a guest (``checkout``: the gateway form with an e-mail and ``options=anonymous``), posts a
shipping address (``shipping``; the redirects through the shipping and payment methods are
followed as a browser does), opens the preview and posts its place-order form (``confirm``),
then follows to the thank-you page. Prints orders/s and per-step percentiles as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import re
import time
from collections import defaultdict

import aiohttp

from .html_load import Browser, Results, csrf_of, forms

PRODUCT_HREF = re.compile(r'href="((?:/[a-z-]+)?/catalogue/[^"/]+_\d+/)"')
ADDRESS = {"first_name": "Anne", "last_name": "Martin", "line1": "1 rue du Marché",
           "line4": "London", "postcode": "N1 9GU", "country": "GB",
           "phone_number": "", "notes": ""}  # fmt: skip


async def follow(browser: Browser, step: str, method: str, url: str, data=None):
    """A request and the redirects after it, each recorded under ``step``."""
    status, page, location = await browser.request(step, method, url, data=data)
    hops = 0
    while status in (301, 302, 303) and location and hops < 6:
        url = location
        status, page, location = await browser.request(step, "GET", url)
        hops += 1
    return status, page, url


def post_form(page: str, test) -> dict | None:
    form = next((f for f in forms(page) if test(f)), None)
    return None if form is None else {"form": form, "fields": form.fields()}


async def order(browser: Browser, products: list[str], prefix: str, rng: random.Random) -> bool:
    status, page, url = await follow(browser, "product", "GET", rng.choice(products))
    found = post_form(page, lambda f: "/basket/add/" in f.attrs.get("action", ""))
    if status != 200 or found is None:
        return False
    data = {**found["fields"], "quantity": "1",
            "csrfmiddlewaretoken": csrf_of(found["form"], page, browser.cookies)}  # fmt: skip
    await browser.request("basket_add", "POST", found["form"].attrs["action"], data=data)
    status, page, url = await follow(browser, "checkout", "GET", f"{prefix}/checkout/")
    data = {"username": f"guest{rng.randrange(10**9)}@example.org", "options": "anonymous",
            "csrfmiddlewaretoken": csrf_of(None, page, browser.cookies)}  # fmt: skip
    status, page, url = await follow(browser, "checkout", "POST", url, data=data)
    data = {**ADDRESS, "csrfmiddlewaretoken": csrf_of(None, page, browser.cookies)}
    status, page, url = await follow(browser, "shipping", "POST", url, data=data)
    status, page, url = await follow(browser, "preview", "GET", f"{prefix}/checkout/preview/")
    found = post_form(page, lambda f: f.value("action") == "place_order")
    if status != 200 or found is None:
        return False
    data = {**found["fields"], "csrfmiddlewaretoken": csrf_of(found["form"], page, browser.cookies)}
    status, page, url = await follow(
        browser, "confirm", "POST", f"{prefix}/checkout/preview/", data=data
    )
    return status == 200 and "/checkout/thank-you/" in url


async def run(base_url: str, shoppers: int, seconds: float, seed: int) -> dict:
    results = Results()
    async with aiohttp.ClientSession(
        base_url=base_url,
        connector=aiohttp.TCPConnector(limit=shoppers * 2),
        cookie_jar=aiohttp.DummyCookieJar(),
        timeout=aiohttp.ClientTimeout(total=120),
    ) as client:
        # The catalogue, once, not timed: the product pages' URLs and the language prefix.
        _status, page, url = await follow(
            Browser(client, results, False), "-", "GET", "/catalogue/"
        )
        prefix = url.split("/catalogue/")[0]
        products = sorted(set(PRODUCT_HREF.findall(page)))
        placed = []
        results.started_at = time.perf_counter()
        deadline = results.started_at + seconds

        async def shopper(number: int):
            rng = random.Random(seed * 1000 + number)
            while time.perf_counter() < deadline:
                if await order(Browser(client, results, True), products, prefix, rng):
                    placed.append(time.perf_counter())

        await asyncio.gather(*(shopper(n) for n in range(shoppers)))
        elapsed = time.perf_counter() - results.started_at
    return {"shoppers": shoppers, "elapsed_s": round(elapsed, 2), "orders": len(placed),
            "orders_per_s": round(len(placed) / elapsed, 2), "products": len(products),
            "steps_ms": steps(results.requests)}  # fmt: skip


def steps(requests: list) -> dict:
    times, statuses = defaultdict(list), defaultdict(lambda: defaultdict(int))
    for step, status, ms, _at in requests:
        times[step].append(ms)
        statuses[step][str(status)] += 1
    out = {}
    for step, values in times.items():
        values.sort()

        def rank(p, values=values):
            return round(values[min(len(values), max(1, math.ceil(p * len(values)))) - 1], 1)

        out[step] = {"count": len(values), "p50": rank(0.5), "p95": rank(0.95),
                     "statuses": dict(statuses[step])}  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8001")
    parser.add_argument("--shoppers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--server-pid", type=int, help="gunicorn's master: its CPU is measured")
    parser.add_argument("--database", default="", help="PostgreSQL database: its backends' CPU")
    args = parser.parse_args()
    from .run import CpuWatch, children_of, postgres_pids

    server = [args.server_pid, *children_of(args.server_pid)] if args.server_pid else []
    watch = CpuWatch(app_server=lambda: server, postgres=lambda: postgres_pids(args.database))
    watch.start()
    cpu = time.process_time()
    figures = asyncio.run(run(args.base_url, args.shoppers, args.seconds, args.seed))
    figures["generator_cpu_s"] = round(time.process_time() - cpu, 2)
    figures["cpu"] = watch.stop(load_generator=figures["generator_cpu_s"])
    if figures["orders"]:
        used = figures["cpu"]["cpu_s"]
        server_s = used["app_server"] + (used["postgres"] if args.database else 0.0)
        figures["server_cpu_ms_per_order"] = round(1000 * server_s / figures["orders"], 1)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
