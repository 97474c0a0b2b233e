"""E-mails go through the real task queue: queued on commit, sent by the database worker."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from cabas.notifications.services import email_enqueue

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_email_is_queued_on_commit_and_sent_by_the_db_worker(settings):
    settings.TASKS = DATABASE_TASKS
    message = EmailMultiAlternatives(
        subject="Votre commande n°12", body="Bonjour", to=["camille@example.org"]
    )
    message.attach_alternative("<p>Bonjour</p>", "text/html")

    with transaction.atomic():
        email_enqueue(message)
        assert DBTaskResult.objects.count() == 0  # nothing queued before the commit

    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []  # the web request does not send: the worker does

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == "Votre commande n°12"
    assert sent.to == ["camille@example.org"]
    assert sent.alternatives[0][0] == "<p>Bonjour</p>"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_nothing(settings):
    settings.TASKS = DATABASE_TASKS
    with pytest.raises(RuntimeError), transaction.atomic():
        email_enqueue(EmailMultiAlternatives(subject="x", body="y", to=["a@example.org"]))
        raise RuntimeError("the write failed")
    assert DBTaskResult.objects.count() == 0
