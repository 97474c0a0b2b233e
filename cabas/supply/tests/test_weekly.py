"""The supply team's weekly e-mail: once per week on the settings' weekday in the
organisation's time zone, to the supply team (else the coordinators), with the products
below their minimum and the orders to prepare; the clock is passed in."""

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from cabas.accounts.tests.factories import UserFactory
from cabas.notifications.models import OutboxMessage
from cabas.orgs.models import Membership, Organisation
from cabas.orgs.tests.factories import MembershipFactory
from cabas.supply import services
from cabas.supply.models import SupplySettings
from cabas.supply.tests.factories import ShopProductFactory, SupplierItemFactory
from cabas.supply.tests.ledger import Reason, at, move

# Monday 30 November 2026, 8:00 in Paris (ISO week 49).
MONDAY = datetime(2026, 11, 30, 7, tzinfo=UTC)


@pytest.fixture
def shop(world):
    org = world.org_a
    Organisation.objects.filter(pk=org.pk).update(kind=Organisation.Kind.COOPERATIVE)
    org.refresh_from_db()
    SupplySettings.objects.create(
        organisation=org, alert_weekday=1, sales_period_days=28, target_cover_days=14
    )
    flour = ShopProductFactory(
        organisation=org, producer=world.producer, name="Farine", stock_minimum=Decimal("3")
    )
    oil = ShopProductFactory(organisation=org, producer=world.producer, name="Huile")
    rice = ShopProductFactory(organisation=org, producer=world.producer, name="Riz")
    lonely = ShopProductFactory(organisation=org, producer=world.producer, name="Sel")
    biocoop = SupplierItemFactory(
        supplier__organisation=org, supplier__name="Biocoop Grossiste", product=flour
    ).supplier
    SupplierItemFactory(supplier=biocoop, product=oil)
    SupplierItemFactory(supplier__organisation=org, supplier__name="Rizerie", product=rice)
    move(flour, 1, Reason.RECEPTION, at(1))
    # Oil: 28 sold over the 28 days before Monday (1 a day), 10 left: < 14 days of cover.
    move(oil, 38, Reason.RECEPTION, at(1))
    move(oil, -28, Reason.ORDER_PLACED, at(15))
    # Rice: 28 sold too but 100 left (100 days). Salt: under cover but no supplier.
    move(rice, 128, Reason.RECEPTION, at(1))
    move(rice, -28, Reason.ORDER_PLACED, at(15))
    move(lonely, 30, Reason.RECEPTION, at(1))
    move(lonely, -28, Reason.ORDER_PLACED, at(15))
    # An order on Monday itself is not in the period (whole days before it).
    move(rice, -50, Reason.ORDER_PLACED, at(30, 8))
    return org


def _weekly(org):
    return OutboxMessage.objects.filter(key__startswith=f"supply-weekly:{org.pk}:")


def test_the_supply_team_gets_it_once_on_its_day(world, shop):
    report = services.supply_tick(now=MONDAY)
    assert report.as_dict() == {"weekly_emails": 1, "failed": []}
    message = _weekly(shop).get()
    supply_user = world.users["supply"]
    assert message.key == f"supply-weekly:{shop.pk}:2026-W49:{supply_user.pk}"
    assert message.to == supply_user.email
    assert message.subject == (
        "Approvisionnement — Collectif A : sous leur minimum 1, commandes à préparer 1"
    )
    assert "- Farine : stock 1, minimum 3" in message.body
    assert "- Biocoop Grossiste : 1 produit (Huile)" in message.body
    assert "Riz" not in message.body and "Sel" not in message.body
    assert f"/o/{shop.slug}/stock/" in message.body and f"/o/{shop.slug}/supply/" in message.body
    assert "semaine du 30 novembre 2026" in message.body
    assert SupplySettings.objects.get(organisation=shop).alert_last_week.isoformat() == "2026-11-30"
    # Again the same day, later that week, or on a retried task: nothing more.
    for later in (MONDAY, MONDAY + timedelta(hours=5), MONDAY + timedelta(days=6)):
        assert services.supply_tick(now=later).weekly_emails == 0
    assert _weekly(shop).count() == 1
    # The next Monday: the next week's e-mail.
    assert services.supply_tick(now=MONDAY + timedelta(days=7)).weekly_emails == 1
    assert _weekly(shop).count() == 2


