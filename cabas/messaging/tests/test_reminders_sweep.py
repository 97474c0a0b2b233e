"""The reminders' sweep: each reminder to exactly the right members, the consent and the
switches respected, recorded once however often the sweep or the sending runs, in a
number of queries that does not grow with the members."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cabas.messaging.models import MessagingSettings
from cabas.messaging.reminders import services
from cabas.messaging.reminders.tasks import messaging_tick as messaging_tick_task
from cabas.messaging.reminders.tasks_send import reminders_send
from cabas.messaging.tests.reminder_fixtures import (
    member,
    members,
    order,
    previous_sale,
    recipients,
)
from cabas.notifications.models import OutboxMessage
from cabas.notifications.services import Rendered, outbox_messages_record_new
from cabas.sales.models import Sale

pytestmark = pytest.mark.django_db

OPENED = "reminder:sale-opened:"
LAST_CALL = "reminder:last-call:"
PICKUP = "reminder:pickup:"


def to(world, prefix: str) -> list[str]:
    """The shop organisation's recipients of ``prefix`` (the other one has its own)."""
    return recipients(prefix, world.shop.organisation)


def settings_for(world, **fields):
    return MessagingSettings.objects.create(organisation=world.shop.organisation, **fields)


def test_the_sale_opened_goes_to_every_member_without_an_order_who_accepts_reminders():
    world = members()
    report = services.messaging_tick(now=world.start)
    assert to(world, OPENED) == ["cancelled@example.org", "waiting@example.org"]
    assert report.sale_opened == 2
    # The cutoff is a day away: not yet the last call (24 hours by default)... nor a pickup.
    assert to(world, LAST_CALL) == [] and to(world, PICKUP) == []


def test_the_sale_opened_goes_to_the_customers_of_the_last_sales_only_when_asked():
    world = members()
    shop, users = world.shop, world.users
    previous_sale(shop, days=7, customers=[users["waiting"], users["ordered"]])
    previous_sale(shop, days=14, customers=[users["cancelled"], users["no_reminders"]])
    settings = settings_for(world, sale_opened_recent_sales=1)

    services.messaging_tick(now=world.start)
    # "ordered" has ordered in this sale already; "no_reminders" refuses them.
    assert to(world, OPENED) == ["waiting@example.org"]

    settings.sale_opened_recent_sales = 2
    settings.save()
    services.messaging_tick(now=world.start + timedelta(minutes=15))
    assert to(world, OPENED) == ["cancelled@example.org", "waiting@example.org"]


def test_the_last_call_goes_before_the_cutoff_to_the_members_who_have_not_ordered():
    world = members()
    cutoff = world.shop.sale.closes_at
    settings_for(world, sale_opened_on=False, last_call_hours=6)

    services.messaging_tick(now=cutoff - timedelta(hours=6, seconds=1))
    assert to(world, LAST_CALL) == []
    services.messaging_tick(now=cutoff - timedelta(hours=6))
    assert to(world, LAST_CALL) == ["cancelled@example.org", "waiting@example.org"]
    # Someone who joins after is still called, once; nobody after the cutoff.
    member(world.shop, "late")
    services.messaging_tick(now=cutoff)
    assert len(to(world, LAST_CALL)) == 2
    services.messaging_tick(now=cutoff - timedelta(minutes=1))
    assert to(world, LAST_CALL) == [
        "cancelled@example.org", "late@example.org", "waiting@example.org",
    ]  # fmt: skip


def test_a_missed_sale_opening_is_caught_up_while_the_sale_takes_orders_only():
    world = members()
    cutoff = world.shop.sale.closes_at
    settings_for(world, last_call_on=False)
    services.messaging_tick(now=cutoff)  # closed: too late
    assert to(world, OPENED) == []
    services.messaging_tick(now=cutoff - timedelta(minutes=1))
    assert len(to(world, OPENED)) == 2


def test_a_short_sale_gets_no_last_call_hours_after_its_opening_e_mail():
    world = members()
    cutoff = world.shop.sale.closes_at  # the sale opened 25 hours before its cutoff
    settings = settings_for(world, last_call_hours=13)
    services.messaging_tick(now=world.start)
    services.messaging_tick(now=cutoff - timedelta(hours=1))
    assert len(to(world, OPENED)) == 2
    assert to(world, LAST_CALL) == []
    # Open for twice the last call's hours: called.
    settings.last_call_hours = 12
    settings.save()
    services.messaging_tick(now=cutoff - timedelta(hours=1))
    assert len(to(world, LAST_CALL)) == 2


def test_the_pickup_reminder_goes_to_the_members_with_an_order_who_accept_reminders():
    world = members()
    pickup_day = world.shop.pickup.starts_at  # two days after the shop was built
    settings_for(world, sale_opened_on=False, last_call_on=False, pickup_reminder_days_before=1)
    local = pickup_day.astimezone(world.shop.organisation.tzinfo)
    reminder_at = (local - timedelta(days=1)).replace(hour=18, minute=0, second=0, microsecond=0)

    services.messaging_tick(now=reminder_at - timedelta(seconds=1))
    assert to(world, PICKUP) == []
    services.messaging_tick(now=reminder_at)
    # The other organisation's member is reminded of her own pickup (its default settings).
    assert recipients(PICKUP) == ["elsewhere@example.org", "ordered@example.org"]
    assert recipients(PICKUP, world.shop.organisation) == ["ordered@example.org"]


