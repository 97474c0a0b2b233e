"""A 2,000-recipient message sent in batches while its worker is killed again and again:
each person gets it at most once, and everyone not hit by a kill gets it exactly once.

Real ``manage.py db_worker`` subprocesses on the test PostgreSQL database (the harness of
cabas/notifications/tests/test_worker_crashes.py), Django's file e-mail backend, SIGKILL at
random (seeded) instants, a new worker started after each kill. Then the written files are
read back and compared with the recipients. A message's e-mails are sent *at most once*: the
one a worker was writing when it was killed may have left, so it is not sent again and is
shown to the coordinator as failed ("interrupted"); at most one per kill. Run with ``-s`` to
see the figures.
"""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from cabas.accounts.models import User
from cabas.messaging import services
from cabas.messaging.models import Message, MessageRecipient, MessagingSettings
from cabas.notifications.models import OutboxMessage
from cabas.notifications.services import INTERRUPTED
from cabas.notifications.tests.test_worker_crashes import (
    DATABASE_TASKS,
    Workers,
    _written_messages,
)
from cabas.notifications.tests.test_worker_crashes import pytestmark as outbox_crash_marks
from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import OrganisationFactory

# The same marks as the outbox's crash test: PostgreSQL, real clock, the "crash" set.
pytestmark = outbox_crash_marks

SEED = 1818
RECIPIENTS = 2000
BATCH = 100
KILLS = 6


def _organisation_of_2000() -> Message:
    """An organisation of RECIPIENTS members and a message to all of them, sent (its first
    batch is queued when the transaction commits)."""
    with transaction.atomic():
        organisation = OrganisationFactory(name="Collectif des 2000")
        MessagingSettings.objects.create(
            organisation=organisation, batch_size=BATCH, batch_interval_seconds=0
        )
        users = User.objects.bulk_create(
            User(email=f"adherent-{n:04d}@example.org") for n in range(RECIPIENTS)
        )
        Membership.objects.bulk_create(
            Membership(organisation=organisation, user=user) for user in users
        )
        message = services.message_save(
            organisation=organisation, by=None, subject="Assemblée générale", body="Le 12 mars."
        )
        return services.message_send(message=message, by=None)


def _done(message: Message) -> bool:
    return (
        Message.objects.get(pk=message.pk).state == Message.State.SENT
        and not OutboxMessage.objects.filter(state__in=["pending", "sending"]).exists()
    )


@pytest.mark.django_db(transaction=True)
def test_a_message_to_2000_people_with_its_worker_killed_sends_each_at_most_once(
    settings, tmp_path
):
    settings.TASKS = DATABASE_TASKS
    rng = random.Random(SEED)
    message = _organisation_of_2000()
    pool = Workers(tmp_path)
    kills = 0
    try:
        pool.wait_ready(pool.start())
        while kills < KILLS and not _done(message):
            time.sleep(rng.uniform(0.3, 1.5))
            pool.kill(rng.choice(sorted(pool.running)))
            kills += 1
            pool.wait_ready(pool.start())
        deadline = time.monotonic() + 180
        while not _done(message):
            assert time.monotonic() < deadline, Counter(
                OutboxMessage.objects.values_list("state", flat=True)
            )
            time.sleep(0.2)
    finally:
        pool.stop_all()

    delivered, partial, seen = _written_messages(tmp_path / "mail")
    recipients = list(MessageRecipient.objects.filter(message=message).select_related("outbox"))
    by_message_id = {r.outbox.message_id: r for r in recipients}
    received = Counter(seen[message_id][0] for message_id in delivered)
    interrupted = [r for r in recipients if r.outbox.state == "failed"]
    print(
        f"\nrecipients {len(recipients)}, kills {kills}, delivered {sum(delivered.values())}, "
        f"interrupted {len(interrupted)}, partial writes {partial}, "
        f"tasks {DBTaskResult.objects.count()}"
    )
    assert len(recipients) == RECIPIENTS
    assert kills >= 3, "the workers finished before being killed: the test proves nothing"
    # Nobody twice: each Message-ID and each address at most once in the files.
    assert max(delivered.values()) == 1
    assert max(received.values()) == 1
    assert set(delivered) <= set(by_message_id)
    # Everybody once, except the e-mails a kill cut while they were being sent.
    sent = [r for r in recipients if r.outbox.state == "sent"]
    assert all(delivered[r.outbox.message_id] == 1 for r in sent)
    assert len(sent) + len(interrupted) == RECIPIENTS
    assert all(r.outbox.last_error == INTERRUPTED for r in interrupted)
    assert len(interrupted) <= kills
    assert Message.objects.get(pk=message.pk).state == Message.State.SENT
