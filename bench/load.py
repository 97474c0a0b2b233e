"""The load generator: V virtual shoppers rush the public JSON API for T seconds.

Runs in its own process (``python -m bench.load --input in.json --output out.json``), with
asyncio and aiohttp only (no Django): the orchestrator gives it the server's address, the sale
and the members' tokens, and reads back every request it made (endpoint, status, error code,
latency) and what the client last saw of each order, for the invariant checks.

A shopper, again and again with a new member (each member orders once in the sale):
reads the catalog, reads the slots, places an order of 3–8 lines (hot products in most of
them) with an ``Idempotency-Key``; when a product is out of stock it drops it and tries
again, when the slot is full it reads the slots again and picks another. Some shoppers
double-submit (the same key twice at once), some then change their order, some cancel it.
There is no think time: this is the rush when the sale opens.

The client shares the machine's cores with the server it measures, so it has to be cheap:
aiohttp's client spends about 1.4 ms of CPU per catalog read here, where httpx spent about
6 ms (64 concurrent readers, same server, measured on the 2-core reference machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
import uuid
from dataclasses import dataclass, field, fields
from decimal import Decimal

import aiohttp

# Probabilities of the shopper's choices.
P_HOT = 0.7  # the order includes one or two hot products
P_STALE_HOT = 0.15  # ... even one the catalog shows sold out (the page was old)
P_DOUBLE_SUBMIT = 0.03
P_CHANGE = 0.15
P_CANCEL = 0.07
MAX_ATTEMPTS = 3
TIMEOUT = 60.0


@dataclass
class Results:
    started_at: float = 0.0
    requests: list = field(default_factory=list)  # [endpoint, status, code, ms, t]
    orders: dict = field(default_factory=dict)  # code -> what the client last saw
    rejected_keys: list = field(default_factory=list)  # [user_id, key]
    succeeded_keys: list = field(default_factory=list)
    members_used: int = 0
    members_exhausted: bool = False
    sale_full: bool = False
    shoppers_done_at: float = 0.0


class MemberTaker:
    """Hands each new attempt the next member not used yet (each member orders once in the
    sale), counting them in the results; shared with bench/html_load.py's shoppers."""

    members: list
    next_member: int
    results: Results

    def member(self) -> dict | None:
        if self.next_member >= len(self.members):
            self.results.members_exhausted = True
            return None
        member = self.members[self.next_member]
        self.next_member += 1
        self.results.members_used = self.next_member
        return member


