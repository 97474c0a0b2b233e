"""The outbox's rules, one by one: recorded with the business write, claimed before it is
sent, sent once, a dead worker's claim taken over after the lease, failures retried then
given up, lost tasks queued again by the sweep; and the lease of tasks (tasks_reap)."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cabas.notifications import services
from cabas.notifications.deliverability import address_undeliverable_mark
from cabas.notifications.models import OutboxMessage, TaskWorker
from cabas.notifications.tasks import email_send
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
LEASE = timedelta(seconds=60)


@pytest.fixture(autouse=True)
def _lease(settings):
    settings.TASKS_LEASE_SECONDS = LEASE.total_seconds()


def _record(key="test:1", **kwargs):
    defaults = {"to": "camille@example.org", "subject": "Bonjour", "body": "Votre panier"}
    return services.outbox_message_record(key=key, enqueue=False, **{**defaults, **kwargs})


def _state(message):
    message.refresh_from_db()
    return message.state, message.attempts


# --- Recorded with the business write ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_placing_an_order_records_its_confirmation_in_the_same_transaction():
    shop = open_shop()
    member = shop.member(email="camille@example.org")

    def place():
        return order_services.order_place(
            user=member,
            sale=shop.sale,
            pickup_id=shop.open_pickup.pk,
            slot_id=None,
            lines=[(shop.products["bread"].pk, Decimal(1))],
        )

    with pytest.raises(RuntimeError), transaction.atomic():
        place()
        assert OutboxMessage.objects.count() == 1  # written by the placement's transaction
        raise RuntimeError("the rest of the request failed")
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []

    order = place()

    message = OutboxMessage.objects.get()
    assert (message.key, message.to, message.state, message.attempts) == (
        f"order:{order.pk}:placed",
        "camille@example.org",
        "sent",
        1,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille@example.org"]
    assert mail.outbox[0].extra_headers["Message-ID"] == message.message_id


def test_the_same_key_is_refused_a_second_time(db):
    first = _record(key="order:7:placed")

    with pytest.raises(IntegrityError), transaction.atomic():
        _record(key="order:7:placed", subject="Autre")

    assert list(OutboxMessage.objects.values_list("pk", "subject")) == [(first.pk, "Bonjour")]


# --- Sent once ---------------------------------------------------------------------------------


def test_a_row_is_sent_once_with_its_own_message_id(db):
    message = _record(html="<p>Votre panier</p>")

    assert services.outbox_message_send(outbox_id=message.pk) is True
    assert services.outbox_message_send(outbox_id=message.pk) is False

    assert _state(message) == ("sent", 1)
    assert message.sent_at is not None
    [sent] = mail.outbox
    assert (sent.subject, sent.to, sent.alternatives[0][0]) == (
        "Bonjour",
        ["camille@example.org"],
        "<p>Votre panier</p>",
    )
    assert sent.message()["Message-ID"] == message.message_id


def test_a_row_to_an_undeliverable_address_is_not_sent_and_says_why(db):
    address_undeliverable_mark(email="Camille@Example.org", reason="bounced")
    message = _record(to="camille@example.org")
    other = _record(key="test:2", to="dominique@example.org")

    assert services.outbox_message_send(outbox_id=message.pk) is False
    assert services.outbox_message_send(outbox_id=other.pk) is True

    assert _state(message) == ("failed", 1)
    assert message.last_error == services.UNDELIVERABLE
    assert "undeliverable" in message.last_error
    assert [sent.to for sent in mail.outbox] == [["dominique@example.org"]]


def test_a_row_claimed_by_a_live_worker_is_left_to_it(db):
    message = _record()
    OutboxMessage.objects.filter(pk=message.pk).update(
        state="sending", attempts=1, claimed_at=timezone.now() - LEASE + timedelta(seconds=5)
    )

    assert services.outbox_message_send(outbox_id=message.pk) is False
    assert services.outbox_sweep(now=timezone.now()) == 0

    assert _state(message) == ("sending", 1)
    assert mail.outbox == []


def test_a_row_left_sending_by_a_dead_worker_is_sent_again_after_the_lease(db):
    """The worker died after its claim: it may have sent it or not; it is sent again, with
    the same Message-ID (see services: at least once, never lost)."""
    message = _record()
    OutboxMessage.objects.filter(pk=message.pk).update(
        state="sending", attempts=1, claimed_at=timezone.now() - LEASE - timedelta(seconds=1)
    )

    assert services.outbox_sweep(now=timezone.now()) == 1  # queued; the test backend runs it

    assert _state(message) == ("sent", 2)
    assert [m.message()["Message-ID"] for m in mail.outbox] == [message.message_id]


def test_the_late_worker_does_not_overwrite_the_claim_of_the_one_that_took_over(db):
    message = _record()
    late_token = uuid.uuid4()
    OutboxMessage.objects.filter(pk=message.pk).update(
        state="sending",
        attempts=1,
        claim_token=late_token,
        claimed_at=timezone.now() - LEASE - timedelta(seconds=1),
    )
    late = OutboxMessage.objects.filter(pk=message.pk, claim_token=late_token)

    assert services.outbox_message_send(outbox_id=message.pk) is True

    assert late.update(state="pending") == 0  # its token is not the row's any more
    assert _state(message) == ("sent", 2)


# --- Failures ----------------------------------------------------------------------------------


def test_a_failed_send_waits_for_its_next_attempt_then_fails_for_good(db, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    # The order does not exist (deleted since): the rendering fails each time.
    message = _record(
        renderer="cabas.orders.notifications.order_email_message",
        params={"order_id": 0, "event": "placed"},
    )
    before = timezone.now()

    assert services.outbox_message_send(outbox_id=message.pk) is False

    assert _state(message) == ("pending", 1)
    assert message.last_error == "DoesNotExist: Order matching query does not exist."
    assert message.next_attempt_at >= before + LEASE
    assert services.outbox_sweep(now=before) == 0  # not before its next attempt

    assert services.outbox_sweep(now=message.next_attempt_at) == 1

    assert _state(message) == ("failed", 2)
    assert services.outbox_message_send(outbox_id=message.pk) is False
    assert mail.outbox == []


# --- The sweep ---------------------------------------------------------------------------------


def test_the_sweep_queues_the_rows_whose_task_was_lost_and_only_them(db, settings):
    settings.TASKS = DATABASE_TASKS
    now = timezone.now()
    fresh = _record(key="fresh")  # its own task is on its way (next attempt a lease later)
    lost = _record(key="lost")
    waiting = _record(key="waiting")
    sent = _record(key="sent")
    OutboxMessage.objects.filter(pk__in=[lost.pk, waiting.pk]).update(next_attempt_at=now)
    OutboxMessage.objects.filter(pk=sent.pk).update(state="sent", sent_at=now, next_attempt_at=now)
    email_send.enqueue(outbox_id=waiting.pk)  # still in the queue: not lost

    assert services.outbox_sweep(now=now) == 1

    queued = DBTaskResult.objects.values_list("args_kwargs", flat=True)
    assert sorted(kwargs["kwargs"]["outbox_id"] for kwargs in queued) == [lost.pk, waiting.pk]
    assert services.outbox_sweep(now=now) == 0  # looked at again a lease later only
    assert fresh.pk not in [kwargs["kwargs"]["outbox_id"] for kwargs in queued]


# --- The lease of tasks ------------------------------------------------------------------------


def _running_task(settings, *, worker_id: str, started_at, claims: int = 1) -> DBTaskResult:
    settings.TASKS = DATABASE_TASKS
    message = _record(key=f"task:{worker_id}:{claims}")
    result = email_send.enqueue(outbox_id=message.pk)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=started_at,
        worker_ids=[f"earlier-{n}" for n in range(claims - 1)] + [worker_id],
    )
    return DBTaskResult.objects.get(pk=result.id)


def _status(task):
    task.refresh_from_db()
    return task.status


def test_a_task_of_a_dead_worker_is_ready_again_after_the_lease(db, settings):
    now = timezone.now()
    TaskWorker.objects.create(worker_id="dead", seen_at=now - LEASE - timedelta(seconds=1))
    TaskWorker.objects.create(worker_id="alive", seen_at=now - timedelta(seconds=5))
    of_dead = _running_task(settings, worker_id="dead", started_at=now - timedelta(seconds=70))
    # Started long ago, but its worker is alive: a long task, not a lost one.
    of_alive = _running_task(settings, worker_id="alive", started_at=now - timedelta(hours=1))
    # A worker without heartbeat (started by other means): the lease counts from the start.
    unknown_old = _running_task(settings, worker_id="other", started_at=now - LEASE * 2)
    unknown_new = _running_task(settings, worker_id="new", started_at=now - timedelta(seconds=1))

    assert services.tasks_reap(now=now) == 2

    assert [_status(t) for t in (of_dead, of_alive, unknown_old, unknown_new)] == [
        "READY",
        "RUNNING",
        "READY",
        "RUNNING",
    ]
    assert services.tasks_reap(now=now) == 0


def test_a_task_whose_workers_died_too_often_is_failed_not_run_again(db, settings):
    settings.TASKS_MAX_ATTEMPTS = 3
    now = timezone.now()
    task = _running_task(settings, worker_id="dead", started_at=now - LEASE * 2, claims=3)

    assert services.tasks_reap(now=now) == 1

    task.refresh_from_db()
    assert (task.status, task.exception_class_path) == (
        "FAILED",
        "cabas.notifications.services.WorkerLost",
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_again_the_task_of_a_worker_that_died(settings):
    """``manage.py db_worker`` is ours: before its first task it takes back the dead ones'."""
    now = timezone.now()
    task = _running_task(settings, worker_id="killed", started_at=now - LEASE * 2)
    message = OutboxMessage.objects.get()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0")

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.worker_ids[0] == "killed" and len(task.worker_ids) == 2
    assert _state(message) == ("sent", 1)
    assert len(mail.outbox) == 1
    assert TaskWorker.objects.filter(worker_id=task.worker_ids[1]).exists()


