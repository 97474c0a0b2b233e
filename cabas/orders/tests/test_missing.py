"""Missing items (one order's line, or a product of the whole sale) and "Missing" undone.

The member's e-mail about a missing product waits MISSING_PRODUCT_EMAIL_DELAY_MINUTES in the
outbox: undone meanwhile, it is withdrawn and never leaves; undone after it left, a
correction follows. It never goes out twice for one marking."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from cabas.distribution import services as distribution
from cabas.notifications.models import OutboxMessage
from cabas.notifications.services import outbox_sweep
from cabas.orders import errors, services
from cabas.orders.models import Order, OrderEvent
from cabas.orders.tests.factories import distribution_day, line_of

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def day():
    day = distribution_day()
    # The orders' confirmations (their tasks never ran: no commit in this test) are not ours.
    OutboxMessage.objects.all().delete()
    mail.outbox.clear()
    return day


def later(minutes: int = 10):
    """What the worker's sweep sends once ``minutes`` have passed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        outbox_sweep(now=timezone.now() + timedelta(minutes=minutes, seconds=1))


def mark(day, order, name="Tomme", **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.order_line_mark_missing(line=line_of(order, name), by=day.volunteer,
                                                **kwargs)  # fmt: skip


def unmark(day, order, name="Tomme"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.order_line_unmark_missing(line=line_of(order, name), by=day.volunteer)


def total(order):
    return Order.objects.get(pk=order.pk).total


def subjects():
    return [m.subject for m in mail.outbox]


def test_missing_lowers_the_total_and_tells_the_member_after_the_delay(day):
    order = day.orders[1]  # 2 cheeses (13.00) + 2 breads (8.40)

    mark(day, order, note="Plus de tomme")

    assert total(order) == D("8.40")
    assert line_of(order, "Tomme").substitution_note == "Plus de tomme"
    assert mail.outbox == []  # not yet: a mistaken tap can still be undone
    later(minutes=9)
    assert mail.outbox == []
    later()
    assert [m.to for m in mail.outbox] == [[order.user.email]]
    assert subjects()[0].startswith(f"Un produit manque dans votre commande n° {order.number}")
    assert "Tomme" in mail.outbox[0].body
    later(minutes=60)
    assert len(mail.outbox) == 1


def test_undone_before_the_delay_nothing_is_sent(day):
    order = day.orders[1]
    mark(day, order)

    unmark(day, order)

    assert total(order) == D("21.40")
    assert line_of(order, "Tomme").is_missing is False
    later(minutes=60)
    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(key__contains=":missing:").exists()
    kinds = list(
        OrderEvent.objects.filter(order=order, kind="missing").values_list("detail", flat=True)
    )
    assert [(d["before"]["is_missing"], d["after"]["is_missing"]) for d in kinds] == [
        (False, True),
        (True, False),
    ]


def test_undone_after_the_e_mail_left_the_member_gets_a_correction(day):
    order = day.orders[1]
    mark(day, order)
    later()

    unmark(day, order)
    later(minutes=60)

    assert subjects() == [
        f"Un produit manque dans votre commande n° {order.number} — Vente du vendredi",
        f"Finalement, « Tomme » est bien dans votre commande n° {order.number} — Vente du vendredi",
    ]
    assert "Correction : finalement, « Tomme » est bien dans votre commande" in (
        mail.outbox[1].body
    )


def test_marked_undone_and_marked_again_tells_the_member_once(day):
    order = day.orders[1]
    mark(day, order)
    unmark(day, order)
    mark(day, order)

    later(minutes=60)

    assert len(mail.outbox) == 1 and "Tomme" in mail.outbox[0].body


def test_a_double_tap_records_one_change(day):
    order = day.orders[1]
    mark(day, order)
    mark(day, order)
    unmark(day, order)
    unmark(day, order)

    assert OrderEvent.objects.filter(order=order, kind="missing").count() == 2
    assert total(order) == D("21.40")
    later(minutes=60)
    assert mail.outbox == []


def test_a_closed_pickup_refuses_the_undo_and_nothing_changes(day):
    order = day.orders[1]
    mark(day, order)
    for other in day.orders:
        services.order_set_status(order=other, status="collected", by=day.volunteer)
    distribution.pickup_close(pickup=day.pickup, by=day.volunteer)

    with pytest.raises(errors.PickupClosed):
        unmark(day, order)

    assert line_of(order, "Tomme").is_missing is True
    assert total(order) == D("8.40")


def test_a_whole_product_missing_recomputes_every_order_and_tells_the_members(day):
    with TestCase.captureOnCommitCallbacks(execute=True):
        changed = services.sale_product_set_missing(sale=day.sale, product=day.products["cheese"],
                                                    by=day.volunteer, reason="Grêle")  # fmt: skip

    assert sorted(changed) == sorted(o.pk for o in day.orders[1:])
    totals = dict(Order.objects.values_list("pk", "total"))
    assert totals[day.orders[0].pk] == D("42.28")  # no cheese: untouched
    assert totals[day.orders[1].pk] == D("8.40")
    assert totals[day.orders[2].pk] == D("6.00")
    assert OrderEvent.objects.filter(kind="missing", reason="Grêle").count() == 2
    assert mail.outbox == []
    later()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.user.email for o in day.orders[1:])
    assert "Tomme" in mail.outbox[0].body


def test_one_order_found_after_a_whole_product_went_missing(day):
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.sale_product_set_missing(sale=day.sale, product=day.products["cheese"],
                                          by=day.volunteer, reason="Grêle")  # fmt: skip

    unmark(day, day.orders[1])
    later()

    assert total(day.orders[1]) == D("21.40")
    assert [m.to[0] for m in mail.outbox] == [day.orders[2].user.email]
