"""Défraiement: credited to the people who held a pickup's duties when it closes (producers,
or everyone), per run or per hour, once; and shown apart from the sales in the payouts."""

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.distribution import services as distribution
from cabas.money import reports as money_reports
from cabas.money import services as money_services
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales import services as sales_services
from cabas.work import services
from cabas.work.models import DutyCompensation, WorkSettings
from cabas.work.tests.duty_helpers import duty_at, put_on

pytestmark = pytest.mark.django_db
D = Decimal


class Day:
    pass


@pytest.fixture
def day():
    """A closed sale: two orders (bread of the Ferme du Cérou, honey of the Miellerie) at the
    pickup without slots; two producers' people, a volunteer and a coordinator."""
    organisation = OrganisationFactory()
    honey_farm = ProducerFactory(name="Miellerie des Causses")
    ProducerLinkFactory(organisation=organisation, producer=honey_farm)
    honey = ProductFactory(organisation=organisation, producer=honey_farm, name="Miel",
                           price=D("123.45"), vat_rate=D("5.50"))  # fmt: skip
    shop = open_shop(organisation=organisation)
    money_services.money_settings_update(organisation=organisation, commission_percent=D("8"))
    orders = [
        order_services.order_place(
            user=shop.member(),
            sale=shop.sale,
            pickup_id=shop.open_pickup.pk,
            slot_id=None,
            lines=[(product.pk, D(quantity))],
        )  # fmt: skip
        for product, quantity in ((shop.products["bread"], 2), (honey, 1))
    ]
    sales_services.sale_close_now(sale=shop.sale)
    day = Day()
    day.shop, day.organisation, day.pickup, day.orders = (
        shop,
        organisation,
        shop.open_pickup,
        orders,
    )
    cerou = shop.products["bread"].producer

    def person(first_name, **roles):
        user = shop.member(first_name=first_name)
        Membership.objects.filter(user=user, organisation=organisation).update(**roles)
        return Membership.objects.get(user=user, organisation=organisation)

    day.cerou, day.honey_farm = cerou, honey_farm
    day.paul = person("Paul", is_producer=True, producer=cerou)
    day.mia = person("Mia", is_producer=True, producer=honey_farm)
    day.vera = person("Véra", is_volunteer=True)
    day.coordinator = person("Coline", is_coordinator=True)
    return day


def _settings(day, compensation, amount, compensation_for="producers"):
    WorkSettings.objects.update_or_create(
        organisation=day.organisation,
        defaults={"compensation": compensation, "compensation_amount": D(amount),
                  "compensation_for": compensation_for},
    )  # fmt: skip


def _close(day):
    for order in day.orders:
        order_services.order_set_status(order=order, status="collected", by=day.coordinator.user)
    distribution.pickup_close(pickup=day.pickup, by=day.coordinator.user)


def _credited(day):
    return {
        c.membership.user.first_name: (c.hours, c.amount, c.producer_id, c.rule)
        for c in DutyCompensation.objects.filter(pickup=day.pickup).select_related(
            "membership__user"
        )
    }


def _duties(day):
    """Paul 2 h + 30 min, Mia 1 h 30 (in Véra's place on the day), Véra's other duty 2 h;
    Coline absent (excused) from the 30 min duty."""
    by = day.coordinator.user
    start = day.pickup.starts_at
    setup, welcome = duty_at(day.pickup, hours=2, places=2), duty_at(day.pickup, hours=1.5)
    tidy = duty_at(day.pickup, hours=0.5, places=3, start=start + timedelta(hours=2))
    put_on(setup, day.paul, by=by, attendance="present")
    put_on(setup, day.vera, by=by)  # attendance not recorded: she held the place
    put_on(welcome, day.vera, by=by, attendance="replaced", substitute=day.mia)
    put_on(tidy, day.paul, by=by)
    put_on(tidy, day.coordinator, by=by, attendance="excused")


def test_per_hour_the_producers_on_duty_get_the_amount_times_their_hours(day):
    _settings(day, "per_hour", "12.50")
    _duties(day)

    _close(day)

    # Paul 2.5 h × 12.50 = 31.25; Mia 1.5 h × 12.50 = 18.75; Véra is no producer.
    assert _credited(day) == {
        "Paul": (D("2.50"), D("31.25"), day.cerou.pk, "per_hour"),
        "Mia": (D("1.50"), D("18.75"), day.honey_farm.pk, "per_hour"),
    }


def test_per_run_everyone_on_duty_gets_the_amount_once(day):
    _settings(day, "per_run", "20", compensation_for="everyone")
    _duties(day)

    _close(day)

    assert _credited(day) == {
        "Paul": (D("2.50"), D("20.00"), day.cerou.pk, "per_run"),
        "Mia": (D("1.50"), D("20.00"), day.honey_farm.pk, "per_run"),
        "Véra": (D("2.00"), D("20.00"), None, "per_run"),  # her replaced duty is Mia's
    }


