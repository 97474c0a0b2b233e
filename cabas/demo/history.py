"""The collective's two years of history before the demo's recent sales: weekly Friday sales
at every pickup point, 40 to 70 orders a week, then in the first spring a lockdown: orders
rise to about six times as many within a month (new members by the dozen, two temporary
producers), then settle higher than before; the Salles point opens in May and grows; some
members lapse. Baskets of 1 to 5 of the demo's products at their prices and VAT rates, slots
booked (the early ones fill first), collected (a few no-shows) and paid, and each member's
membership years paid with their first order of the year.

The history ends two weeks before the current week, so last week's sale, today's
distribution and the open sales stay what the rest of the demo makes them. Written in bulk
(``history_rows``); found again by its sales' titles in one query.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from random import Random

from django.db.models import Case, F, Q, Value, When

from cabas.catalog.models import ProducerLink, Product
from cabas.money.models import MembershipPeriod
from cabas.orgs.models import Membership, Organisation
from cabas.sales.models import PickupPoint, Sale

from .activity import DISTRIBUTION_DAY, LAST_WEEK
from .base import SeedBase
from .history_drive import DriveHistorySeed
from .history_rows import HISTORY_MARK, HistoryRows, membership_year_start
from .people import COLLECTIVE_DOMAIN, COOP_DOMAIN, SCHEDULE_NAME

WEEKS = 104
# The lockdown's weeks from its first (early March): orders per week against a usual week.
WAVE = (2.0, 3.5, 5.0, 6.0, 6.4, 6.3, 6.1, 5.6, 5.0, 4.2, 3.4, 2.7, 2.2, 1.8)
USUAL = 40  # orders in a usual week before the lockdown
AFTER = Decimal("1.5")  # ... and after it
SEASON = {7: 0.8, 8: 0.75, 12: 1.15}  # summer holidays, Christmas
FOUNDERS, LATE_JOINERS, SALLES_MEMBERS = 55, 35, 22
# Who orders where (the towns' sizes); Salles only for its own members, once it opened.
POINT_WEIGHTS = {"Gaillac": 16, "Cordes-sur-Ciel": 14, "Carmaux": 12, "Lisle-sur-Tarn": 10,
                 "Rabastens": 10, "Castelnau-de-Montmiral": 7, "Monestiés": 6,
                 "Cagnac-les-Mines": 6, "Vaour": 5, "Penne": 4, "Puycelsi": 4}  # fmt: skip
SLOT_WEIGHTS = (16, 18, 16, 13, 11, 9, 7, 4)  # 17:00 … 18:45: the first fill first
LINES_WEIGHTS = (20, 30, 25, 15, 10)  # baskets of 1 … 5 products
# The temporary producers of the lockdown: one sold only then, the other stayed.
WAVE_ONLY, STAYED = "Moulin de la Vère", "Safran du Cordais"
DEMO_LOGINS = {f"membre@{COLLECTIVE_DOMAIN}", f"membre@{COOP_DOMAIN}", "double@example.org"}


class CollectiveHistory:
    """The plan of the collective's past: who joined when, where they collect, who lapsed."""

    def __init__(self, today: date, members: list[int], points: list[PickupPoint]):
        self.chance = Random(f"histoire {today:%Y-%m-%d}")  # noqa: S311 — demo data
        monday = today - timedelta(days=today.weekday())
        self.last = monday - timedelta(weeks=2)
        self.first = self.last - timedelta(weeks=WEEKS - 1)
        march = date(self.first.year, 3, 1)
        march = march if march >= self.first else march.replace(year=march.year + 1)
        self.wave = (march - self.first).days // 7 + (1 if march.weekday() else 0)
        may = date(march.year, 5, 1)
        self.salles_opens = (may - self.first).days // 7 + (1 if may.weekday() else 0)
        self.salles = next(point for point in points if point.town == "Salles")
        self.others = [point for point in points if point is not self.salles]
        self._plan(members)

    def monday(self, week: int) -> date:
        return self.first + timedelta(weeks=week)

    def _plan(self, members: list[int]) -> None:
        chance = self.chance
        members = list(members)
        chance.shuffle(members)
        before = min(self.wave - 1, 30)
        late = members[-LATE_JOINERS:]
        self.joins = dict.fromkeys(members[:FOUNDERS], 0)
        for index, member in enumerate(members[FOUNDERS : FOUNDERS + before]):
            self.joins[member] = 1 + index * (self.wave - 1) // max(before, 1)
        for member in members[FOUNDERS + before : -LATE_JOINERS]:  # the lockdown's rush
            self.joins[member] = self.wave + chance.choices(range(7), (30, 30, 25, 8, 4, 2, 1))[0]
        for index, member in enumerate(late):  # Salles's first members the week it opens
            self.joins[member] = self.salles_opens + (0 if index < 8 else (index - 7) * 2)
        self.lasts = {}
        for member in members[FOUNDERS + before : -LATE_JOINERS]:
            if chance.random() < 0.3:
                self.lasts[member] = self.wave + len(WAVE) + chance.randint(0, 25)
        for member in members[:FOUNDERS]:
            if chance.random() < 0.1:
                self.lasts[member] = chance.randint(20, WEEKS - 4)
        weights = [POINT_WEIGHTS.get(point.town, 5) for point in self.others]
        self.homes = {member: chance.choices(self.others, weights)[0] for member in members}
        for member in late[:SALLES_MEMBERS]:
            self.homes[member] = self.salles

    def target(self, week: int) -> int:
        """How many orders the week would have, before the members' limits."""
        offset = week - self.wave
        if 0 <= offset < len(WAVE):
            factor = WAVE[offset]
        else:
            month = (self.monday(week) + timedelta(days=4)).month
            factor = SEASON.get(month, 1.0) * (float(AFTER) if offset > 0 else 1.0)
        return round(USUAL * factor * self.chance.uniform(0.9, 1.1))

    def buyers(self, week: int) -> list[int]:
        """This week's buyers: every member who joined this week, others among those who
        had joined and not lapsed, at most 93 % of them (a lockdown's week)."""
        active = [
            member
            for member, joined in self.joins.items()
            if joined <= week and self.lasts.get(member, WEEKS) >= week
        ]
        new = [member for member in active if self.joins[member] == week and week > 0]
        count = min(self.target(week), int(0.93 * len(active)))
        others = [member for member in active if self.joins[member] != week or week == 0]
        return new + self.chance.sample(others, max(count - len(new), 0))

    def offered(self, week: int, producer: str) -> bool:
        in_wave = self.wave <= week < self.wave + len(WAVE)
        if producer == WAVE_ONLY:
            return in_wave
        return producer != STAYED or week >= self.wave


