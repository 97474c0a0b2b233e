"""The reminders before a duty and the coordinators' alert about an unfilled duty, recorded
by the sweep in the outbox: once, to the right people, at the right local time."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from icalendar import Calendar

from cabas.notifications.models import OutboxMessage
from cabas.work import services
from cabas.work.models import WorkPeriod
from cabas.work.tasks import work_tick as work_tick_task
from cabas.work.tests.calendar_fixtures import BEFORE, DUTY_DAY, REMINDER_AT, collective, sign_up
from cabas.work.tests.factories import ShiftPeriodFactory

pytestmark = pytest.mark.django_db


def reminders():
    return OutboxMessage.objects.filter(key__startswith="work-reminder:").order_by("to")


def gap_alerts():
    return OutboxMessage.objects.filter(key__startswith="work-gap:").order_by("to")


def test_the_reminder_comes_the_day_before_at_the_local_hour_across_the_time_change():
    world = collective()
    sign_up(world, world.volunteers[0])

    # Sunday 14:00 after the change to winter time is 25 hours after Saturday 14:00.
    assert services.work_tick(now=REMINDER_AT - timedelta(minutes=1)).reminders == 0
    assert services.work_tick(now=REMINDER_AT).reminders == 1

    [message] = reminders()
    assert message.to == "benevole0@example.org"
    assert "Préparation des paniers" in message.subject
    assert "dimanche 25 octobre 2026, 14:00–16:00" in message.body
    assert "Salle des fêtes, 2 place de la Mairie" in message.body
    assert "Porte de derrière <code 1234>" in message.body  # plain text: as written
    assert "Apporter des sacs & un <tablier>." in message.body
    assert "Porte de derrière &lt;code 1234&gt;" in message.html  # HTML: escaped
    assert "un &lt;tablier&gt;" in message.html
    assert "<tablier>" not in message.html
    assert "/o/" in message.body and "/calendar/" in message.body

    [attachment] = message.attachments.all()
    assert attachment.filename == f"permanence-{world.period.pk}.ics"
    [event] = Calendar.from_ical(bytes(attachment.content)).walk("VEVENT")
    assert event.decoded("dtstart").astimezone(UTC) == DUTY_DAY
    assert event.decoded("dtend").astimezone(UTC) == DUTY_DAY + timedelta(hours=2)
    assert str(event["uid"]) == f"work-{world.period.pk}-{world.volunteers[0].pk}@cabas"
    assert "Salle des fêtes" in str(event["summary"])
    assert "2 place de la Mairie" in str(event["location"])
    assert "Apporter des sacs" in str(event["description"])


def test_the_reminder_is_recorded_once_however_often_the_sweep_or_its_task_runs():
    world = collective()
    sign_up(world, world.volunteers[0])
    services.work_tick(now=REMINDER_AT)
    services.work_tick(now=REMINDER_AT + timedelta(minutes=15))
    # The task, run again (as a retry would) at a later instant of the same day.
    with time_machine.travel(REMINDER_AT + timedelta(hours=1), tick=False):
        assert work_tick_task.enqueue().return_value["reminders"] == 0
        assert work_tick_task.enqueue().return_value["reminders"] == 0
    assert reminders().count() == 1


def test_no_reminder_for_a_withdrawn_sign_up_nor_after_the_start():
    world = collective()
    withdrawn = sign_up(world, world.volunteers[0])
    services.signup_withdraw(signup=withdrawn, now=BEFORE)
    sign_up(world, world.volunteers[1])

    services.work_tick(now=DUTY_DAY)  # started: too late for anyone
    assert reminders().count() == 0
    services.work_tick(now=REMINDER_AT)
    assert list(reminders().values_list("to", flat=True)) == ["benevole1@example.org"]


def test_after_a_swap_the_person_who_took_the_place_is_reminded():
    world = collective()
    offered = sign_up(world, world.volunteers[0])
    services.signup_ask_replacement(signup=offered, now=BEFORE)
    services.signup_take_over(signup=offered, membership=world.volunteers[1], now=BEFORE)

    services.work_tick(now=REMINDER_AT)
    assert list(reminders().values_list("to", flat=True)) == ["benevole1@example.org"]


def test_the_reminder_is_in_the_persons_language_and_the_organisations_time_zone():
    world = collective()
    world.volunteers[0].user.language = "en"
    world.volunteers[0].user.save(update_fields=["language"])
    sign_up(world, world.volunteers[0])
    services.work_tick(now=REMINDER_AT)
    [message] = reminders()
    assert "Sunday 25 October 2026, 14:00–16:00" in message.body
    assert message.subject.startswith("Reminder")


def test_an_unfilled_duty_alerts_each_coordinator_once():
    world = collective(places=3)
    sign_up(world, world.volunteers[0])
    gap_at = datetime(2026, 10, 22, 12, 0, tzinfo=UTC)  # three days before, 14:00 in Paris

    assert services.work_tick(now=gap_at - timedelta(minutes=1)).gap_alerts == 0
    assert services.work_tick(now=gap_at).gap_alerts == 1
    assert services.work_tick(now=gap_at + timedelta(hours=1)).gap_alerts == 0

    assert list(gap_alerts().values_list("to", flat=True)) == [
        "coord0@example.org",
        "coord1@example.org",
    ]
    message = gap_alerts()[0]
    assert "2 personnes" in message.body
    assert "Bénévole0" in message.body
    assert "Collectif &lt;Tarn&gt;" in message.html
    world.period.refresh_from_db()
    assert world.period.gap_alert_sent_at == gap_at


def test_a_full_duty_alerts_nobody():
    world = collective(places=1)
    sign_up(world, world.volunteers[0])
    services.work_tick(now=datetime(2026, 10, 22, 12, 0, tzinfo=UTC))
    assert gap_alerts().count() == 0
    world.period.refresh_from_db()
    assert world.period.gap_alert_sent_at is None


def test_no_reminder_for_a_cancelled_duty_and_a_subject_stays_on_one_line():
    world = collective()
    sign_up(world, world.volunteers[0])
    world.period.task_type.name = "Caisse\nBcc: someone@example.org"
    world.period.task_type.save(update_fields=["name"])
    services.work_tick(now=REMINDER_AT)
    [message] = reminders()
    assert "\n" not in message.subject
    assert message.subject.startswith("Rappel : votre permanence « Caisse Bcc: someone")

    cancelled = ShiftPeriodFactory(organisation=world.organisation, starts_at=DUTY_DAY)
    services.signup_create(
        period=cancelled, membership=world.volunteers[1], by=world.coordinators[0].user, now=BEFORE
    )
    WorkPeriod.objects.filter(pk=cancelled.pk).update(is_cancelled=True)
    services.work_tick(now=REMINDER_AT + timedelta(minutes=15))
    assert reminders().count() == 1


def test_without_coordinators_the_gap_is_marked_and_nothing_is_sent():
    world = collective(places=2)
    for coordinator in world.coordinators:
        coordinator.status = "left"
        coordinator.save(update_fields=["status"])
    assert services.work_tick(now=datetime(2026, 10, 22, 12, 0, tzinfo=UTC)).gap_alerts == 1
    assert gap_alerts().count() == 0
