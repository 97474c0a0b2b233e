"""The rush scenario, seeded with the real services: one producer collective (members only),
about 150 products of which 10 are "hot" (limited per sale, far below demand), an open sale
with 12 pickups of capacity-limited 15-minute slots, and members with API tokens.

Members, memberships and tokens are bulk-created (thousands of rows; the services would hash
a password and send e-mails for each): a token is stored exactly as ``token_create`` stores
it (the SHA-256 of the secret and its prefix), so the API authenticates it like any other.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cabas.accounts.models import User
from cabas.api.models import ApiToken
from cabas.api.services import hash_secret
from cabas.catalog import services as catalog_services
from cabas.catalog.models import Producer, Product
from cabas.orgs import services as org_services
from cabas.orgs.models import Membership, Organisation
from cabas.sales import services as sales_services
from cabas.sales.models import PickupPoint, Sale, SlotMode

SLUG = "bench"
PRODUCTS = 150
HOT_PRODUCTS = 10
HOT_STOCK = Decimal("30")  # per hot product and sale: demand is ten times that and more
SHOP_PRODUCTS = 5
SHOP_STOCK = Decimal("100000")
PICKUPS = 12
SLOTS_PER_PICKUP = 12  # 3 hours of 15-minute slots
SLOT_MINUTES = 15
SLOT_CAPACITY = 40  # 12 × 12 × 40 = 5,760 places per sale
PRODUCERS = 15
VILLAGES = [
    "Cordes-sur-Ciel", "Vaour", "Penne", "Bruniquel", "Castelnau-de-Montmiral", "Puycelsi",
    "Larroque", "Laguépie", "Saint-Antonin", "Monestiés", "Carmaux", "Gaillac",
]  # fmt: skip
CATEGORIES = [
    "vegetables-fresh", "vegetables-salad", "fruit-fresh", "dairy-cheese", "dairy-yoghurt",
    "meat-beef", "meat-pork", "eggs", "bakery-bread", "grocery-flour", "grocery-preserves",
    "drinks-beer", "drinks-juice", "hygiene-soap",
]  # fmt: skip
FIRST_NAMES = [
    "Anne",
    "Bruno",
    "Chloé",
    "David",
    "Élise",
    "Farid",
    "Gaëlle",
    "Hugo",
    "Inès",
    "Jules",
]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"]


@dataclass
class Member:
    user_id: int
    token: str


@dataclass
class Scenario:
    organisation: Organisation
    coordinator: User
    sale: Sale
    hot_product_ids: list[int]
    members: list[Member] = field(default_factory=list)


def _coordinator() -> User:
    return User.objects.create_user(
        email="coordinator@bench.invalid",
        password=secrets.token_urlsafe(16),
        first_name="Claire",
        last_name="Coordinatrice",
    )


def _catalog(organisation: Organisation, rng: random.Random) -> list[Product]:
    producers = [
        catalog_services.producer_create(
            organisation=organisation, name=f"Ferme {n + 1:02d}", email=f"farm{n + 1}@bench.invalid"
        )
        for n in range(PRODUCERS)
    ]
    products = []
    for n in range(PRODUCTS):
        fields: dict = {
            "name": f"Produit {n + 1:03d}",
            "category": CATEGORIES[n % len(CATEGORIES)],
            "price": Decimal(rng.randint(150, 1800)) / 100,
            "vat_rate": Decimal("20.00") if n % 14 == 13 else Decimal("5.50"),
        }
        if n < HOT_PRODUCTS:
            fields |= {"name": f"Très demandé {n + 1:02d}", "stock_mode": "per_sale",
                       "default_quantity_per_sale": HOT_STOCK}  # fmt: skip
        elif n < HOT_PRODUCTS + SHOP_PRODUCTS:
            fields |= {"stock_mode": "shop", "stock_quantity": SHOP_STOCK}
        elif n % 10 == 3:  # by weight, half-kilo steps
            fields |= {"unit_kind": "weight", "min_quantity": Decimal("0.5"),
                       "quantity_step": Decimal("0.5")}  # fmt: skip
        elif n % 10 == 7:  # a piece priced by weight (a chicken, a cheese)
            fields |= {"variable_weight": True, "price_per_kg": Decimal("14.50"),
                       "estimated_weight_kg": Decimal("1.200")}  # fmt: skip
        products.append(
            catalog_services.product_create(
                organisation=organisation, producer=producers[n % PRODUCERS], **fields
            )
        )
    return products


def pickup_points(organisation: Organisation) -> list[PickupPoint]:
    existing = list(PickupPoint.objects.filter(organisation=organisation).order_by("pk"))
    if existing:
        return existing
    return [
        sales_services.pickup_point_create(
            organisation=organisation,
            name=f"Salle des fêtes de {village}",
            address="Place",
            town=village,
        )  # fmt: skip
        for village in VILLAGES[:PICKUPS]
    ]


def sale_build(
    *, organisation: Organisation, title: str, day_offset: int, open_now: bool = True
) -> Sale:
    """An open sale (cutoff tomorrow) with a pickup of capacity-limited slots at each point,
    ``day_offset`` days from now (sales of one run use different days: pickups at one point
    must not overlap)."""
    now = timezone.now()
    sale = sales_services.sale_create(
        organisation=organisation,
        title=title,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )
    starts_at = (now + timedelta(days=day_offset)).replace(minute=0, second=0, microsecond=0)
    for point in pickup_points(organisation):
        sales_services.pickup_create(
            sale=sale,
            pickup_point=point,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=SLOT_MINUTES * SLOTS_PER_PICKUP),
            slot_mode=SlotMode.SLOTS,
            slot_minutes=SLOT_MINUTES,
            slot_capacity=SLOT_CAPACITY,
        )
    if open_now:
        sales_services.sale_open_now(sale=sale)
    sale.refresh_from_db()
    return sale


def users_create(prefix: str, count: int, rng: random.Random) -> list[int]:
    """``count`` people, bulk-created with one shared password hash; returns their ids."""
    password = make_password(secrets.token_urlsafe(16))
    users = [
        User(
            email=f"{prefix}-{n:06d}@bench.invalid",
            password=password,
            first_name=rng.choice(FIRST_NAMES),
            last_name=f"{rng.choice(LAST_NAMES)}-{n}",
        )
        for n in range(count)
    ]
    created = User.objects.bulk_create(users, batch_size=2000)
    return [user.pk for user in created]


def members_create(organisation: Organisation, count: int, rng: random.Random) -> list[Member]:
    """Active members with one API token each (the secret is kept for the load generator)."""
    user_ids = users_create("member", count, rng)
    Membership.objects.bulk_create(
        [
            Membership(organisation=organisation, user_id=user_id, status="active")
            for user_id in user_ids
        ],
        batch_size=2000,
    )
    members, tokens = [], []
    for user_id in user_ids:
        secret = secrets.token_urlsafe(32)
        members.append(Member(user_id=user_id, token=secret))
        tokens.append(
            ApiToken(user_id=user_id, name="bench", key_hash=hash_secret(secret), prefix=secret[:8])
        )
    ApiToken.objects.bulk_create(tokens, batch_size=2000)
    return members


def seed(*, members: int, seed: int = 8) -> Scenario:
    rng = random.Random(seed)
    coordinator = _coordinator()
    organisation = org_services.organisation_create(
        creator=coordinator,
        name="Collectif du banc d'essai",
        slug=SLUG,
        members_only=True,
        join_policy=Organisation.JoinPolicy.APPROVAL,
    )
    products = _catalog(organisation, rng)
    sale = sale_build(organisation=organisation, title="Vente de la ruée", day_offset=2)
    return Scenario(
        organisation=organisation,
        coordinator=coordinator,
        sale=sale,
        hot_product_ids=[product.pk for product in products[:HOT_PRODUCTS]],
        members=members_create(organisation, members, rng),
    )


def producers_of(organisation: Organisation) -> list[Producer]:
    return list(Producer.objects.filter(links__organisation=organisation).order_by("pk"))