# --- Tasks queued before the outbox (an upgrade) -------------------------------------------------


def test_an_email_task_queued_before_the_outbox_is_recorded_then_sent(db):
    email_send.call(
        subject="Votre commande n°12",
        body="Bonjour",
        to=["camille@example.org"],
        html="<p>Bonjour</p>",
        from_email=None,
        headers={},
    )

    message = OutboxMessage.objects.get()
    assert (message.to, message.state, message.attempts) == ("camille@example.org", "sent", 1)
    [sent] = mail.outbox
    assert (sent.subject, sent.to) == ("Votre commande n°12", ["camille@example.org"])


def test_an_order_task_queued_before_the_outbox_sends_through_it(db):
    from cabas.orders.tasks import order_notify

    shop = open_shop()
    member = shop.member(email="camille@example.org")
    order = order_services.order_place(
        user=member,
        sale=shop.sale,
        pickup_id=shop.open_pickup.pk,
        slot_id=None,
        lines=[(shop.products["bread"].pk, Decimal(1))],
        notify=False,
    )

    assert order_notify.call(order_id=order.pk, event="placed") is True

    message = OutboxMessage.objects.get()
    assert (message.to, message.state) == ("camille@example.org", "sent")
    assert [m.to for m in mail.outbox] == [["camille@example.org"]]


def test_the_sweep_looks_for_the_email_task_by_its_real_path():
    from cabas.notifications import services, tasks

    assert services.EMAIL_SEND_PATH == tasks.email_send.module_path
