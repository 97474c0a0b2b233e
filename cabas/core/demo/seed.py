"""Load the demo: a producer collective in the Tarn and a members-only grocery in Marseille.

Idempotent: every row has a natural key (slug, e-mail, reference, name within the
organisation) and only what is missing is created, in bulk. Sales, pickups and slots come from
the sales services (a weekly schedule and the drive hours), exactly as a coordinator would set
them up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cabas.accounts.models import User
from cabas.catalog.models import Producer, ProducerLink, Product
from cabas.orgs.models import Membership, Organisation
from cabas.sales import services as sales_services
from cabas.sales.models import Drive, PickupPoint, Schedule

from . import data

COLLECTIVE_DOMAIN = "segala.example.org"
COOP_DOMAIN = "panier.example.org"
COLLECTIVE_MEMBERS = 300
COOP_MEMBERS = 200
SCHEDULE_NAME = "Vente du vendredi"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    organisation: str


DEMO_LOGINS = [
    DemoLogin(f"coordination@{COLLECTIVE_DOMAIN}", "coordinator", data.COLLECTIVE["name"]),
    DemoLogin(f"membre@{COLLECTIVE_DOMAIN}", "member", data.COLLECTIVE["name"]),
    DemoLogin(
        f"producteur@{COLLECTIVE_DOMAIN}", "producer (Chèvrerie du Cérou)", data.COLLECTIVE["name"]
    ),
    DemoLogin(f"benevole@{COLLECTIVE_DOMAIN}", "volunteer", data.COLLECTIVE["name"]),
    DemoLogin(f"coordination@{COOP_DOMAIN}", "coordinator", data.COOPERATIVE["name"]),
    DemoLogin(f"membre@{COOP_DOMAIN}", "member", data.COOPERATIVE["name"]),
    DemoLogin("double@example.org", "member of both (organisation switcher)", "both"),
    DemoLogin("admin@example.org", "superuser (/admin/)", "—"),
]


@dataclass
class Person:
    email: str
    first_name: str
    last_name: str
    phone: str
    is_coordinator: bool = False
    is_volunteer: bool = False
    producer: Producer | None = None


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int) -> None:
        self.created[what] = self.created.get(what, 0) + count


def _people(domain: str, count: int, offset: int) -> list[Person]:
    """``count`` invented members with stable e-mails (same list at every run)."""
    people = []
    firsts, lasts = data.FIRST_NAMES, data.LAST_NAMES
    for index in range(count):
        first = firsts[(index + offset) % len(firsts)]
        last = lasts[(index * 7 + offset) % len(lasts)]
        email = f"{slugify(first)}.{slugify(last)}.{index + 1}@{domain}"
        phone = f"06 {(index // 100) % 100:02d} {index % 100:02d} {offset % 100:02d} 81"
        people.append(Person(email, first, last, phone))
    return people


class DemoSeed:
    def __init__(self, *, now: datetime | None = None):
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.password = make_password(data.DEMO_PASSWORD)  # hashed once, shared by all
        self.report = SeedReport()

    # -- helpers ----------------------------------------------------------------------------

    def organisation(self, spec: dict) -> Organisation:
        organisation, created = Organisation.objects.get_or_create(
            slug=spec["slug"], defaults={k: v for k, v in spec.items() if k != "slug"}
        )
        self.report.add("organisations", int(created))
        return organisation

    def users(self, people: list[Person]) -> dict[str, User]:
        emails = [p.email for p in people]
        existing = {u.email: u for u in User.objects.filter(email__in=emails)}
        new = [
            User(
                email=p.email,
                first_name=p.first_name,
                last_name=p.last_name,
                phone=p.phone,
                password=self.password,
                language="fr",
            )
            for p in people
            if p.email not in existing
        ]
        User.objects.bulk_create(new, batch_size=500)
        self.report.add("users", len(new))
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        verified = set(
            EmailAddress.objects.filter(email__in=emails).values_list("email", flat=True)
        )
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=users[e], email=e, verified=True, primary=True)
                for e in emails
                if e not in verified
            ],
            batch_size=500,
        )
        return users

    def memberships(self, organisation: Organisation, people: list[Person]) -> None:
        users = self.users(people)
        existing = set(
            Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True)
        )
        new = [
            Membership(
                organisation=organisation,
                user=users[p.email],
                status=Membership.Status.ACTIVE,
                is_coordinator=p.is_coordinator,
                is_volunteer=p.is_volunteer,
                is_producer=p.producer is not None,
                producer=p.producer,
            )
            for p in people
            if users[p.email].pk not in existing
        ]
        Membership.objects.bulk_create(new, batch_size=500)
        self.report.add("memberships", len(new))

    def producers(self, organisation, specs, *, prefix: str) -> list[Producer]:
        """Producers with their link to the organisation and their products."""
        linked = {
            link.producer.name: link.producer
            for link in ProducerLink.objects.filter(organisation=organisation).select_related(
                "producer"
            )
        }
        known_refs = set(
            Product.objects.filter(organisation=organisation).values_list("reference", flat=True)
        )
        producers, products = [], []
        for index, spec in enumerate(specs, start=1):
            name, legal_name, village, lat, lon, organic, temporary, description, rows = spec
            producer = linked.get(name)
            if producer is None:
                producer = Producer.objects.create(
                    name=name,
                    legal_name=legal_name,
                    description=description,
                    address=f"{village}, Tarn" if lat else "",
                    latitude=Decimal(lat) if lat else None,
                    longitude=Decimal(lon) if lon else None,
                    is_organic=organic,
                    email=f"{slugify(name)}@producteurs.example.org",
                )
                ProducerLink.objects.create(
                    organisation=organisation,
                    producer=producer,
                    status="temporary" if temporary else "active",
                    end_date=self.today + timedelta(days=28) if temporary else None,
                )
                self.report.add("producers", 1)
            producers.append(producer)
            rows = list(rows) + list(data.MORE_PRODUCTS.get(name, []))
            for number, row in enumerate(rows, start=1):
                reference = f"{prefix}-{index:02d}-{number:02d}"
                if reference not in known_refs:
                    products.append(self.product(organisation, producer, reference, row, organic))
        Product.objects.bulk_create(products, batch_size=500)
        self.report.add("products", len(products))
        return producers

    @staticmethod
    def product(organisation, producer, reference, row, organic) -> Product:
        name, category, unit_kind, unit_label, price, vat, options = row
        step = options.get("weight_step", Decimal("1"))
        product = Product(
            organisation=organisation,
            producer=producer,
            reference=reference,
            name=name,
            category=category,
            unit_kind=unit_kind,
            unit_label=unit_label,
            price=price,
            vat_rate=Decimal(vat),
            quantity_step=step,
            min_quantity=step,
            is_organic=organic,
            is_local=True,
        )
        if "per_kg" in options:
            product.variable_weight = True
            product.price_per_kg = options["per_kg"]
            product.estimated_weight_kg = options["estimated"]
        if "limit" in options:
            product.stock_mode = Product.StockMode.PER_SALE
            product.default_quantity_per_sale = Decimal(options["limit"])
        if "stock" in options:
            product.stock_mode = Product.StockMode.SHOP
            product.stock_quantity = Decimal(options["stock"])
        return product

    def pickup_point(self, organisation, spec) -> PickupPoint:
        name, town, postcode, lat, lon, place, instructions = spec
        point = PickupPoint.objects.filter(organisation=organisation, name=name).first()
        if point is None:
            point = sales_services.pickup_point_create(
                organisation=organisation,
                name=name,
                address=place,
                postcode=postcode,
                town=town,
                latitude=Decimal(lat),
                longitude=Decimal(lon),
                access_instructions=instructions,
            )
            self.report.add("pickup points", 1)
        return point

    # -- the two organisations --------------------------------------------------------------

    def collective(self) -> Organisation:
        organisation = self.organisation(data.COLLECTIVE)
        producers = self.producers(organisation, data.PRODUCERS, prefix="SEG")
        points = [self.pickup_point(organisation, spec) for spec in data.PICKUP_POINTS]

        team = [
            Person(
                f"coordination@{COLLECTIVE_DOMAIN}",
                "Hélène",
                "Cabrol",
                "06 81 00 00 01",
                is_coordinator=True,
            ),
            Person(
                f"coordination2@{COLLECTIVE_DOMAIN}",
                "Mathieu",
                "Bousquet",
                "06 81 00 00 02",
                is_coordinator=True,
            ),
            Person(f"membre@{COLLECTIVE_DOMAIN}", "Camille", "Durand", "06 81 00 00 03"),
            Person(
                f"benevole@{COLLECTIVE_DOMAIN}",
                "Julien",
                "Vidal",
                "06 81 00 00 04",
                is_volunteer=True,
            ),
            Person("double@example.org", "Sophie", "Marty", "06 81 00 00 05"),
        ]
        team += [
            Person(
                f"benevole{n}@{COLLECTIVE_DOMAIN}",
                data.FIRST_NAMES[n],
                data.LAST_NAMES[n],
                f"06 81 00 01 {n:02d}",
                is_volunteer=True,
            )
            for n in range(2, 7)
        ]
        team.append(
            Person(
                f"producteur@{COLLECTIVE_DOMAIN}",
                "Marc",
                "Rouquette",
                "06 81 00 02 01",
                producer=producers[0],
            )
        )
        team += [
            Person(
                f"producteur{n}@{COLLECTIVE_DOMAIN}",
                data.FIRST_NAMES[n + 10],
                data.LAST_NAMES[n + 5],
                f"06 81 00 02 {n:02d}",
                producer=producer,
            )
            for n, producer in enumerate(producers[1:], start=2)
        ]
        others = _people(COLLECTIVE_DOMAIN, COLLECTIVE_MEMBERS - len(team), offset=0)
        self.memberships(organisation, team + others)

        if not Schedule.objects.filter(organisation=organisation, name=SCHEDULE_NAME).exists():
            monday = self.today - timedelta(days=self.today.weekday())
            sales_services.schedule_create(
                organisation=organisation,
                name=SCHEDULE_NAME,
                first_week=monday,
                pickups=[
                    sales_services.SchedulePickupSpec(
                        pickup_point=point,
                        weekday=4,  # Friday
                        starts_time=time(17, 0),
                        ends_time=time(19, 0),
                        slot_minutes=15,
                        slot_capacity=6,
                    )
                    for point in points
                ],
                # Open 9 days before the Friday pickup, so that a sale is always open.
                opens_days_before=9,
                opens_time=time(8, 0),
                closes_days_before=2,
                closes_time=time(20, 0),
                weeks_ahead=4,
                note_to_members="Pensez à vos sacs et à vos boîtes à œufs !",
                now=self.now,
            )
            self.report.add("schedules", 1)
        return organisation

    def cooperative(self) -> Organisation:
        organisation = self.organisation(data.COOPERATIVE)
        suppliers = [
            (name, legal, "", "", "", False, False, description, rows)
            for name, legal, description, rows in data.COOP_SUPPLIERS
        ]
        self.producers(organisation, suppliers, prefix="PAN")
        shop = self.pickup_point(organisation, data.COOP_POINT)
        team = [
            Person(
                f"coordination@{COOP_DOMAIN}",
                "Karim",
                "Benali",
                "06 13 00 00 01",
                is_coordinator=True,
            ),
            Person(f"membre@{COOP_DOMAIN}", "Inès", "Faure", "06 13 00 00 02"),
            Person("double@example.org", "Sophie", "Marty", "06 81 00 00 05"),
        ]
        team += [
            Person(
                f"benevole{n}@{COOP_DOMAIN}",
                data.FIRST_NAMES[n + 20],
                data.LAST_NAMES[n],
                f"06 13 00 01 {n:02d}",
                is_volunteer=True,
            )
            for n in range(1, 5)
        ]
        others = _people(COOP_DOMAIN, COOP_MEMBERS - len(team), offset=13)
        self.memberships(organisation, team + others)

        if not Drive.objects.filter(organisation=organisation).exists():
            evening = [(time(15, 45), time(18, 15)), (time(18, 30), time(21, 0))]
            sales_services.drive_save(
                organisation=organisation,
                hours={
                    3: evening,  # Thursday
                    4: evening,  # Friday
                    5: [(time(10, 15), time(12, 45)), (time(13, 0), time(15, 30))],  # Saturday
                },
                pickup_point=shop,
                slot_minutes=15,
                slot_capacity=5,
                lead_time_minutes=120,
                days_ahead=7,
                name="Drive de l'épicerie",
                now=self.now,
            )
            self.report.add("drives", 1)
        return organisation

    def _members(self, organisation: Organisation, count: int, skip: set[str]) -> list[User]:
        return list(
            User.objects.filter(
                memberships__organisation=organisation,
                memberships__status=Membership.Status.ACTIVE,
            )
            .exclude(email__in=skip)
            .order_by("email")[:count]
        )

    def orders(self, organisation: Organisation, *, count: int, skip: set[str]) -> None:
        """Orders already placed in each open sale (once), so the shop looks alive: ``count``
        members, 2 to 5 products each, spread over the slots; nobody in ``skip`` (the demo
        logins order for themselves)."""
        from cabas.orders import selectors as order_selectors
        from cabas.orders.models import Order

        members = self._members(organisation, count, skip)
        for sale in order_selectors.open_sales(organisation=organisation, now=self.now):
            if not Order.objects.filter(sale=sale).exists():
                self._orders_in(sale, members)

    def _orders_in(self, sale, members: list[User]) -> None:
        from random import Random

        from cabas.core.errors import DomainError
        from cabas.orders import selectors as order_selectors
        from cabas.orders import services as order_services
        from cabas.sales.models import SaleItem

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

    def distribution_day(self, organisation: Organisation, *, skip: set[str]) -> None:
        """A sale whose orders are closed, with pickups starting within two hours at three
        points, ready for distribution day (check-in, weighing, lists)."""
        from cabas.sales.models import Sale, SlotMode

        title = "Distribution du jour (démo)"
        if Sale.objects.filter(organisation=organisation, title=title).exists():
            return
        start = (self.now + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
        sale = sales_services.sale_create(
            organisation=organisation, title=title, opens_at=self.now - timedelta(days=3),
            closes_at=start - timedelta(minutes=30),
            note_to_members="Retrait au coffre possible : prévenez-nous de votre arrivée.",
        )  # fmt: skip
        points = PickupPoint.objects.filter(organisation=organisation).order_by("name")[:3]
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

    def memberships_money(
        self, organisation: Organisation, *, fee: Decimal, expired: int, shares: bool = False
    ) -> None:
        """Membership fees (this year paid by most, last year only for ``expired`` of them),
        and for a cooperative, 2 to 5 shares of 10 € paid by cheque. Once. Written in bulk
        (a few queries for hundreds of members), with exactly the periods and entries the
        money services would write."""
        from cabas.core.money import round_money
        from cabas.money import services as money_services
        from cabas.money.models import AccountEntry, MembershipPeriod, ShareMovement

        if MembershipPeriod.objects.filter(organisation=organisation).exists():
            return
        settings = money_services.money_settings_update(
            organisation=organisation, membership_fee=fee, renewal_month=9, renewal_day=1,
            share_price=Decimal("10.00") if shares else None, shares_minimum=2 if shares else 0,
            commission_percent=Decimal("8.00"), cash_float=Decimal("50.00"),
        )  # fmt: skip
        memberships = list(
            Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE)
            .select_related("user")
            .order_by("user__email")
        )
        every = max(len(memberships) // max(expired, 1), 1)
        last_year = self.today.replace(year=self.today.year - 1)
        periods, movements = [], []
        for index, membership in enumerate(memberships):
            is_demo_login = membership.user.email.split("@")[0] in ("membre", "coordination")
            lapsed = expired and index % every == 1 and not is_demo_login
            start, end = money_services.period_bounds(settings, last_year if lapsed else self.today)
            periods.append(
                MembershipPeriod(
                    organisation=organisation,
                    membership=membership,
                    starts_on=start,
                    ends_on=end,
                    fee=fee,
                    paid_at=self.now,
                )  # fmt: skip
            )
            if shares:
                movements.append(
                    ShareMovement(
                        organisation=organisation,
                        user=membership.user,
                        kind=ShareMovement.Kind.SUBSCRIPTION,
                        quantity=2 + index % 4,
                        unit_price=settings.share_price,
                        on=self.today,
                    )  # fmt: skip
                )
        MembershipPeriod.objects.bulk_create(periods)
        ShareMovement.objects.bulk_create(movements)
        periods = MembershipPeriod.objects.filter(organisation=organisation).select_related(
            "membership"
        )
        entries = []
        for index, period in enumerate(periods.order_by("pk")):
            user_id = period.membership.user_id
            method = ("cash", "cheque", "transfer")[index % 3]
            entries += [
                AccountEntry(organisation=organisation, user_id=user_id, kind="membership",
                             amount=-fee, membership_period=period),
                AccountEntry(organisation=organisation, user_id=user_id, kind="payment",
                             amount=fee, method=method),
            ]  # fmt: skip
        for movement in ShareMovement.objects.filter(organisation=organisation):
            value = round_money(movement.unit_price * movement.quantity)
            entries += [
                AccountEntry(organisation=organisation, user_id=movement.user_id, kind="shares",
                             amount=-value, share_movement=movement),
                AccountEntry(organisation=organisation, user_id=movement.user_id, kind="payment",
                             amount=value, method="cheque"),
            ]  # fmt: skip
        AccountEntry.objects.bulk_create(entries)
        self.report.add("membership years", len(periods))

    def distributed_sale(self, organisation: Organisation, *, skip: set[str]) -> None:
        """Last week's sale, distributed: orders collected (two no-shows), paid at the pickup
        in cash, cheque or card, the pickups closed, the amounts on the members' accounts."""
        from cabas.distribution import services as distribution
        from cabas.money import services as money_services
        from cabas.orders import services as order_services
        from cabas.orders.models import Order
        from cabas.sales.models import Sale, SlotMode

        title = "Vente de la semaine dernière (démo)"
        if Sale.objects.filter(organisation=organisation, title=title).exists():
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
        for pickup in sale.pickups.all():
            distribution.pickup_close(pickup=pickup, by=None, now=day + timedelta(hours=2))
        self.report.add("sales", 1)

    def admin(self) -> None:
        if not User.objects.filter(email="admin@example.org").exists():
            User.objects.create(
                email="admin@example.org",
                first_name="Admin",
                last_name="Cabas",
                password=self.password,
                is_staff=True,
                is_superuser=True,
            )
            EmailAddress.objects.get_or_create(
                email="admin@example.org",
                defaults={
                    "user": User.objects.get(email="admin@example.org"),
                    "verified": True,
                    "primary": True,
                },
            )
            self.report.add("users", 1)


@transaction.atomic
def demo_seed(*, now: datetime | None = None) -> SeedReport:
    """Create what is missing of the demo; running it again changes nothing."""
    seed = DemoSeed(now=now)
    collective = seed.collective()
    cooperative = seed.cooperative()
    seed.admin()
    logins = {f"membre@{COLLECTIVE_DOMAIN}", f"membre@{COOP_DOMAIN}", "double@example.org"}
    seed.orders(collective, count=60, skip=logins)
    seed.distribution_day(collective, skip=logins)
    seed.distributed_sale(collective, skip=logins)
    seed.memberships_money(collective, fee=Decimal("10.00"), expired=30)
    seed.memberships_money(cooperative, fee=Decimal("15.00"), expired=12, shares=True)
    seed.orders(cooperative, count=3, skip=logins)
    return seed.report
