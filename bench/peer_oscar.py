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

Inside ``make bench`` (``bench/run.py --peer-url URL --peer-pid PID``): a peer phase of the same
shoppers and length right before each HTML phase, in its own process as Cabas's generator is,
and ``results["html"]["peer"]``: both sides' orders/s and application CPU per order, and Cabas ÷
the peer per shopper count, which the ``html_orders_per_s`` target then reads (at least 20×).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import aiohttp

from .html_load import Browser, Results, csrf_of, forms

PRODUCT_HREF = re.compile(r'href="((?:/[a-z-]+)?/catalogue/[^"/]+_\d+/)"')
ADDRESS = {"first_name": "Anne", "last_name": "Martin", "line1": "1 rue du Marché",
           "line4": "London", "postcode": "N1 9GU", "country": "GB",
           "phone_number": "", "notes": ""}  # fmt: skip
PEER_TARGET_RATIO = 20  # issue 21: Cabas's HTML flow at least 20 × the peer's orders/s
WARM_SECONDS = 3.0


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
    found = basket_form(page)
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


def basket_form(page: str) -> dict | None:
    return post_form(page, lambda f: "/basket/add/" in f.attrs.get("action", ""))


async def buyable(client, results: Results, products: list[str]) -> list[str]:
    """The products whose page has an add-to-basket form (some of the sandbox's have no stock),
    once, not timed: a shopper does not come back to a product it cannot buy."""
    kept = []
    for href in products:
        status, page, _url = await follow(Browser(client, results, False), "-", "GET", href)
        if status == 200 and basket_form(page) is not None:
            kept.append(href)
    return kept


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
        products = await buyable(client, results, sorted(set(PRODUCT_HREF.findall(page))))
        if not products:
            raise SystemExit(f"{base_url}: no product to buy on the catalogue's first page")
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


def measure(args) -> dict:
    """One phase with the CPU of the peer's server (``--server-pid``: its master and workers)
    and, given ``--database``, of its PostgreSQL backends."""
    from .run import CpuWatch, children_of, postgres_pids

    server = [args.server_pid, *children_of(args.server_pid)] if args.server_pid else []
    watch = CpuWatch(app_server=lambda: server, postgres=lambda: postgres_pids(args.database))
    watch.start()
    cpu = time.process_time()
    figures = asyncio.run(run(args.base_url, args.shoppers, args.seconds, args.seed))
    figures["generator_cpu_s"] = round(time.process_time() - cpu, 2)
    figures["cpu"] = watch.stop(load_generator=figures["generator_cpu_s"])
    figures["app_cpu_ms_per_order"] = figures["server_cpu_ms_per_order"] = None
    if figures["orders"] and args.server_pid:
        used = figures["cpu"]["cpu_s"]
        figures["app_cpu_ms_per_order"] = round(1000 * used["app_server"] / figures["orders"], 1)
        server_s = used["app_server"] + (used["postgres"] if args.database else 0.0)
        figures["server_cpu_ms_per_order"] = round(1000 * server_s / figures["orders"], 1)
    return figures


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8001")
    parser.add_argument("--shoppers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--server-pid", type=int, help="gunicorn's master: its CPU is measured")
    parser.add_argument("--database", default="", help="PostgreSQL database: its backends' CPU")
    print(json.dumps(measure(parser.parse_args(argv)), indent=2))


# --- Beside the bench's HTML rush (bench/run.py, bench/html_rush.py) ---------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the peer (django-oscar sandbox, docs/performance.md)")
    group.add_argument("--peer-url", default="", help="the peer's address: a peer phase of the "
                       "same shoppers and length right before each HTML phase")  # fmt: skip
    group.add_argument("--peer-pid", type=int, help="the peer's gunicorn master: its CPU")
    group.add_argument(
        "--peer-database", default="", help="the peer's PostgreSQL database: its backends' CPU"
    )


