from django_tasks import task


@task()
def email_send(*, outbox_id: int) -> bool:
    """Send one e-mail of the outbox (nothing when it was sent already)."""
    from .services import outbox_message_send

    return outbox_message_send(outbox_id=outbox_id)