def test_per_hour_is_rounded_half_up_to_the_cent(day):
    _settings(day, "per_hour", "0.25")
    put_on(duty_at(day.pickup, hours=0.5), day.paul, by=day.coordinator.user)  # 0.125

    _close(day)

    assert _credited(day)["Paul"][1] == D("0.13")


def test_crediting_again_credits_nothing_twice(day):
    _settings(day, "per_run", "20")
    _duties(day)
    _close(day)

    again = services.pickup_compensations_credit(pickup=day.pickup, now=day.pickup.ends_at)

    assert again == []
    assert DutyCompensation.objects.filter(pickup=day.pickup).count() == 2


@pytest.mark.parametrize(("compensation", "amount"), [("none", "20"), ("per_run", "0")])
def test_without_a_défraiement_nothing_is_credited(day, compensation, amount):
    _settings(day, compensation, amount)
    _duties(day)

    _close(day)

    assert not DutyCompensation.objects.exists()


def test_the_payouts_list_the_défraiements_apart_from_the_sales(day, client):
    _settings(day, "per_hour", "12.50")
    _duties(day)
    _close(day)

    payouts = money_reports.producer_payouts(sale=day.shop.sale)

    # By hand: bread 2 × 4.20 = 8.40, commission 8 % = 0.67, owed 7.73; honey 123.45,
    # commission 9.876 → 9.88, owed 113.57; défraiements 31.25 and 18.75.
    assert [(r.producer_name, r.owed, r.compensation, r.to_pay) for r in payouts.rows] == [
        ("Ferme du Cérou", D("7.73"), D("31.25"), D("38.98")),
        ("Miellerie des Causses", D("113.57"), D("18.75"), D("132.32")),
    ]
    assert (payouts.owed, payouts.compensation, payouts.to_pay) == (
        D("121.30"), D("50.00"), D("171.30"),
    )  # fmt: skip
    client.force_login(day.coordinator.user)
    page = client.get(reverse("money:sale_money", args=[day.organisation.slug, day.shop.sale.pk]))
    body = page.content.decode()
    for figure in ("121,30\u00a0€", "50,00\u00a0€", "171,30\u00a0€", "31,25\u00a0€", "2,5"):
        assert figure in body


def test_a_producer_on_duty_without_sales_and_other_people_have_their_own_rows(day):
    _settings(day, "per_run", "20", compensation_for="everyone")
    idle_farm = ProducerFactory(name="Aaa Ferme sans vente")
    ProducerLinkFactory(organisation=day.organisation, producer=idle_farm)
    zoe = MembershipFactory(organisation=day.organisation, is_producer=True, producer=idle_farm)
    by = day.coordinator.user
    duty = duty_at(day.pickup, places=3)
    put_on(duty, zoe, by=by)
    put_on(duty, day.vera, by=by)
    _close(day)

    payouts = money_reports.producer_payouts(sale=day.shop.sale)

    assert [(r.producer_name, r.sales_incl_vat, r.compensation) for r in payouts.rows][-1] == (
        "Aaa Ferme sans vente", D("0.00"), D("20.00"),
    )  # fmt: skip
    assert payouts.others_compensation == D("20.00")
    assert payouts.to_pay == D("121.30") + D("40.00")


def test_the_payouts_export_gives_the_same_figures_in_csv_and_xlsx(day, client):
    _settings(day, "per_hour", "12.50")
    _duties(day)
    _close(day)
    client.force_login(day.coordinator.user)
    args = [day.organisation.slug, day.shop.sale.pk]

    csv_text = client.get(reverse("money:sale_payouts", args=[*args, "csv"])).content.decode()
    xlsx = client.get(reverse("money:sale_payouts", args=[*args, "xlsx"]))

    lines = [line.split(";") for line in csv_text.lstrip("\ufeff").splitlines()]
    assert lines[0] == [
        "Producteur", "Ventes TTC", "Commission", "Dû pour les ventes", "Défraiement",
        "Total à payer",
    ]  # fmt: skip
    assert lines[1][0] == "Ferme du Cérou" and lines[1][3:] == ["7,73", "31,25", "38,98"]
    assert lines[-1][0] == "Total" and lines[-1][3:] == ["121,30", "50,00", "171,30"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.title.startswith("Paiements producteurs ")  # not the file's slug
    last = [cell.value for cell in sheet[sheet.max_row]]
    assert last[0] == "Total"
    assert [D(str(value)) for value in last[3:]] == [D("121.30"), D("50.00"), D("171.30")]