class Peer:
    """The peer's phases of one bench run, each in a process of its own."""

    def __init__(self, args, log=print):
        self.args, self.log, self.phases = args, log, []

    def _run(self, shoppers: int, seconds: float) -> dict:
        args = self.args
        command = [sys.executable, "-m", "bench.peer_oscar", "--base-url", args.peer_url,
                   "--shoppers", str(shoppers), "--seconds", str(seconds),
                   "--seed", str(args.seed)]  # fmt: skip
        if args.peer_pid:
            command += ["--server-pid", str(args.peer_pid)]
        if args.peer_database:
            command += ["--database", args.peer_database]
        done = subprocess.run(  # noqa: S603 (our interpreter, our module)
            command, cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True
        )
        if done.returncode:
            return {"shoppers": shoppers, "seconds": seconds, "error": done.stderr[-500:]}
        return {**json.loads(done.stdout), "seconds": seconds}

    def warm(self) -> None:
        """Its workers' first pages (templates, URLs) before the first measured phase."""
        self.log(f"peer {self.args.peer_url}: warm-up, 16 shoppers for {WARM_SECONDS:g} s")
        warm = self._run(16, WARM_SECONDS)
        if "error" in warm:
            self.log(f"peer: warm-up failed: {warm['error'][-300:]}")

    def phase(self, shoppers: int, seconds: float) -> None:
        self.log(f"peer: {shoppers} shoppers for {seconds:g} s")
        self.phases.append(self._run(shoppers, seconds))

    def figures(self, cabas_phases: list[dict]) -> dict:
        return {"url": self.args.peer_url, "phases": self.phases,
                "compared": compare(cabas_phases, self.phases)}  # fmt: skip


def _ratio(numerator, denominator):
    return round(numerator / denominator, 2) if numerator is not None and denominator else None


def compare(cabas_phases: list[dict], peer_phases: list[dict]) -> list[dict]:
    """Per shopper count: both sides' orders/s and application CPU per order, Cabas ÷ peer."""
    peers = {phase["shoppers"]: phase for phase in peer_phases}
    rows = []
    for cabas in cabas_phases:
        peer = peers.get(cabas["shoppers"], {})
        rows.append({
            "shoppers": cabas["shoppers"],
            "cabas_orders_per_s": cabas["orders_per_s"],
            "peer_orders_per_s": peer.get("orders_per_s"),
            "orders_per_s_ratio": _ratio(cabas["orders_per_s"], peer.get("orders_per_s")),
            "cabas_app_cpu_ms_per_order": cabas.get("app_cpu_ms_per_order"),
            "peer_app_cpu_ms_per_order": peer.get("app_cpu_ms_per_order"),
            "app_cpu_per_order_ratio": _ratio(
                cabas.get("app_cpu_ms_per_order"), peer.get("app_cpu_ms_per_order")
            ),
            "peer_error": peer.get("error", "" if peer else "no peer phase"),
        })  # fmt: skip
    return rows


def target(peer: dict) -> dict:
    """The HTML target when the peer ran: Cabas ÷ peer orders/s, the worst shopper count."""
    ratios = [row["orders_per_s_ratio"] for row in peer["compared"]]
    worst = None if not ratios or None in ratios else min(ratios)
    return {
        "target": f">= {PEER_TARGET_RATIO}× peer (each phase)",
        "measured": worst,
        "met": None if worst is None else worst >= PEER_TARGET_RATIO,
        "peer": peer["url"],
    }


def table_lines(peer: dict | None) -> list[str]:
    if not peer:
        return []
    out = [f"Peer (django-oscar sandbox, {peer['url']}), each phase right before Cabas's:"]
    for row in peer["compared"]:
        if row["peer_error"]:
            out.append(f"  {row['shoppers']} shoppers: peer failed: {row['peer_error'][-200:]}")
            continue
        out.append(
            f"  {row['shoppers']} shoppers: peer {row['peer_orders_per_s']} orders/s, app CPU "
            f"{row['peer_app_cpu_ms_per_order']} ms/order · Cabas ÷ peer: orders/s "
            f"{row['orders_per_s_ratio']}×, app CPU per order {row['app_cpu_per_order_ratio']}×"
        )
    return out


if __name__ == "__main__":
    main()