class Shop(MemberTaker):
    def __init__(self, config: dict, client: aiohttp.ClientSession, results: Results) -> None:
        self.config = config
        self.client = client
        self.results = results
        base = f"/api/v1/orgs/{config['slug']}"
        self.sale_id = config["sale_id"]
        self.urls = {
            "catalog": f"{base}/sales/{self.sale_id}/catalog",
            "slots": f"{base}/sales/{self.sale_id}/slots",
            "orders": f"{base}/orders",
        }
        self.hot = set(config["hot_product_ids"])
        self.members = list(config["members"])
        self.next_member = 0
        self.recording = False
        self.p_change = config.get("p_change", P_CHANGE)
        self.p_cancel = config.get("p_cancel", P_CANCEL)

    async def call(self, endpoint: str, method: str, url: str, token: str, **kwargs):
        """One request; returns (status, body) and records it while the clock runs."""
        headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
        started = time.perf_counter()
        try:
            async with self.client.request(method, url, headers=headers, **kwargs) as response:
                status = response.status
                try:
                    body = await response.json(content_type=None)
                except ValueError:
                    body = None
        except (aiohttp.ClientError, TimeoutError) as exc:
            status, body = 0, {"error": {"code": f"transport:{type(exc).__name__}"}}
        elapsed_ms = (time.perf_counter() - started) * 1000
        code = ""
        if status >= 400 or status == 0:
            code = (body or {}).get("error", {}).get("code", "") if isinstance(body, dict) else ""
            code = code or f"http_{status}"
        if self.recording:
            at = started - self.results.started_at
            self.results.requests.append([endpoint, status, code, round(elapsed_ms, 3), at])
        return status, body

    # --- Choices --------------------------------------------------------------------------

    @staticmethod
    def quantity(item: dict, rng: random.Random, hot: bool) -> str:
        minimum = Decimal(item["min_quantity"])
        step = Decimal(item["quantity_step"] or "1")
        extra = rng.randint(0, 1) if hot else rng.randint(0, 2)
        return str(minimum + step * extra)

    def lines(self, catalog: list[dict], rng: random.Random) -> list[dict]:
        count = rng.randint(3, 8)
        hot = [item for item in catalog if item["product_id"] in self.hot]
        regular = [
            item for item in catalog if item["product_id"] not in self.hot and not item["sold_out"]
        ]
        chosen: list[tuple[dict, bool]] = []
        if hot and rng.random() < P_HOT:
            available = [item for item in hot if not item["sold_out"]]
            pool = available if available and rng.random() > P_STALE_HOT else hot
            for item in rng.sample(pool, min(len(pool), rng.randint(1, 2))):
                chosen.append((item, True))
        for item in rng.sample(regular, min(len(regular), count - len(chosen))):
            chosen.append((item, False))
        return [
            {"product_id": item["product_id"], "quantity": self.quantity(item, rng, is_hot)}
            for item, is_hot in chosen
        ]

    @staticmethod
    def slot(pickups: list[dict], rng: random.Random) -> tuple[int, int] | None:
        """A bookable slot: the first pickups and the first slots are the most wanted."""
        bookable = [
            (pickup, [slot for slot in pickup["slots"] if slot["bookable"]]) for pickup in pickups
        ]
        bookable = [(pickup, slots) for pickup, slots in bookable if slots]
        if not bookable:
            return None
        weights = [1 / (index + 1) for index in range(len(bookable))]
        pickup, slots = rng.choices(bookable, weights=weights)[0]
        slot = rng.choices(slots, weights=[1 / (index + 1) for index in range(len(slots))])[0]
        return pickup["id"], slot["id"]

    # --- One shopper ----------------------------------------------------------------------

    def seen(self, member: dict, body: dict, key: str = "") -> None:
        self.results.orders[body["id"]] = {
            "user_id": member["user_id"],
            "status": body["status"],
            "slot_id": (body.get("slot") or {}).get("id"),
            "lines": {str(line["product_id"]): line["quantity"] for line in body["lines"]},
            "key": key,
        }

    async def place(self, member: dict, rng: random.Random) -> dict | None:
        token = member["token"]
        status, catalog = await self.call("catalog", "GET", self.urls["catalog"], token)
        if status != 200:
            return None
        status, pickups = await self.call("slots", "GET", self.urls["slots"], token)
        if status != 200:
            return None
        lines = self.lines(catalog, rng)
        by_name = {item["name"]: item["product_id"] for item in catalog}
        for _attempt in range(MAX_ATTEMPTS):
            place = self.slot(pickups, rng)
            if place is None:
                self.results.sale_full = True
                return None
            if not lines:
                return None
            key = uuid.uuid4().hex
            payload = {"sale_id": self.sale_id, "pickup_id": place[0], "slot_id": place[1],
                       "lines": lines}  # fmt: skip
            headers = {"Idempotency-Key": key}
            post = self.call(
                "order_create", "POST", self.urls["orders"], token, json=payload, headers=headers
            )
            if rng.random() < P_DOUBLE_SUBMIT:
                again = self.call(
                    "order_create", "POST", self.urls["orders"], token, json=payload,
                    headers=headers,
                )  # fmt: skip
                answers = await asyncio.gather(post, again)
            else:
                answers = [await post]
            placed = None
            for status, body in answers:
                if status in (200, 201):
                    placed = body
                    self.seen(member, body, key)
            if placed is not None:
                self.results.succeeded_keys.append([member["user_id"], key])
                return placed
            self.results.rejected_keys.append([member["user_id"], key])
            status, body = answers[0]
            code = (body or {}).get("error", {}).get("code") if isinstance(body, dict) else None
            if code == "out_of_stock":
                gone = by_name.get((body["error"].get("detail") or {}).get("product"))
                lines = [line for line in lines if line["product_id"] != gone]
            elif code == "slot_full":
                status, pickups = await self.call("slots", "GET", self.urls["slots"], token)
                if status != 200:
                    return None
            else:
                return None
        return None

    async def change(self, member: dict, order: dict, rng: random.Random) -> None:
        url = f"{self.urls['orders']}/{order['id']}"
        if rng.random() < self.p_cancel / (self.p_cancel + self.p_change):
            status, body = await self.call("order_cancel", "DELETE", url, member["token"])
        else:
            lines = [
                {"product_id": line["product_id"], "quantity": line["quantity"]}
                for line in order["lines"]
            ]
            if len(lines) > 3 and rng.random() < 0.5:
                lines.pop(rng.randrange(len(lines)))  # gives a product back
            else:  # one more of a product (of the hot one too, if any is left)
                line = rng.choice(lines)
                line["quantity"] = str(Decimal(line["quantity"]) * 2)
            payload = {"pickup_id": order["pickup"]["id"], "slot_id": order["slot"]["id"],
                       "lines": lines}  # fmt: skip
            status, body = await self.call(
                "order_change", "PUT", url, member["token"], json=payload
            )
        if status == 200:
            self.seen(member, body, self.results.orders[order["id"]]["key"])

    async def shopper(self, number: int, deadline: float) -> None:
        rng = random.Random(self.config["seed"] * 1000 + number)
        while time.perf_counter() < deadline:
            member = self.member()
            if member is None:
                return
            order = await self.place(member, rng)
            if self.results.sale_full:
                return
            if order is not None and rng.random() < self.p_change + self.p_cancel:
                await self.change(member, order, rng)

    async def warm_up(self, seconds: float, shoppers: int) -> None:
        """Reads only, not recorded: every server process opens its database connection and
        loads its code before the clock starts."""
        token = self.members[0]["token"]
        deadline = time.perf_counter() + seconds

        async def reader():
            while time.perf_counter() < deadline:
                await self.call("catalog", "GET", self.urls["catalog"], token)
                await self.call("slots", "GET", self.urls["slots"], token)

        await asyncio.gather(*(reader() for _ in range(shoppers)))


