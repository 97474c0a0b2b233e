"""The demo: what `make run` shows a newcomer, loaded once, however often it runs."""

from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cabas.catalog.models import ProducerLink, Product
from cabas.demo.data import DEMO_PASSWORD
from cabas.demo.people import DEMO_LOGINS
from cabas.demo.seed import demo_seed
from cabas.orgs.models import Membership, Organisation
from cabas.sales.models import PickupPoint, Sale

# The demo is built around "now": its sales, cutoffs and orders differ by day and hour.
pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def _counts():
    return {
        "organisations": Organisation.objects.count(),
        "links": ProducerLink.objects.count(),
        "products": Product.objects.count(),
        "points": PickupPoint.objects.count(),
        "memberships": Membership.objects.count(),
        "sales": Sale.objects.count(),
    }


# long: one walk through the whole demo, as a newcomer meets it, checked once after one seed
def test_the_demo_has_the_collective_and_the_cooperative(settings):
    # The real password hasher, as make run uses it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    demo_seed()

    collective = Organisation.objects.get(slug="paniers-du-segala")
    links = ProducerLink.objects.filter(organisation=collective)
    assert links.count() == 15
    assert links.filter(status="temporary", end_date__isnull=False).count() == 2
    products = Product.objects.filter(organisation=collective)
    assert 140 <= products.count() <= 160
    assert products.filter(variable_weight=True, price_per_kg__isnull=False).exists()
    assert products.filter(quantity_step=Decimal("0.5")).exists()
    assert set(products.values_list("vat_rate", flat=True)) == {Decimal("5.50"), Decimal("20.00")}
    points = PickupPoint.objects.filter(organisation=collective)
    assert points.count() == 12
    assert not points.filter(latitude__isnull=True).exists()
    assert {"Cordes-sur-Ciel", "Gaillac", "Carmaux", "Rabastens"} <= set(
        points.values_list("town", flat=True)
    )
    assert points.filter(access_instructions__icontains="coffre").exists()
    assert Membership.objects.filter(organisation=collective, status="active").count() == 300
    assert Sale.objects.filter(organisation=collective, status="open").exists()

    coop = Organisation.objects.get(slug="epicerie-du-panier")
    assert coop.members_only and coop.kind == "cooperative"
    assert Membership.objects.filter(organisation=coop, status="active").count() == 200
    assert Product.objects.filter(organisation=coop, stock_mode="shop").count() >= 20
    assert Sale.objects.filter(organisation=coop, status="open").exists()

    for login in DEMO_LOGINS:
        assert authenticate(email=login.email, password=DEMO_PASSWORD) is not None, login.email
    double = Membership.objects.filter(user__email="double@example.org", status="active")
    assert double.count() == 2

    # A living shop: the collective's open sale already has orders, the demo member none.
    from cabas.orders.models import Order

    open_sale = Sale.objects.filter(organisation=collective, status="open").first()
    assert Order.objects.filter(sale=open_sale).count() >= 50
    assert not Order.objects.filter(user__email="membre@segala.example.org").exists()
    # and a closed sale ready for distribution day, its pickups not closed yet
    ready = Sale.objects.get(organisation=collective, title="Distribution du jour (démo)")
    assert ready.status == "closed" and ready.pickups.filter(closed_at__isnull=True).count() == 3
    assert Order.objects.filter(sale=ready).count() >= 30
    # its note announces car-boot pickup: one of its points has it, with orders to announce
    assert Order.objects.filter(sale=ready, pickup__pickup_point__car_boot_pickup=True).exists()

    # Money: fees paid this year by most, expired for some; shares in the coop; a distributed
    # sale whose orders are paid.
    from cabas.money import selectors as money
    from cabas.money.models import AccountEntry, ShareMovement

    statuses = [
        money.membership_status(membership=m)
        for m in Membership.objects.filter(organisation=collective).select_related("organisation")
    ]
    assert statuses.count("expired") >= 20 and statuses.count("active") >= 250
    assert ShareMovement.objects.filter(organisation=coop).count() >= 150
    done = Sale.objects.get(organisation=collective, title="Vente de la semaine dernière (démo)")
    assert done.status == "distributed"
    assert AccountEntry.objects.filter(order__sale=done, kind="payment").count() >= 20
    member = Membership.objects.get(organisation=coop, user__email="membre@panier.example.org")
    assert money.membership_status(membership=member) == "active"


def test_the_demo_seed_is_idempotent_and_its_queries_are_bounded(django_assert_max_num_queries):
    from cabas.orders.models import Order

    with CaptureQueriesContext(connection) as seeding:
        demo_seed()
    first = _counts()
    # How many orders the demo places depends on the day (how many sales are open): the
    # budget is a fixed part (catalog, members, sales, fees and shares in bulk) plus a part
    # per order, placed one at a time through the real service. Measured over the clock sweep:
    # 3,569-3,644 queries for 134-136 orders, 4,698 for 196 (about 1,250 + 18 per order).
    orders = Order.objects.count()
    assert orders >= 80
    assert len(seeding.captured_queries) <= 1_300 + 20 * orders, (
        f"{len(seeding.captured_queries)} queries for {orders} orders"
    )

    with django_assert_max_num_queries(45):
        report = demo_seed()

    assert _counts() == first
    assert not any(report.created.values())


def test_demo_logins_prints_every_login(capsys):
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    assert all(login.email in out for login in DEMO_LOGINS)
