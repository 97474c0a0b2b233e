"""What the reminders say: the slot on the organisation's clock (across a clock change, and
in another time zone), the point and the order, the "I have arrived" link only at a
car-boot point, the recipient's language, the organisation's words with their
placeholders, escaped in the HTML part; and the e-mail about a pickup point that moved."""

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cabas.core.money import format_money
from cabas.messaging.models import MessagingSettings, ReminderText
from cabas.messaging.reminders import services
from cabas.messaging.reminders.tasks import pickup_point_moved_notify
from cabas.messaging.tests.reminder_fixtures import member, members, order, sent
from cabas.notifications.models import OutboxMessage
from cabas.orders.tests.factories import open_shop
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales import services as sales_services
from cabas.sales.models import SlotMode
from cabas.sales.tests.factories import PickupPointFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def sunday_pickup(zone: str, *, car_boot: bool):
    """A shop of an organisation in ``zone`` with a pickup on Sunday 25 October 2026 from
    10:00 to 11:00 local time (the night Europe leaves summer time), slots of 30 minutes,
    and Léa's order in the first slot."""
    tz = ZoneInfo(zone)
    with time_machine.travel(datetime(2026, 10, 20, 10, 0, tzinfo=tz), tick=False):
        shop = open_shop(organisation=OrganisationFactory(timezone=zone, name="Le Cabas"))
        point = PickupPointFactory(
            organisation=shop.organisation, name="Ferme des Rives", address="3 chemin des Rives",
            access_instructions="Sonner au portail", car_boot_pickup=car_boot,
        )  # fmt: skip
        pickup = sales_services.pickup_create(
            sale=shop.sale, pickup_point=point,
            starts_at=datetime(2026, 10, 25, 10, 0, tzinfo=tz),
            ends_at=datetime(2026, 10, 25, 11, 0, tzinfo=tz),
            slot_mode=SlotMode.SLOTS, slot_minutes=30, slot_capacity=5,
        )  # fmt: skip
        lea = member(shop, "lea")
        placed = order(
            shop, lea, pickup=pickup, slot=pickup.slots.order_by("starts_at").first(),
            lines=[("bread", 2), ("cheese", 1)],
        )  # fmt: skip
    return shop, lea, placed


def test_the_pickup_reminder_comes_the_evening_before_on_the_local_clock_across_the_change():
    shop, _lea, placed = sunday_pickup("Europe/Paris", car_boot=True)
    # Saturday 18:00 in Paris is still summer time: 16:00 UTC.
    services.messaging_tick(now=datetime(2026, 10, 24, 15, 59, tzinfo=UTC))
    assert not OutboxMessage.objects.filter(key=f"reminder:pickup:{placed.pk}").exists()
    services.messaging_tick(now=datetime(2026, 10, 24, 16, 0, tzinfo=UTC))

    [email] = sent(f"reminder:pickup:{placed.pk}")
    assert email.to == ["lea@example.org"]
    # Sunday 10:00 is winter time (09:00 UTC): shown as the organisation's wall clock.
    assert "dimanche 25 octobre, 10:00–10:30" in email.body
    assert "Ferme des Rives" in email.body and "3 chemin des Rives" in email.body
    assert "Sonner au portail" in email.body
    assert "Pain de campagne" in email.body and "Tomme" in email.body
    with translation.override("fr"):
        assert f"Total : {format_money(Decimal('14.90'))}" in email.body  # 2 × 4,20 + 6,50
    assert f"/orders/{placed.code}/arrived/" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = email.alternatives[0][0]
    assert "14,90" in html and f"/orders/{placed.code}/arrived/" in html


def test_the_pickup_reminder_in_another_time_zone_and_without_the_car_boot_link():
    _shop, lea, placed = sunday_pickup("America/New_York", car_boot=False)
    lea.language = "en"
    lea.save(update_fields=["language"])
    # Saturday 18:00 in New York (summer time there until November): 22:00 UTC.
    services.messaging_tick(now=datetime(2026, 10, 24, 21, 59, tzinfo=UTC))
    assert not OutboxMessage.objects.filter(key=f"reminder:pickup:{placed.pk}").exists()
    services.messaging_tick(now=datetime(2026, 10, 24, 22, 0, tzinfo=UTC))
    [email] = sent(f"reminder:pickup:{placed.pk}")
    assert "Sunday 25 October, 10:00–10:30" in email.body
    assert "A reminder: your order is waiting for you" in email.body
    with translation.override("en"):
        assert f"Total : {format_money(Decimal('14.90'))}" in email.body
    assert "arrived" not in email.body
    assert "arrived" not in email.alternatives[0][0]


