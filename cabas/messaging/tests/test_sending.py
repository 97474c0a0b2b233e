"""Sending a message: recipients fixed once, batches through the outbox, never twice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from cabas.messaging import errors, selectors, services
from cabas.messaging.models import Audience, Message, MessageRecipient, MessagingSettings
from cabas.notifications.deliverability import address_undeliverable_mark
from cabas.notifications.models import OutboxMessage
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership

from .factories import draft, sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return open_shop()


def _members(shop, n: int, prefix: str = "membre") -> list:
    return [shop.member(email=f"{prefix}-{i}@example.org") for i in range(n)]


def test_a_message_to_all_members_reaches_each_once_with_both_parts(shop):
    people = _members(shop, 3)
    mail.outbox.clear()
    message = sent(shop.organisation, subject="Assemblée générale", body="Le **12 mars**.")
    message.refresh_from_db()
    assert message.state == Message.State.SENT
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in people)
    email = mail.outbox[0]
    assert email.subject == "Assemblée générale"
    assert "Le **12 mars**." in email.body
    html = email.alternatives[0][0]
    assert "<strong>12 mars</strong>" in html
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.extra_headers["List-Unsubscribe"].startswith("<http")
    progress = selectors.message_progress(message)
    assert (progress.total, progress.sent, progress.waiting) == (3, 3, 0)


def test_unsubscribed_and_undeliverable_people_are_recorded_not_sent(shop):
    keep, off, bounced = _members(shop, 3)
    Membership.objects.filter(user=off).update(accepts_announcements=False)
    address_undeliverable_mark(email=bounced.email, reason="bounced")
    mail.outbox.clear()
    message = sent(shop.organisation)
    assert [m.to for m in mail.outbox] == [[keep.email]]
    skipped = dict(MessageRecipient.objects.filter(message=message).values_list("email", "skipped"))
    assert skipped == {keep.email: "", off.email: "unsubscribed", bounced.email: "undeliverable"}
    progress = selectors.message_progress(message)
    assert (progress.sent, progress.unsubscribed, progress.undeliverable) == (1, 1, 1)


def test_batches_follow_the_settings_and_a_batch_run_again_sends_nobody_twice(shop, settings):
    _members(shop, 7)
    MessagingSettings.objects.create(organisation=shop.organisation, batch_size=3)
    message = draft(shop.organisation)
    # The first batch only (as the worker does), by hand: no task queued yet.
    services._recipients_fix(message, now=message.created_at)
    Message.objects.filter(pk=message.pk).update(state="sending", sent_at=message.created_at)
    mail.outbox.clear()
    # The worker's batches, one call each (here the next batch's task is not run: the test's
    # transaction never commits).
    reports = [services.message_batch_send(message_id=message.pk) for _ in range(3)]
    assert [(r.sent, r.left, r.done) for r in reports] == [
        (3, 4, False),
        (3, 1, False),
        (1, 0, True),
    ]
    assert len(mail.outbox) == 7
    assert len({m.to[0] for m in mail.outbox}) == 7
    message.refresh_from_db()
    assert message.state == Message.State.SENT
    # Running a batch again (a retry after a crash) finds nothing to do.
    again = services.message_batch_send(message_id=message.pk)
    assert (again.sent, len(mail.outbox)) == (0, 7)
    assert OutboxMessage.objects.filter(key__startswith=f"message:{message.pk}:").count() == 7


def test_a_second_send_of_the_same_message_is_refused_and_sends_nothing(shop):
    _members(shop, 2)
    message = sent(shop.organisation)
    count = len(mail.outbox)
    with pytest.raises(errors.MessageNotDraft):
        services.message_send(message=message, by=None)
    assert len(mail.outbox) == count
    assert MessageRecipient.objects.filter(message=message).count() == 2


def test_an_audience_without_anyone_is_refused_and_stays_a_draft(shop):
    message = draft(shop.organisation, audience=Audience.VOLUNTEERS)
    with pytest.raises(errors.NoRecipient):
        services.message_send(message=message, by=None)
    message.refresh_from_db()
    assert message.state == Message.State.DRAFT
    assert not MessageRecipient.objects.exists()


def test_a_sent_message_can_no_longer_be_changed_nor_deleted(shop):
    _members(shop, 1)
    message = sent(shop.organisation)
    with pytest.raises(errors.MessageNotDraft):
        services.message_save(organisation=shop.organisation, by=None, message=message,
                              subject="Autre")  # fmt: skip
    with pytest.raises(errors.MessageNotDraft):
        services.message_delete(message=message)
    message.refresh_from_db()
    assert message.subject == "Le point de Cordes déménage"


def test_customers_of_one_slot(shop):
    first, second, elsewhere = _members(shop, 3)
    for user, slot in ((first, shop.slots[0]), (second, shop.slots[1])):
        order_services.order_place(
            user=user, sale=shop.sale, pickup_id=shop.pickup.pk, slot_id=slot.pk,
            lines=[(shop.products["bread"].pk, Decimal(1))],
        )  # fmt: skip
    mail.outbox.clear()
    message = sent(shop.organisation, audience=Audience.SALE, sale=shop.sale, slot=shop.slots[0])
    assert message.pickup_id == shop.pickup.pk  # the slot's pickup, filled in
    assert [m.to for m in mail.outbox] == [[first.email]]


def test_a_message_whose_batches_were_lost_is_taken_up_again_by_the_sweep(shop, settings):
    """The batch task is gone (a worker died before queueing the next one and its task was
    lost): the periodic sweep queues a batch again, once the message is a lease old."""
    from datetime import timedelta

    from cabas.messaging.reminders.tasks import messaging_tick

    _members(shop, 2)
    message = draft(shop.organisation)
    services._recipients_fix(message, now=message.created_at)
    long_ago = message.created_at - timedelta(minutes=10)
    Message.objects.filter(pk=message.pk).update(state="sending", sent_at=long_ago)
    mail.outbox.clear()
    result = messaging_tick.call()
    assert result["messages_resumed"] == 1
    assert len(mail.outbox) == 2
    message.refresh_from_db()
    assert message.state == Message.State.SENT
