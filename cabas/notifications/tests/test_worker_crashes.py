"""Workers killed at random instants lose no e-mail and send none twice.

Real ``manage.py db_worker`` subprocesses on the test PostgreSQL database, with Django's file
e-mail backend writing into a temporary directory, are killed with SIGKILL after a random
(seeded) delay and started again, over 200 order confirmations and the summaries of 5 sales
closed at the same time (210 tasks and more). Then the written files are read back and compared with
the outbox, by Message-ID.

What is measured, honestly: a worker killed between "the file was written" and "the row was
marked sent" makes the row be sent again after the lease, with the same Message-ID (see
cabas/notifications/services.py). Those re-sends are counted ("resent, same Message-ID") and
may only come from rows taken over after a kill; a message written partly when the worker
died (like an SMTP dialogue cut before its end) is counted apart and is not a delivery.
Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import email
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from cabas.accounts.tests.factories import UserFactory
from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory, ProductFactory
from cabas.distribution.models import SummaryDispatch
from cabas.notifications.models import OutboxMessage, TaskWorker
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.tests.factories import MembershipFactory
from cabas.sales import services as sales_services

pytestmark = [
    pytest.mark.crash,
    # The workers are other processes, on the real clock: the test's rows follow it too.
    pytest.mark.real_clock,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the workers are other processes: they need a database server (PostgreSQL); "
        "SQLite's test database lives in the memory of the test process",
    ),
]

SEED = 1313
SALES = 5
ORDERS_PER_SALE = 40
LEASE_SECONDS = 3
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what Django's file backend writes after each message
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@dataclass
class Figures:
    workers: int
    tasks: int = 0
    emails: int = 0
    kills: int = 0
    lost: int = 0
    unknown: int = 0
    resent_same_message_id: int = 0
    partial_writes: int = 0
    tasks_taken_again: int = 0
    rows_sent_after_a_takeover: int = 0
    seconds: str = ""


def _workload() -> int:
    """SALES open sales, each with two producers (with an e-mail address) and a coordinator,
    and ORDERS_PER_SALE orders placed through the real service (each records its
    confirmation); then every sale is closed (each closing queues its summaries' task).
    Returns how many summaries are owed. One transaction, to spare the fsyncs; the tasks are
    queued when it commits."""
    with transaction.atomic():
        _sales_ordered_and_closed()
    return SALES * 3


def _sales_ordered_and_closed() -> None:
    shops = []
    for n in range(SALES):
        shop = open_shop()
        farm = shop.products["bread"].producer
        farm.email = f"ferme-{n}@example.org"
        farm.save(update_fields=["email"])
        brewery = ProducerFactory(name=f"Brasserie {n}", email=f"brasserie-{n}@example.org")
        ProducerLinkFactory(organisation=shop.organisation, producer=brewery)
        beer = ProductFactory(organisation=shop.organisation, producer=brewery, name="Bière")
        sales_services.sale_items_sync(sale=shop.sale)
        MembershipFactory(
            organisation=shop.organisation,
            user=UserFactory(email=f"coordination-{n}@example.org"),
            is_coordinator=True,
        )
        for m in range(ORDERS_PER_SALE):
            member = shop.member(email=f"membre-{n}-{m}@example.org")
            order_services.order_place(
                user=member,
                sale=shop.sale,
                pickup_id=shop.open_pickup.pk,
                slot_id=None,
                lines=[(shop.products["bread"].pk, Decimal(1)), (beer.pk, Decimal(2))],
            )
        shops.append(shop)
    for shop in shops:
        sales_services.sale_close_now(sale=shop.sale)


class Workers:
    """``manage.py db_worker`` subprocesses on the test database, e-mails into ``mail_dir``."""

    def __init__(self, tmp_path: Path):
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
                f":{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "CONN_MAX_AGE": "0",
            "EMAIL_MODE": "file",
            "EMAIL_FILE_PATH": str(tmp_path / "mail"),
            "TASKS_LEASE_SECONDS": str(LEASE_SECONDS),
            # A task the kills hit again and again is not a poison task here: keep taking it.
            "TASKS_MAX_ATTEMPTS": "1000",
            "DEBUG": "false",
            "SECRET_KEY": "crash-test-" + "k" * 40,  # production mode refuses the default key
        }
        self.env.pop("TASKS_BACKEND", None)
        self.logs = tmp_path / "logs"
        self.logs.mkdir()
        self.started = 0
        self.killed: list[str] = []
        self.running: dict[str, subprocess.Popen] = {}

    def start(self) -> str:
        self.started += 1
        worker_id = f"crash-test-{self.started}"
        log = (self.logs / f"{worker_id}.log").open("wb")
        self.running[worker_id] = subprocess.Popen(  # noqa: S603 (our own command)
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.05",
                "--worker-id",
                worker_id,
                "-v",
                "0",
            ],  # fmt: skip
            cwd=django_settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return worker_id

    def wait_ready(self, worker_id: str, timeout: float = 30) -> None:
        """Until the worker wrote its first heartbeat (it does so before its first task)."""
        deadline = time.monotonic() + timeout
        while not TaskWorker.objects.filter(worker_id=worker_id).exists():
            assert self.running[worker_id].poll() is None, self.tail(worker_id)
            assert time.monotonic() < deadline, f"{worker_id} did not start"
            time.sleep(0.02)

    def kill(self, worker_id: str) -> None:
        process = self.running.pop(worker_id)
        process.send_signal(signal.SIGKILL)
        process.wait()
        self.killed.append(worker_id)

    def stop_all(self) -> None:
        for process in self.running.values():
            process.send_signal(signal.SIGTERM)
        for process in self.running.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.running.clear()

    def tail(self, worker_id: str) -> str:
        return (self.logs / f"{worker_id}.log").read_text(errors="replace")[-3000:]


def _all_done(summaries_owed: int) -> bool:
    return (
        SummaryDispatch.objects.count() == summaries_owed
        and not OutboxMessage.objects.exclude(state=OutboxMessage.State.SENT).exists()
        and not DBTaskResult.objects.ready().exists()
        and not DBTaskResult.objects.running().exists()
    )


def _state(pool: Workers) -> str:
    """What is left, for a failure's message."""
    return "\n".join(
        [
            f"summaries recorded: {SummaryDispatch.objects.count()}",
            f"outbox: {Counter(OutboxMessage.objects.values_list('state', flat=True))}",
            f"tasks: {Counter(DBTaskResult.objects.values_list('status', 'task_path'))}",
            *(pool.tail(worker_id) for worker_id in pool.running),
        ]
    )


def _written_messages(mail_dir: Path) -> tuple[Counter, int, dict[str, tuple[str, str]]]:
    """The Message-IDs of the complete messages in the files, how many were cut by a kill, and
    each Message-ID's recipient and subject."""
    delivered: Counter = Counter()
    partial = 0
    seen: dict[str, tuple[str, str]] = {}
    for path in sorted(mail_dir.glob("*")) if mail_dir.exists() else []:
        chunks = path.read_bytes().split(SEPARATOR)
        for position, chunk in enumerate(chunks):
            if not chunk.strip():
                continue
            if position == len(chunks) - 1:  # no separator after it: the write was cut
                partial += 1
                continue
            message = email.message_from_bytes(chunk)
            message_id = message["Message-ID"]
            delivered[message_id] += 1
            seen[message_id] = (message["To"], message["Subject"])
    return delivered, partial, seen


def _kill_and_drain(pool, rng, figures: Figures, max_kills: int, summaries_owed: int) -> float:
    """Start the workers, kill one at random intervals (starting a new one each time) until
    ``max_kills`` or all the work is done, then let the survivors drain the queue. Returns the
    time the killing stopped."""
    ids = [pool.start() for _ in range(figures.workers)]
    for worker_id in ids:
        pool.wait_ready(worker_id)
    while figures.kills < max_kills and not _all_done(summaries_owed):
        time.sleep(rng.uniform(0.0, 0.5))
        victim = rng.choice(sorted(pool.running))
        pool.kill(victim)
        figures.kills += 1
        pool.wait_ready(pool.start())
    killing_done = time.monotonic()
    deadline = time.monotonic() + 60
    while not _all_done(summaries_owed):
        assert time.monotonic() < deadline, _state(pool)
        time.sleep(0.1)
    return killing_done


def _run(tmp_path: Path, *, workers: int, max_kills: int) -> Figures:
    rng = random.Random(SEED + workers)
    started = time.monotonic()
    summaries_owed = _workload()
    recorded = time.monotonic()
    figures = Figures(workers=workers, tasks=DBTaskResult.objects.count())
    pool = Workers(tmp_path)
    try:
        killing_done = _kill_and_drain(pool, rng, figures, max_kills, summaries_owed)
    finally:
        pool.stop_all()

    figures.seconds = (
        f"record {recorded - started:.1f}, kill loop {killing_done - recorded:.1f}, "
        f"drain {time.monotonic() - killing_done:.1f}"
    )
    rows = {row.message_id: row for row in OutboxMessage.objects.all()}
    delivered, figures.partial_writes, seen = _written_messages(tmp_path / "mail")
    figures.tasks = DBTaskResult.objects.count()
    figures.emails = len(rows)
    figures.lost = len(set(rows) - set(delivered))
    figures.unknown = len(set(delivered) - set(rows))
    resent = {message_id: n - 1 for message_id, n in delivered.items() if n > 1}
    figures.resent_same_message_id = sum(resent.values())
    figures.tasks_taken_again = sum(
        1 for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) if len(ids) > 1
    )
    # A task is taken again only from a worker that was killed (never from a live one).
    taken_from = [
        worker_id
        for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
        for worker_id in ids[:-1]
    ]
    assert set(taken_from) <= set(pool.killed), (taken_from, pool.killed)
    figures.rows_sent_after_a_takeover = sum(1 for row in rows.values() if row.attempts > 1)
    print(f"\n{figures}")

    assert figures.tasks >= 200
    assert figures.emails == SALES * ORDERS_PER_SALE + summaries_owed
    assert figures.lost == 0
    assert figures.unknown == 0
    assert list(DBTaskResult.objects.failed().values_list("task_path", "traceback")) == []
    # Each logical e-mail (recipient and key) is one row with one Message-ID, delivered.
    assert len({(row.to, row.key) for row in rows.values()}) == len(rows)
    assert all(seen[message_id][0] == row.to for message_id, row in rows.items())
    # Every summary owed is recorded once and sent once.
    summaries = [row for row in rows.values() if row.key.startswith("sale-summary:")]
    assert len(summaries) == summaries_owed
    assert all(delivered[row.message_id] >= 1 for row in summaries)
    # A re-send happens only to a row taken over after a kill, at most one per kill.
    assert all(rows[message_id].attempts > 1 for message_id in resent)
    assert figures.resent_same_message_id <= figures.kills
    return figures


@pytest.mark.django_db(transaction=True)
def test_one_worker_killed_again_and_again_loses_nothing_and_sends_nothing_twice(
    settings, tmp_path
):
    settings.TASKS = DATABASE_TASKS
    figures = _run(tmp_path, workers=1, max_kills=10)
    assert figures.kills >= 5


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_killed_at_random_lose_nothing_and_send_nothing_twice(
    settings, tmp_path
):
    settings.TASKS = DATABASE_TASKS
    figures = _run(tmp_path, workers=2, max_kills=8)
    assert figures.kills >= 3
