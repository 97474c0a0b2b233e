"""The coop's year of drive days before the current week: each opening day of its drive
(Thursday, Friday, Saturday) a drive sale with its pickups and 15-minute slots, orders
placed the day before by the members who had joined by then (the demo's ``joined_on``: the
day their shares were subscribed), a few at first and more as the shop gets its turnover
back, Saturdays busier. The shop's stock moves with them, in its ledger: each order takes
its products (a product out of stock is left out of the basket: the stock-outs), the supply
team's delivery each Tuesday brings each product back to its shelf level, and the last day
a count brings it back to the stock the demo's shop starts from, so the ledger still adds up
to it (its opening movement is dated at the start of the year). Each member's membership
year before the current one is paid with their first order in it.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from random import Random

from cabas.catalog.models import Product, StockMovement
from cabas.money.models import MembershipPeriod
from cabas.orgs.models import Membership, Organisation
from cabas.sales.models import Drive, DriveHours, Sale

from .base import SeedBase
from .history_rows import JOINED_WITHIN_DAYS, HistoryRows, joined_on, membership_year_start

DRIVE_WEEKS = 52
DAY_WEIGHTS = (20, 30, 30, 12, 8)  # baskets of 1 … 5 products
SHELF_MINIMUM = Decimal("10")  # what the Tuesday delivery brings a product back to, at least


class DriveHistorySeed(SeedBase):
    def drive_history(self, organisation: Organisation, *, skip: set[str]) -> None:
        drive = Drive.objects.filter(organisation=organisation).select_related("pickup_point")
        drive = drive.first()
        if drive is None:
            return
        hours: dict[int, list] = {}
        for opening in DriveHours.objects.filter(organisation=organisation).order_by("starts_time"):
            hours.setdefault(opening.weekday, []).append(opening)
        members = list(
            Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE)
            .exclude(user__email__in=skip)
            .order_by("user__email")
            .values_list("user_id", "pk", "user__email")
        )
        joined = {
            user: joined_on(self.today, email, JOINED_WITHIN_DAYS) for user, _, email in members
        }
        products = list(
            Product.objects.filter(
                organisation=organisation, is_active=True, stock_mode=Product.StockMode.SHOP
            ).order_by("reference")
        )
        rows = HistoryRows(organisation)
        rows.stock = {product.pk: product.stock_quantity or Decimal("0") for product in products}
        chance = Random(f"drive {self.today:%Y-%m-%d}")  # noqa: S311 — demo data
        monday = self.today - timedelta(days=self.today.weekday())
        first = monday - timedelta(weeks=DRIVE_WEEKS)
        firsts: dict = {}
        for week in range(DRIVE_WEEKS):
            tuesday = first + timedelta(weeks=week, days=1)
            self._delivery(rows, products, rows.at(tuesday, 9), "Livraison du mardi")
            for weekday in sorted(hours):
                day = tuesday + timedelta(days=weekday - 1)
                buyers = [user for user, day_joined in joined.items() if day_joined < day]
                self._drive_day(rows, drive, hours[weekday], day, week, buyers, products, chance,
                                firsts)  # fmt: skip
        self._back_to_opening(rows, products, rows.at(monday - timedelta(days=1), 20))
        # The ledger began a year ago: the products' opening balance is dated then.
        StockMovement.objects.filter(
            organisation=organisation, reason=StockMovement.Reason.OPENING
        ).update(created_at=rows.at(first - timedelta(days=1), 9))
        existing = set(
            MembershipPeriod.objects.filter(organisation=organisation).values_list(
                "membership_id", "starts_on"
            )
        )
        memberships = {user: membership for user, membership, _ in members}
        rows.membership_years(
            memberships, firsts, Decimal("15.00"), existing, membership_year_start(self.today)
        )
        for what, count in rows.save().items():
            self.report.add(f"drive history {what}", count)

    def _drive_day(self, rows, drive, openings, day: date, week: int, buyers, products, chance,
                   firsts) -> None:  # fmt: skip
        lead_time = timedelta(minutes=drive.lead_time_minutes)
        minutes = drive.slot_minutes
        ends = [rows.at(day, o.ends_time.hour, o.ends_time.minute) for o in openings]
        closes_at = ends[-1] - timedelta(minutes=minutes) - lead_time
        sale = rows.sale(
            title=f"{drive.name} · {day:%d/%m/%Y}", kind=Sale.Kind.DRIVE,
            opens_at=rows.at(day - timedelta(days=drive.days_ahead), 0), closes_at=closes_at,
            occurrence_date=day,
        )  # fmt: skip
        slots = []
        for opening, end in zip(openings, ends, strict=True):
            start = rows.at(day, opening.starts_time.hour, opening.starts_time.minute)
            pickup, its_slots = rows.pickup(
                sale, drive.pickup_point, start, end, minutes=minutes,
                capacity=drive.slot_capacity, lead_time=lead_time,
            )  # fmt: skip
            slots += [(pickup, slot) for slot in its_slots]
        # The turnover comes back over the year: from 8 orders a day to about 25, Saturdays more.
        target = 8 + 17 * week / DRIVE_WEEKS
        count = round(target * (1.3 if day.weekday() == 5 else 1.0) * chance.uniform(0.85, 1.15))
        eve = day - timedelta(days=1)
        times = sorted(rows.at(eve, 8) + timedelta(minutes=chance.randint(0, 14 * 60))
                       for _ in range(min(count, len(buyers))))  # fmt: skip
        for user, placed_at in zip(chance.sample(buyers, len(times)), times, strict=True):
            free = [(pickup, slot) for pickup, slot in slots if slot.booked < slot.capacity]
            if not free:
                break
            pickup, slot = chance.choice(free)
            basket = self._drive_basket(rows, chance, sale, products)
            if not basket:
                continue  # everything they wanted was out of stock
            order = rows.order(
                sale=sale, pickup=pickup, slot=slot, user_id=user, placed_at=placed_at,
                lines=basket, no_show=chance.random() < 0.03,
            )  # fmt: skip
            for item, quantity in basket:
                rows.stock_take(item.product, quantity, order=order, user_id=user, at=placed_at)
            firsts.setdefault((user, membership_year_start(day)), placed_at)

    @staticmethod
    def _drive_basket(rows, chance, sale, products) -> list:
        count = chance.choices(range(1, 6), DAY_WEIGHTS)[0]
        basket = []
        for product in chance.sample(products, min(count, len(products))):
            quantity = product.min_quantity * chance.choice((1, 1, 2, 3))
            if rows.stock[product.pk] >= quantity:
                basket.append((rows.item(sale, product), quantity))
        return basket

    @staticmethod
    def _delivery(rows, products, at, note: str) -> None:
        """The supply team's delivery: each product back to its shelf level."""
        for product in products:
            level = max(product.stock_quantity or Decimal("0"), SHELF_MINIMUM)
            missing = level - rows.stock[product.pk]
            if missing > 0:
                rows.stock_take(product, -missing, at=at, reason=StockMovement.Reason.RECEPTION,
                                note=note)  # fmt: skip

    @staticmethod
    def _back_to_opening(rows, products, at) -> None:
        """The last count of the year: each product at the stock the demo's shop has."""
        for product in products:
            difference = rows.stock[product.pk] - (product.stock_quantity or Decimal("0"))
            if difference:
                rows.stock_take(
                    product, difference, at=at, reason=StockMovement.Reason.CORRECTION,
                    note="Comptage",
                )  # fmt: skip
