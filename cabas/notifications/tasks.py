import uuid

from django_tasks import task

from . import services


@task()
def email_send(*, outbox_id: int | None = None, **queued_before_the_outbox) -> bool:
    """Send one e-mail of the outbox (nothing when it was sent already).

    A task queued by a version before the outbox carries the e-mail itself
    (subject, body, to, html, from_email, headers): it is recorded, then sent."""
    if outbox_id is None:
        legacy = queued_before_the_outbox
        for recipient in legacy.get("to") or []:
            message = services.outbox_message_record(
                key=f"email:queued-before-the-outbox:{uuid.uuid4().hex}",
                to=recipient,
                subject=legacy.get("subject", ""),
                body=legacy.get("body", ""),
                html=legacy.get("html") or "",
                from_email=legacy.get("from_email") or "",
                headers=legacy.get("headers") or {},
                enqueue=False,
            )
            services.outbox_message_send(outbox_id=message.pk)
        return True
    return services.outbox_message_send(outbox_id=outbox_id)