async def run(config: dict) -> Results:
    results = Results()
    connector = aiohttp.TCPConnector(limit=config["shoppers"] * 2)
    async with aiohttp.ClientSession(
        base_url=config["base_url"],
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=TIMEOUT),
    ) as client:
        shop = Shop(config, client, results)
        if config["warmup_seconds"]:
            await shop.warm_up(config["warmup_seconds"], min(config["shoppers"], 16))
        shop.recording = True
        results.started_at = time.perf_counter()
        deadline = results.started_at + config["seconds"]
        await asyncio.gather(
            *(shop.shopper(number, deadline) for number in range(config["shoppers"]))
        )
        results.shoppers_done_at = time.perf_counter() - results.started_at
    return results


def generator_main(run, description: str) -> None:
    """The command line of a load generator (this one and bench/html_load.py): reads the
    configuration, runs ``run(config)`` and writes back what the shoppers saw — every field of
    its ``Results`` but the clock marks — with the generator's own CPU time."""
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    with open(args.input) as file:
        config = json.load(file)
    cpu_started = time.process_time()
    results = asyncio.run(run(config))
    output = {"elapsed_s": results.shoppers_done_at}
    for name in (item.name for item in fields(results)):
        if name not in ("started_at", "shoppers_done_at"):
            output[name] = getattr(results, name)
    output["load_generator_cpu_s"] = time.process_time() - cpu_started
    with open(args.output, "w") as file:
        json.dump(output, file)


def main() -> None:
    generator_main(run, __doc__)


if __name__ == "__main__":
    main()
