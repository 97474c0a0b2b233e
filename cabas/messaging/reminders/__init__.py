"""The automatic reminders: a sale opened, the last call before the cutoff, the pickup the
day before, and a pickup point that moved. ``services.messaging_tick`` is the periodic sweep
(``tasks.messaging_tick`` queues its own next run); ``texts`` holds the words an
organisation may write; ``emails`` renders each e-mail when the outbox sends it."""