def test_a_missed_pickup_reminder_is_sent_until_the_pickup_starts_but_not_after():
    world = members()
    settings_for(world, sale_opened_on=False, last_call_on=False)
    services.messaging_tick(now=world.shop.pickup.starts_at)
    assert to(world, PICKUP) == []
    services.messaging_tick(now=world.shop.pickup.starts_at - timedelta(minutes=1))
    assert recipients(PICKUP, world.shop.organisation) == ["ordered@example.org"]


def test_a_drive_day_is_not_announced_nor_called_but_its_pickup_is_reminded():
    world = members()
    Sale.objects.filter(pk=world.shop.sale.pk).update(kind=Sale.Kind.DRIVE)
    settings_for(world, last_call_hours=12)
    for hours in (0, 13):
        services.messaging_tick(now=world.start + timedelta(hours=hours))
    assert to(world, OPENED) == [] and to(world, LAST_CALL) == []
    services.messaging_tick(now=world.shop.pickup.starts_at - timedelta(minutes=1))
    assert to(world, PICKUP) == ["ordered@example.org"]


def test_every_switch_off_sends_nothing():
    world = members()
    settings_for(world, sale_opened_on=False, last_call_on=False, pickup_reminder_on=False)
    for hours in (0, 12, 30, 47):
        services.messaging_tick(now=world.start + timedelta(hours=hours))
    assert (
        OutboxMessage.objects.filter(
            key__startswith="reminder:", organisation=world.shop.organisation
        ).count()
        == 0
    )


def test_recorded_once_however_often_the_sweep_and_the_sending_run(
    django_capture_on_commit_callbacks, time_machine
):
    world = members()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messaging_tick(now=world.start).sale_opened == 2
    assert sorted(m.to[0] for m in mail.outbox if "Vente du vendredi" in m.subject) == [
        "cancelled@example.org", "waiting@example.org",
    ]  # fmt: skip
    count = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.messaging_tick(now=world.start).sale_opened == 0
        assert services.messaging_tick(now=world.start + timedelta(minutes=15)).sale_opened == 0
    # The task, run again as a retry would, and the sending task retried.
    time_machine.move_to(world.start + timedelta(minutes=30), tick=False)
    assert messaging_tick_task.enqueue().return_value["sale_opened"] == 0
    ids = list(OutboxMessage.objects.filter(key__startswith=OPENED).values_list("pk", flat=True))
    assert reminders_send.enqueue(outbox_ids=ids).return_value == 0
    assert [(m.to, m.subject) for m in mail.outbox[count:]] == []
    assert OutboxMessage.objects.filter(key__startswith=OPENED).count() == 2


def test_a_key_taken_meanwhile_is_skipped_not_an_error():
    world = members()
    organisation_id = world.shop.organisation.pk
    first = Rendered("reminder:test:1", "a@example.org", "x.y", {})
    second = Rendered("reminder:test:2", "b@example.org", "x.y", {})
    [taken] = outbox_messages_record_new(messages=[first], organisation_id=organisation_id)
    ids = outbox_messages_record_new(messages=[first, second], organisation_id=organisation_id)
    assert taken not in ids and len(ids) == 1
    assert OutboxMessage.objects.get(pk=ids[0]).key == "reminder:test:2"


def test_the_command_runs_the_sweep(time_machine):
    world = members()
    time_machine.move_to(world.start, tick=False)
    call_command("messaging_tick", stdout=(out := __import__("io").StringIO()))
    assert "sale opened 2, last call 0, pickup 0" in out.getvalue()


def _crowd(world, count: int) -> None:
    """``count`` more members with an order and ``count`` without."""
    for _n in range(count):
        number = len(world.users)
        world.users[f"crowd{number}"] = member(world.shop, f"crowd{number}")
        order(world.shop, world.users[f"crowd{number}"])
        world.users[f"idle{number}"] = member(world.shop, f"idle{number}")


def _queries(world, now, extra: int):
    """The sweep's queries at ``now`` after ``extra`` more members of each kind (everything
    recorded before is forgotten, so the same reminders are due again)."""
    OutboxMessage.objects.filter(key__startswith="reminder:").delete()
    _crowd(world, extra)
    with CaptureQueriesContext(connection) as captured:
        report = services.messaging_tick(now=now)
    return len(captured), report


def test_the_sweep_takes_the_same_queries_for_few_or_many_members():
    world = members()
    settings_for(world, last_call_hours=12)
    now = world.start + timedelta(hours=13)  # the sale opened, and its last call
    few, report = _queries(world, now, 2)
    assert (report.sale_opened, report.last_call) == (2 + 2, 2 + 2)
    many, report = _queries(world, now, 8)
    assert (report.sale_opened, report.last_call) == (2 + 10, 2 + 10)
    assert few == many

    pickup = world.shop.pickup.starts_at - timedelta(hours=1)  # the pickup reminders
    few, report = _queries(world, pickup, 2)
    # "ordered", the other organisation's "elsewhere", and the crowd with an order.
    assert report.pickup == 2 + 12
    many, report = _queries(world, pickup, 8)
    assert report.pickup == 2 + 20
    assert few == many
