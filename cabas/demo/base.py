"""The demo's building blocks: organisations, people, producers with their products and pickup
points, each created only when missing (natural keys), in bulk."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from cabas.accounts.models import User
from cabas.catalog.models import Producer, ProducerLink, Product
from cabas.catalog.services import product_search_text, stock_openings_record
from cabas.catalog.units import content_fields
from cabas.orgs.models import Membership, Organisation
from cabas.sales import services as sales_services
from cabas.sales.models import PickupPoint

from . import data
from .people import Person, SeedReport


class SeedBase:
    def __init__(self, *, now: datetime | None = None):
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.password = make_password(data.DEMO_PASSWORD)  # hashed once, shared by all
        self.report = SeedReport()

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
                is_supply=p.is_supply,
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
        stock_openings_record(products=products)  # the shop stock's ledger starts with them
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
        if unit_kind == Product.UnitKind.PIECE:
            for name, value in content_fields(unit_label).items():
                setattr(product, name, value)
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
        product.search_text = product_search_text(product)
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
                car_boot_pickup=name in data.CAR_BOOT_POINTS,
            )
            self.report.add("pickup points", 1)
        return point

    def _members(self, organisation: Organisation, count: int, skip: set[str]) -> list[User]:
        return list(
            User.objects.filter(
                memberships__organisation=organisation,
                memberships__status=Membership.Status.ACTIVE,
            )
            .exclude(email__in=skip)
            .order_by("email")[:count]
        )

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
