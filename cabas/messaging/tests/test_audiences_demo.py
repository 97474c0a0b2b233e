"""Audience counts on the demo (``make run``'s data, at the suite's fixed instant: Wednesday
2 December 2026, 10:00 in Paris), each number checked by hand from how the demo is built
(cabas/demo/activity.py, people.py, work.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cabas.demo.people import ALERT_EMAIL, SUSPENDED_EMAIL
from cabas.demo.seed import demo_seed
from cabas.messaging.audiences import audience_count, audience_members
from cabas.messaging.models import Audience, Message
from cabas.orgs.models import Membership, Organisation
from cabas.sales.models import PickupPoint, Sale

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    demo_seed()


def _count(organisation, **choice) -> int:
    message = Message(organisation=organisation, **choice)
    return audience_count(message, now=timezone.now()).total


def _emails(organisation, **choice) -> set[str]:
    message = Message(organisation=organisation, **choice)
    return set(audience_members(message, now=timezone.now()).values_list("user__email", flat=True))


def test_every_audience_on_the_demo(demo):
    _collective()
    _cooperative()


def test_the_demo_has_a_message_to_everyone_one_to_the_volunteers_and_a_draft(demo):
    collective = Organisation.objects.get(slug="paniers-du-segala")
    messages = {
        message.subject: (message.state, message.recipient_count)
        for message in Message.objects.filter(organisation=collective)
    }
    assert messages == {
        "Un nouveau point de retrait à Salles": ("sending", 300),
        "Deux bénévoles pour vendredi ?": ("sending", 6),
        "Dernier jour pour commander": ("draft", 0),
    }


def _collective():
    collective = Organisation.objects.get(slug="paniers-du-segala")
    last_week = Sale.objects.get(organisation=collective, title__startswith="Vente de la semaine")
    today = Sale.objects.get(organisation=collective, title__startswith="Distribution du jour")
    friday = Sale.objects.filter(organisation=collective, status="open").order_by("opens_at")[0]
    cordes = PickupPoint.objects.get(organisation=collective, name__startswith="Cordes")
    gaillac = PickupPoint.objects.get(organisation=collective, name__startswith="Gaillac")
    # 300 people (people.COLLECTIVE_MEMBERS, the demo logins among them), 15 farms with one
    # producer login each, 6 volunteers.
    assert _count(collective, audience=Audience.ALL_MEMBERS) == 300
    assert _count(collective, audience=Audience.PRODUCERS) == 15
    assert _count(collective, audience=Audience.VOLUNTEERS) == 6
    # Last week's sale: members 150 to 179 (30), alternating over its two points (15 + 15).
    assert _count(collective, audience=Audience.SALE, sale=last_week) == 30
    cordes_last_week = last_week.pickups.get(pickup_point=cordes)
    assert _count(collective, audience=Audience.SALE, sale=last_week, pickup=cordes_last_week) == 15
    # Today's distribution: members 100 to 139 (40) over three points (14, 14, 12).
    assert _count(collective, audience=Audience.SALE, sale=today) == 40
    gaillac_today = today.pickups.get(pickup_point=gaillac)
    assert _count(collective, audience=Audience.SALE, sale=today, pickup=gaillac_today) == 12
    # Friday's open sale: the first 60 members ordered; 240 have not yet.
    assert _count(collective, audience=Audience.SALE, sale=friday) == 60
    assert _count(collective, audience=Audience.NOT_ORDERED, sale=friday) == 240
    # Cordes: 15 customers last week, and the same 5 in both open sales: 20 people; plus the
    # demo's history (cabas/demo/history.py), whose last twelve Fridays (4 September to
    # 20 November 2026) are within the 90 days: 34 buyers at Cordes, 3 of them among the
    # 20 already counted (checked by listing the orders of those pickups): 51 people.
    assert _count(collective, audience=Audience.PICKUP_POINT, pickup_point=cordes) == 51
    # Gaillac today, the 12:30 slot (the third): two orders booked in it.
    slot = gaillac_today.slots.order_by("starts_at")[2]
    assert timezone.localtime(slot.starts_at, collective.tzinfo).strftime("%H:%M") == "12:30"
    assert _count(collective, audience=Audience.SALE, sale=today, slot=slot) == 2
    # On duty (demo.work): today and last week, the 6 volunteers, the 2 coordinators and
    # 3 others (11 people); Friday's sale, 26 sign-ups holding a place (one looking for a
    # replacement still counts: they are on the duty until someone takes it).
    assert _count(collective, audience=Audience.ON_DUTY, sale=today) == 11
    assert _count(collective, audience=Audience.ON_DUTY, sale=last_week) == 11
    assert _count(collective, audience=Audience.ON_DUTY, sale=friday) == 26


def _cooperative():
    coop = Organisation.objects.get(slug="epicerie-du-panier")
    # people.ALERT_EMAIL has a make-up shift to do, people.SUSPENDED_EMAIL missed too many.
    assert _emails(coop, audience=Audience.SHIFT_STATUS, shift_status="alert") == {ALERT_EMAIL}
    assert _emails(coop, audience=Audience.SHIFT_STATUS, shift_status="suspended") == {
        SUSPENDED_EMAIL
    }
    on_shifts = Membership.objects.filter(organisation=coop, shift_member__isnull=False).count()
    assert _count(coop, audience=Audience.SHIFT_STATUS, shift_status="up_to_date") == (
        on_shifts - 2
    )
    assert _count(coop, audience=Audience.ALL_MEMBERS) == 200
    assert _count(coop, audience=Audience.PRODUCERS) == 0
