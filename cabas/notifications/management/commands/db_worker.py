"""``manage.py db_worker``: django-tasks-db's worker, plus the upkeep that gives tasks a lease.

This command replaces the library's one of the same name (our app comes first in
INSTALLED_APPS), so whatever runs the worker (``make run``, systemd, the tests) runs the
upkeep too. The library's worker loop is untouched; a thread beside it writes this worker's
heartbeat every ``TASKS_LEASE_SECONDS / 4`` seconds, takes back the tasks of workers not seen
for a lease, and queues again the e-mails whose task was lost (services.tasks_upkeep).
"""

import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from cabas.notifications.services import tasks_upkeep

logger = logging.getLogger("cabas.notifications")


class Upkeep(threading.Thread):
    def __init__(self, worker_id: str):
        super().__init__(name="tasks-upkeep", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()
        self.period = max(settings.TASKS_LEASE_SECONDS / 4, 0.2)

    def once(self) -> None:
        try:
            close_old_connections()
            tasks_upkeep(worker_id=self.worker_id)
        except Exception:
            # A locked SQLite file or a lost connection: the next round tries again.
            logger.exception("Tasks upkeep failed")

    def run(self) -> None:
        while not self.stopped.wait(self.period):
            self.once()
        connection.close()


class Command(db_worker.Command):
    help = (
        "Run the database task worker, with a heartbeat and the lease of tasks "
        "(TASKS_LEASE_SECONDS): several workers may run at once."
    )

    def handle(self, *args, **options):
        reloader_parent = options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if reloader_parent and not options["batch"]:
            return super().handle(*args, **options)  # only watches files; runs no task
        upkeep = Upkeep(options["worker_id"])
        upkeep.once()  # alive, and the leftovers of dead workers taken, before the first task
        if options["batch"]:
            return super().handle(*args, **options)
        upkeep.start()
        try:
            return super().handle(*args, **options)
        finally:
            upkeep.stopped.set()