def test_the_organisations_words_with_placeholders_in_each_language_escaped_in_html():
    world = members()
    organisation = world.shop.organisation
    ReminderText.objects.create(
        organisation=organisation, kind="sale_opened", language="fr",
        subject="C'est ouvert : {sale}",
        text="Bonjour <script>alert(1)</script> & bienvenue ! Commandez avant {cutoff}. {inconnu}",
    )  # fmt: skip
    ReminderText.objects.create(
        organisation=organisation,
        kind="sale_opened",
        language="en",
        subject="",
        text="Open! {sale}",
    )
    world.users["cancelled"].language = "en"
    world.users["cancelled"].save(update_fields=["language"])
    services.messaging_tick(now=world.start)
    emails = {email.to[0]: email for email in sent("reminder:sale-opened:")}

    french = emails["waiting@example.org"]
    assert french.subject == "C'est ouvert : Vente du vendredi"
    assert "Commandez avant jeudi 3 décembre, 10:00. {inconnu}" in french.body
    assert "<script>alert(1)</script> & bienvenue" in french.body  # plain text: as written
    html = french.alternatives[0][0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; bienvenue" in html
    assert "<script>" not in html
    assert ">Commander</a>" in html  # the button says the verb (msgctxt "button")
    assert f"/o/{organisation.slug}/shop/{world.shop.sale.pk}/" in french.body
    assert "Stop the reminders" not in french.body  # the layout in French too

    english = emails["cancelled@example.org"]
    assert english.subject == "The sale “Vente du vendredi” is open"  # no subject of its own
    assert "Open! Vente du vendredi" in english.body
    assert "Orders until Thursday 3 December, 10:00." in english.body


def test_a_point_that_moves_tells_the_members_who_collect_there_soon(
    django_capture_on_commit_callbacks,
):
    world = members()
    shop = world.shop
    point = shop.open_pickup.pickup_point
    # "ordered" collects at the other point; "ordered_no_reminders" here (the e-mail is about
    # her order: sent whatever her choice about the reminders).
    with django_capture_on_commit_callbacks(execute=True):
        sales_services.pickup_point_update(pickup_point=point, name="Nouveau nom")
        # The same words sent back by a browser (CR LF line ends): not a move either.
        sales_services.pickup_point_update(
            pickup_point=point, address=f" {point.address} ", access_instructions="\r\n"
        )
    assert OutboxMessage.objects.filter(key__startswith="changes:").count() == 0

    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        sales_services.pickup_point_update(
            pickup_point=point, address="12 rue Neuve", access_instructions="Porte B <bleue>"
        )
    [email] = mail.outbox[before:]
    assert email.to == ["ordered_no_reminders@example.org"]
    assert email.subject == "Le point de retrait « Nouveau nom » change"
    assert "12 rue Neuve" in email.body and "Porte B <bleue>" in email.body
    assert "Porte B &lt;bleue&gt;" in email.alternatives[0][0]
    assert "List-Unsubscribe" not in email.extra_headers
    # Its task run again (a retry) records nothing new.
    assert pickup_point_moved_notify.enqueue(pickup_point_id=point.pk).return_value == 0
    assert len(mail.outbox) == before + 1


def test_no_e_mail_about_a_moved_point_when_turned_off_or_after_the_pickup(
    django_capture_on_commit_callbacks,
):
    world = members()
    point = world.shop.open_pickup.pickup_point
    settings = MessagingSettings.objects.create(
        organisation=world.shop.organisation, changes_on=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        sales_services.pickup_point_update(pickup_point=point, address="1 rue Haute")
    assert OutboxMessage.objects.filter(key__startswith="changes:").count() == 0

    settings.changes_on = True
    settings.save()
    over = world.shop.open_pickup.ends_at
    assert services.pickup_point_moved_notify(pickup_point_id=point.pk, now=over) == 0
    assert services.pickup_point_moved_notify(pickup_point_id=point.pk, now=world.start) == 1


def test_an_order_placed_after_the_reminder_time_gets_no_reminder():
    shop, _lea, _placed = sunday_pickup("Europe/Paris", car_boot=False)
    late = member(shop, "late")
    shop.sale.closes_at = datetime(2026, 10, 25, 8, 0, tzinfo=PARIS)
    shop.sale.save(update_fields=["closes_at"])
    pickup = shop.sale.pickups.get(pickup_point__name="Ferme des Rives")
    with time_machine.travel(datetime(2026, 10, 24, 19, 0, tzinfo=PARIS), tick=False):
        order(shop, late, pickup=pickup, slot=pickup.slots.order_by("starts_at").last())
    services.messaging_tick(now=datetime(2026, 10, 24, 20, 0, tzinfo=PARIS))
    assert list(
        OutboxMessage.objects.filter(key__startswith="reminder:pickup:").values_list(
            "to", flat=True
        )
    ) == ["lea@example.org"]


def test_the_moved_point_e_mails_take_the_same_queries_for_few_or_many_orders():
    world = members()
    point = world.shop.open_pickup.pickup_point
    clients = []

    def queries(more: int) -> int:
        """The queries of the e-mails after ``more`` clients at the point ("ordered_no_reminders"
        collects there already)."""
        for _n in range(more):
            clients.append(member(world.shop, f"client{len(clients)}"))
            order(world.shop, clients[-1])
        OutboxMessage.objects.filter(key__startswith="changes:").delete()
        with CaptureQueriesContext(connection) as captured:
            recorded = services.pickup_point_moved_notify(pickup_point_id=point.pk, now=world.start)
        assert recorded == 1 + len(clients)
        return len(captured)

    assert queries(2) == queries(7)
