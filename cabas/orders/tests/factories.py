"""An open sale ready to take orders, built with the real services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from cabas.accounts.tests.factories import UserFactory
from cabas.catalog.models import Product
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.orders.models import OrderLine
from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales import services as sales_services
from cabas.sales.models import Pickup, Sale, SaleItem, Slot, SlotMode
from cabas.sales.tests.factories import PickupPointFactory


@dataclass
class Shop:
    organisation: object
    sale: Sale
    pickup: Pickup  # with slots
    slots: list[Slot]
    open_pickup: Pickup  # without slots, unlimited
    products: dict[str, Product] = field(default_factory=dict)

    def item(self, name: str) -> SaleItem:
        return SaleItem.objects.get(sale=self.sale, product=self.products[name])

    def member(self, **kwargs):
        """A new active member of the organisation."""
        user = UserFactory(**kwargs)
        MembershipFactory(
            organisation=self.organisation, user=user, status=Membership.Status.ACTIVE
        )
        return user


# long: the whole shop most order tests start from, built in one place on purpose
def open_shop(
    *,
    organisation=None,
    slot_capacity: int = 5,
    slots: int = 4,
    cheese_stock: Decimal = Decimal("5"),
    extra_products: int = 0,
) -> Shop:
    """An open sale with: bread (unlimited, per piece), cheese (limited per sale to
    ``cheese_stock``), tomatoes (by weight, 0.5 kg steps), chicken (variable weight), soap (shop
    stock 10); one pickup with ``slots`` slots of ``slot_capacity`` places, one without slots."""
    organisation = organisation or OrganisationFactory()
    producer = ProducerFactory(name="Ferme du Cérou")
    ProducerLinkFactory(organisation=organisation, producer=producer)
    common = {"organisation": organisation, "producer": producer}
    products = {
        "bread": ProductFactory(**common, name="Pain de campagne", price=Decimal("4.20"),
                                category="bakery-bread"),
        "cheese": ProductFactory(**common, name="Tomme", price=Decimal("6.50"),
                                 category="dairy-cheese", stock_mode="per_sale",
                                 default_quantity_per_sale=cheese_stock),
        "tomatoes": ProductFactory(**common, name="Tomates", price=Decimal("4.00"),
                                   unit_kind="weight", min_quantity=Decimal("0.5"),
                                   quantity_step=Decimal("0.5")),
        "chicken": ProductFactory(**common, name="Poulet", price=Decimal("18.00"),
                                  category="meat-poultry", variable_weight=True,
                                  price_per_kg=Decimal("11.90"),
                                  estimated_weight_kg=Decimal("1.600")),
        "soap": ProductFactory(**common, name="Savon", price=Decimal("5.00"),
                               vat_rate=Decimal("20"), category="hygiene-soap", stock_mode="shop",
                               stock_quantity=Decimal("10")),
    }  # fmt: skip
    for n in range(extra_products):
        products[f"extra{n}"] = ProductFactory(**common, name=f"Légume {n:04d}")
    now = timezone.now()
    sale = sales_services.sale_create(
        organisation=organisation,
        title="Vente du vendredi",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )
    pickup = sales_services.pickup_create(
        sale=sale,
        pickup_point=PickupPointFactory(
            organisation=organisation, access_instructions="Retrait au coffre, parking de la mairie"
        ),
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, minutes=15 * slots),
        slot_mode=SlotMode.SLOTS,
        slot_minutes=15,
        slot_capacity=slot_capacity,
    )
    open_pickup = sales_services.pickup_create(
        sale=sale,
        pickup_point=PickupPointFactory(organisation=organisation),
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
        slot_mode=SlotMode.UNLIMITED,
    )
    sales_services.sale_open_now(sale=sale)
    sale.refresh_from_db()
    return Shop(
        organisation=organisation,
        sale=sale,
        pickup=pickup,
        slots=list(pickup.slots.order_by("starts_at")),
        open_pickup=open_pickup,
        products=products,
    )


# Keyword arguments of URLs for the permission matrix (cabas/core/tests/matrix.py): objects of
# the world's organisation A, shared by the rows of every app that needs a sale, a pickup or
# an order.


def sale_kwargs(world) -> dict:
    return {"slug": world.org_a.slug, "sale_id": open_shop(organisation=world.org_a).sale.pk}


def pickup_kwargs(world) -> dict:
    """A pickup with slots."""
    return {"slug": world.org_a.slug, "pickup_id": open_shop(organisation=world.org_a).pickup.pk}


def members_order_kwargs(world) -> dict:
    """An order of the member persona (nobody else may see it)."""
    from cabas.orders import services

    shop = open_shop(organisation=world.org_a)
    order = services.order_place(
        user=world.users["member"], sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
        lines=[(shop.products["bread"].pk, Decimal(1))],
    )  # fmt: skip
    return {"slug": world.org_a.slug, "code": order.code}


def line_of(order, name):
    """The line of ``order`` for the product named ``name``."""
    return OrderLine.objects.get(order=order, product_name=name)


def distribution_day():
    """A closed sale with three orders at the slotted pickup, and a volunteer (the shop's
    ``orders`` and ``volunteer``)."""
    from cabas.orders import services

    shop = open_shop()
    orders = [
        services.order_place(
            user=shop.member(), sale=shop.sale, pickup_id=shop.pickup.pk,
            slot_id=shop.slots[index].pk,
            lines=[(shop.products[name].pk, Decimal(q)) for name, q in lines],
        )
        for index, lines in enumerate([
            [("chicken", 2), ("bread", 1)],
            [("cheese", 2), ("bread", 2)],
            [("cheese", 1), ("tomatoes", "1.5")],
        ])
    ]  # fmt: skip
    sales_services.sale_close_now(sale=shop.sale)
    volunteer = shop.member(first_name="Julien")
    Membership.objects.filter(user=volunteer).update(is_volunteer=True)
    shop.orders, shop.volunteer = orders, volunteer
    return shop