class HistorySeed(DriveHistorySeed, SeedBase):
    @staticmethod
    def demo_sales_present(organisations: list[Organisation]) -> set[tuple[int, str]]:
        """Which of the demo's own sales are there, in one query: (organisation id, title)
        for today's distribution and last week's sale, (organisation id, ``HISTORY_MARK``)
        for a generated history."""
        key = Case(When(title__endswith=HISTORY_MARK, then=Value(HISTORY_MARK)), default=F("title"))
        return set(
            Sale.objects.filter(organisation__in=organisations)
            .filter(Q(title__in=[DISTRIBUTION_DAY, LAST_WEEK]) | Q(title__endswith=HISTORY_MARK))
            .annotate(key=key)
            .values_list("organisation_id", "key")
            .distinct()
        )

    def history(self, collective: Organisation, cooperative: Organisation, *, present) -> None:
        """Once per organisation (``present``: ``demo_sales_present``): the collective's two
        years and the coop's year of drive days."""
        if (collective.pk, HISTORY_MARK) not in present:
            self.collective_history(collective)
        if (cooperative.pk, HISTORY_MARK) not in present:
            self.drive_history(cooperative, skip=DEMO_LOGINS)

    def collective_history(self, organisation: Organisation) -> None:
        members = list(
            Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE)
            .exclude(user__email__in=DEMO_LOGINS)
            .order_by("user__email")
            .values_list("user_id", "pk")
        )
        points = list(PickupPoint.objects.filter(organisation=organisation).order_by("name"))
        plan = CollectiveHistory(self.today, [user for user, _ in members], points)
        products = list(
            Product.objects.filter(organisation=organisation, is_active=True)
            .select_related("producer")
            .order_by("reference")
        )
        temporary = set(
            ProducerLink.objects.filter(organisation=organisation, status="temporary").values_list(
                "producer_id", flat=True
            )
        )
        rows = HistoryRows(organisation)
        first_orders: dict = {}
        for week in range(WEEKS):
            offered = [
                product
                for product in products
                if product.producer_id not in temporary or plan.offered(week, product.producer.name)
            ]
            self._week(rows, plan, week, offered, first_orders)
        existing = set(
            MembershipPeriod.objects.filter(organisation=organisation).values_list(
                "membership_id", "starts_on"
            )
        )
        rows.membership_years(
            dict(members),
            first_orders,
            Decimal("10.00"),
            existing,
            membership_year_start(self.today),
        )
        for what, count in rows.save().items():
            self.report.add(f"history {what}", count)

    def _week(self, rows: HistoryRows, plan: CollectiveHistory, week: int, products, firsts):
        chance = plan.chance
        friday = plan.monday(week) + timedelta(days=4)
        sale = rows.sale(
            title=f"{SCHEDULE_NAME} · {friday:%d/%m/%Y}", kind=Sale.Kind.ORDER_CYCLE,
            opens_at=rows.at(friday - timedelta(days=9), 8),
            closes_at=rows.at(friday - timedelta(days=2), 20),
        )  # fmt: skip
        places = {}
        for point in plan.others + ([plan.salles] if week >= plan.salles_opens else []):
            places[point.pk] = rows.pickup(
                sale, point, rows.at(friday, 17), rows.at(friday, 19), minutes=15, capacity=6
            )
        weights = [
            3 if product.category.startswith(("vegetables", "bakery", "eggs", "dairy")) else 1
            for product in products
        ]
        window = (sale.closes_at - sale.opens_at).total_seconds() - 3600
        for member in plan.buyers(week):
            home = plan.homes[member]
            if home is not plan.salles and chance.random() < 0.1:
                home = chance.choice(plan.others)
            pickup, slots = places[home.pk]
            free = [(slot, w) for slot, w in zip(slots, SLOT_WEIGHTS, strict=True)
                    if slot.booked < slot.capacity]  # fmt: skip
            if not free:
                continue  # the point is full this week: like a real member, no order
            slot = chance.choices([s for s, _ in free], [w for _, w in free])[0]
            lines = self._basket(chance, rows, sale, products, weights)
            if not lines:
                continue
            placed_at = sale.opens_at + timedelta(seconds=chance.uniform(0, window))
            rows.order(sale=sale, pickup=pickup, slot=slot, user_id=member, placed_at=placed_at,
                       lines=lines, no_show=chance.random() < 0.03)  # fmt: skip
            firsts.setdefault((member, membership_year_start(friday)), placed_at)

    @staticmethod
    def _basket(chance: Random, rows: HistoryRows, sale, products, weights) -> list:
        count = chance.choices(range(1, 6), LINES_WEIGHTS)[0]
        chosen = {product.pk: product for product in chance.choices(products, weights, k=count)}
        lines = []
        for product in chosen.values():
            quantity = product.min_quantity * chance.choice((1, 1, 1, 2, 2, 3))
            item = rows.item(sale, product)
            if HistoryRows.room(item, quantity):
                lines.append((item, quantity))
        return lines
