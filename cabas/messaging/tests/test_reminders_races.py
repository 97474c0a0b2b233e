"""Sweeps that run at the same moment (two workers, cron and the worker) on PostgreSQL:
each reminder is recorded and sent once."""

import pytest
from django.core import mail

from cabas.core.tests.concurrency import postgresql_only, run_together
from cabas.messaging.reminders import services
from cabas.messaging.tests.reminder_fixtures import members
from cabas.notifications.models import OutboxMessage

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    postgresql_only()


def test_four_sweeps_at_once_record_and_send_each_reminder_once():
    world = members()
    reports = run_together(lambda _i: services.messaging_tick(now=world.start), 4)

    assert sum(report.sale_opened for report in reports) == 2
    rows = OutboxMessage.objects.filter(key__startswith="reminder:sale-opened:")
    assert sorted(rows.values_list("to", flat=True)) == [
        "cancelled@example.org", "waiting@example.org",
    ]  # fmt: skip
    opened = [m for m in mail.outbox if m.subject == "La vente « Vente du vendredi » est ouverte"]
    assert sorted(m.to[0] for m in opened) == [
        "cancelled@example.org", "waiting@example.org",
    ]  # fmt: skip