def test_the_day_is_the_organisations(shop):
    # Sunday 23:30 UTC is Monday 0:30 in Paris; Monday 23:30 UTC is Tuesday there.
    assert services.supply_tick(now=datetime(2026, 11, 29, 22, 59, tzinfo=UTC)).weekly_emails == 0
    assert services.supply_tick(now=datetime(2026, 11, 29, 23, 30, tzinfo=UTC)).weekly_emails == 1


def test_other_weekday_setting(shop):
    SupplySettings.objects.filter(organisation=shop).update(alert_weekday=3)
    assert services.supply_tick(now=MONDAY).weekly_emails == 0
    assert services.supply_tick(now=MONDAY + timedelta(days=2)).weekly_emails == 1


def test_coordinators_when_there_is_no_supply_team(world, shop):
    Membership.objects.filter(organisation=shop, is_supply=True).update(is_supply=False)
    english = UserFactory(email="coordinator-en@example.org", language="en")
    MembershipFactory(organisation=shop, user=english, is_coordinator=True)
    services.supply_tick(now=MONDAY)
    messages = {m.to: m for m in _weekly(shop)}
    assert set(messages) == {world.users["coordinator"].email, english.email}
    assert messages[english.email].subject == (
        "Supply — Collectif A: below their minimum 1, orders to prepare 1"
    )


def test_nothing_to_say_claims_the_week_and_sends_nothing(shop):
    SupplySettings.objects.filter(organisation=shop).update(target_cover_days=1)
    from cabas.catalog.models import Product

    Product.objects.filter(organisation=shop).update(stock_minimum=None)
    assert services.supply_tick(now=MONDAY).weekly_emails == 0
    assert not _weekly(shop).exists()
    assert SupplySettings.objects.get(organisation=shop).alert_last_week is not None


def test_only_cooperatives_with_shop_stock(world, shop):
    Organisation.objects.filter(pk=shop.pk).update(kind=Organisation.Kind.COLLECTIVE)
    Organisation.objects.filter(pk=world.org_b.pk).update(kind=Organisation.Kind.COOPERATIVE)
    assert services.supply_tick(now=MONDAY).weekly_emails == 0
    assert not SupplySettings.objects.filter(organisation=world.org_b).exists()


def test_settings_are_made_when_missing(shop):
    SupplySettings.objects.filter(organisation=shop).delete()  # defaults: Monday
    assert services.supply_tick(now=MONDAY).weekly_emails == 1
    assert services.supply_tick(now=MONDAY).weekly_emails == 0


def test_one_organisations_error_does_not_stop_the_others(shop, monkeypatch):
    from cabas.supply.services import weekly

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(weekly, "weekly_digest", broken)
    assert services.supply_tick(now=MONDAY).as_dict() == {
        "weekly_emails": 0,
        "failed": [shop.slug],
    }
    assert SupplySettings.objects.get(organisation=shop).alert_last_week is None


def test_the_command_runs_the_sweep(shop, monkeypatch):
    from django.core.management import call_command

    from cabas.supply.services import weekly

    calls = []
    monkeypatch.setattr(
        services, "supply_tick", lambda now: calls.append(now) or weekly.SupplyTickReport()
    )
    call_command("supply_tick")
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite serialises writers: no real race to test"
)
def test_two_sweeps_at_once_send_it_once(world):
    org = world.org_a
    Organisation.objects.filter(pk=org.pk).update(kind=Organisation.Kind.COOPERATIVE)
    SupplySettings.objects.create(organisation=org, alert_weekday=1)
    product = ShopProductFactory(
        organisation=org, producer=world.producer, stock_minimum=Decimal("3")
    )
    move(product, 1, Reason.RECEPTION, at(1))
    barrier = threading.Barrier(4)
    results = []

    def sweep():
        try:
            barrier.wait()
            results.append(services.supply_tick(now=MONDAY).weekly_emails)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 0, 0, 1]
    assert _weekly(org).count() == 1
