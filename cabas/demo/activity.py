"""Life in the demo: orders already placed in the open sales, a sale ready for distribution day
and last week's sale, distributed and paid."""

from __future__ import annotations

from datetime import timedelta
from random import Random

from cabas.accounts.models import User
from cabas.core.errors import DomainError
from cabas.distribution import services as distribution
from cabas.money import services as money_services
from cabas.orders import selectors as order_selectors
from cabas.orders import services as order_services
from cabas.orders.models import Order
from cabas.orgs.models import Organisation
from cabas.sales import services as sales_services
from cabas.sales.models import PickupPoint, Sale, SaleItem, SlotMode

from .work import WorkSeed

DISTRIBUTION_DAY = "Distribution du jour (démo)"
LAST_WEEK = "Vente de la semaine dernière (démo)"


class ActivitySeed(WorkSeed):
    @staticmethod
    def _sale_present(organisation: Organisation, title: str, present) -> bool:
        """The sale is there: in ``present`` (``demo_sales_present``'s answer) when given."""
        if present is not None:
            return (organisation.pk, title) in present
        return Sale.objects.filter(organisation=organisation, title=title).exists()

    def orders(self, organisation: Organisation, *, count: int, skip: set[str]) -> None:
        """Orders already placed in each open sale (once), so the shop looks alive: ``count``
        members, 2 to 5 products each, spread over the slots; nobody in ``skip`` (the demo
        logins order for themselves)."""
        members = self._members(organisation, count, skip)
        for sale in order_selectors.open_sales(organisation=organisation, now=self.now):
            if not Order.objects.filter(sale=sale).exists():
                self._orders_in(sale, members)

    def _orders_in(self, sale, members: list[User]) -> None:

        # Seeded by what the sale is, not its key (PostgreSQL keys differ from run to run), so
        # the same instant always gives the same demo.
        chance = Random(sale.title)  # noqa: S311 — demo data, not security
        items = list(SaleItem.objects.offered().filter(sale=sale).select_related("product")[:200])
        places = [
            (pickup.pk, slot.pk)
            for pickup in order_selectors.checkout_pickups(sale=sale)
            for slot in pickup.slots.all()
            if order_selectors.slot_is_bookable(pickup, slot, self.now)
        ]
        if not items or not places:
            return
        for index, member in enumerate(members):
            pickup_id, slot_id = places[(index * 7) % len(places)]
            chosen = chance.sample(items, k=min(len(items), chance.randint(2, 5)))
            lines = [(item.product_id, item.product.min_quantity) for item in chosen]
            try:
                order_services.order_place(
                    user=member, sale=sale, pickup_id=pickup_id, slot_id=slot_id, lines=lines,
                    now=self.now, notify=False,
                )  # fmt: skip
            except DomainError:
                continue  # a sold-out product or a full slot: like a real member, give up
            self.report.add("orders", 1)

    def distribution_day(self, organisation: Organisation, *, skip: set[str], present=None) -> None:
        """A sale whose orders are closed, with pickups starting within two hours at three
        points (one car-boot), ready for distribution day (check-in, weighing, lists)."""
        title = DISTRIBUTION_DAY
        if self._sale_present(organisation, title, present):
            return
        start = (self.now + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
        sale = sales_services.sale_create(
            organisation=organisation, title=title, opens_at=self.now - timedelta(days=3),
            closes_at=start - timedelta(minutes=30),
            note_to_members="Retrait au coffre possible : prévenez-nous de votre arrivée.",
        )  # fmt: skip
        # its car-boot point among the three, so that "I have arrived" can be tried today
        everywhere = PickupPoint.objects.filter(organisation=organisation).order_by("name")
        points = list(everywhere.filter(car_boot_pickup=True)[:1])
        points += everywhere.exclude(pk__in=[point.pk for point in points])[: 3 - len(points)]
        for point in points:
            sales_services.pickup_create(
                sale=sale, pickup_point=point, starts_at=start,
                ends_at=start + timedelta(hours=2), slot_mode=SlotMode.SLOTS, slot_minutes=15,
                slot_capacity=6,
            )  # fmt: skip
        sales_services.sale_open_now(sale=sale, now=self.now)
        members = self._members(organisation, 300, skip)[100:140]
        self._orders_in(Sale.objects.get(pk=sale.pk), members)
        sales_services.sale_close_now(sale=sale, now=self.now)
        self.report.add("sales", 1)

    def distributed_sale(self, organisation: Organisation, *, skip: set[str], present=None) -> None:
        """Last week's sale, distributed: orders collected (two no-shows), paid at the pickup
        in cash, cheque or card, the pickups closed, the amounts on the members' accounts."""
        title = LAST_WEEK
        if self._sale_present(organisation, title, present):
            return
        then = self.now - timedelta(days=8)
        day = (then + timedelta(days=2)).replace(hour=17, minute=0, second=0, microsecond=0)
        sale = sales_services.sale_create(
            organisation=organisation, title=title, opens_at=then - timedelta(days=2),
            closes_at=day - timedelta(days=1),
        )  # fmt: skip
        for point in PickupPoint.objects.filter(organisation=organisation).order_by("name")[3:5]:
            sales_services.pickup_create(
                sale=sale, pickup_point=point, starts_at=day, ends_at=day + timedelta(hours=2),
                slot_mode=SlotMode.SLOTS, slot_minutes=15, slot_capacity=6,
            )  # fmt: skip
        sales_services.sale_open_now(sale=sale, now=then)
        members = self._members(organisation, 300, skip)[150:180]
        saved_now, self.now = self.now, then
        self._orders_in(Sale.objects.get(pk=sale.pk), members)
        self.now = saved_now
        sales_services.sale_close_now(sale=sale, now=day - timedelta(days=1))
        methods = ("cash", "cheque", "card")
        for index, order in enumerate(Order.objects.filter(sale=sale).order_by("number")):
            if index in (3, 11):
                order_services.order_set_status(order=order, status="no_show", by=None)
                continue
            order_services.order_set_status(order=order, status="collected", by=None)
            order.refresh_from_db()
            money_services.payment_record(
                organisation=organisation, user=order.user, amount=order.total, by=None,
                method=methods[index % 3], order=order, pickup=order.pickup,
            )  # fmt: skip
        pickups = list(sale.pickups.select_related("organisation").order_by("starts_at", "pk"))
        self.past_duties(pickups, signed_at=then)  # done before closing: their défraiement
        for pickup in pickups:
            distribution.pickup_close(pickup=pickup, by=None, now=day + timedelta(hours=2))
        self.report.add("sales", 1)
