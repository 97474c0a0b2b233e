"""Load the demo: a producer collective in the Tarn and a members-only grocery in Marseille.

Idempotent: every row has a natural key (slug, e-mail, reference, name within the
organisation) and only what is missing is created, in bulk. Sales, pickups and slots come from
the sales services (a weekly schedule and the drive hours), exactly as a coordinator would set
them up. The parts: ``people`` (logins and invented members), ``base`` (organisations, people,
producers, pickup points), ``organisations``, ``activity`` (orders and sales), ``work`` (duties
and shifts), ``stock`` (the coop shop's stock), ``supply`` (its suppliers), ``money`` and
``messages``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction

from .activity import ActivitySeed
from .history import HistorySeed
from .messages import MessagesSeed
from .money import MoneySeed
from .organisations import OrganisationsSeed
from .people import COLLECTIVE_DOMAIN, COOP_DOMAIN, SeedReport
from .stock import StockSeed
from .supply import SupplySeed


class DemoSeed(
    OrganisationsSeed, ActivitySeed, MoneySeed, HistorySeed, StockSeed, SupplySeed, MessagesSeed
):
    """Every part of the demo on one object that shares the instant and the report."""


@transaction.atomic
def demo_seed(*, now: datetime | None = None) -> SeedReport:
    """Create what is missing of the demo; running it again changes nothing."""
    seed = DemoSeed(now=now)
    collective = seed.collective()
    cooperative = seed.cooperative()
    seed.admin()
    # The demo's own sales already there (today's, last week's, the history), in one query.
    present = seed.demo_sales_present([collective, cooperative])
    logins = {f"membre@{COLLECTIVE_DOMAIN}", f"membre@{COOP_DOMAIN}", "double@example.org"}
    seed.orders(collective, count=60, skip=logins)
    seed.distribution_day(collective, skip=logins, present=present)
    seed.collective_work(collective)
    seed.distributed_sale(collective, skip=logins, present=present)
    seed.memberships_money(collective, fee=Decimal("10.00"), expired=30)
    seed.memberships_money(cooperative, fee=Decimal("15.00"), expired=12, shares=True)
    seed.orders(cooperative, count=3, skip=logins)
    # Before the coop's stock and supply parts: its suggestions see the last weeks' sales.
    seed.history(collective, cooperative, present=present)
    seed.cooperative_work(cooperative)  # after the orders: the suspended may not order
    seed.cooperative_stock(cooperative)
    seed.cooperative_supply(cooperative)
    seed.cooperative_purchases(cooperative)
    seed.collective_messages(collective)
    return seed.report
