"""The personal calendar: the feed (public by its secret token), its page and the change of
address that makes the old one answer 404."""

from datetime import UTC, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from cabas.work import services
from cabas.work.models import CalendarFeed, WorkPeriod
from cabas.work.tests.calendar_fixtures import BEFORE, DUTY_DAY, collective, sign_up
from cabas.work.tests.factories import ShiftPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    """The feed is read a few days before the duty."""
    with time_machine.travel(BEFORE, tick=False):
        yield


def feed_url(membership):
    feed = services.calendar_feed_get_or_create(membership=membership)
    return reverse("work:calendar_feed", kwargs={"token": feed.token})


def events(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_feed_lists_the_persons_holding_sign_ups_with_their_times(client):
    world = collective()
    mine = sign_up(world, world.volunteers[0])
    sign_up(world, world.volunteers[1])  # someone else's
    withdrawn_period = ShiftPeriodFactory(
        organisation=world.organisation, starts_at=DUTY_DAY + timedelta(days=1)
    )
    withdrawn = services.signup_create(
        period=withdrawn_period, membership=world.volunteers[0], by=world.coordinators[0].user,
        now=BEFORE,
    )  # fmt: skip
    services.signup_withdraw(signup=withdrawn, now=BEFORE, by=world.coordinators[0].user)

    response = client.get(feed_url(world.volunteers[0]))
    assert response.status_code == 200
    [event] = events(response)
    assert str(event["uid"]) == f"work-{mine.period_id}-{world.volunteers[0].pk}@cabas"
    assert event.decoded("dtstart").astimezone(UTC) == DUTY_DAY
    assert event.decoded("dtend").astimezone(UTC) == DUTY_DAY + timedelta(hours=2)
    assert "Préparation des paniers — Salle des fêtes" == str(event["summary"])
    assert "benevole" not in response.content.decode()


def test_the_feed_of_an_unknown_token_or_a_former_member_is_not_found(client):
    world = collective()
    assert client.get("/calendar/nope.ics").status_code == 404
    url = feed_url(world.volunteers[0])
    world.volunteers[0].status = "left"
    world.volunteers[0].save(update_fields=["status"])
    assert client.get(url).status_code == 404


def test_changing_the_address_makes_the_old_one_answer_404(client):
    world = collective()
    sign_up(world, world.volunteers[0])
    old = feed_url(world.volunteers[0])
    client.force_login(world.volunteers[0].user)

    response = client.post(reverse("work:calendar_renew", kwargs={"slug": world.organisation.slug}))
    assert response.status_code == 302
    new = feed_url(world.volunteers[0])
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_the_page_shows_the_address_and_a_subscribe_link(client, settings):
    world = collective()
    client.force_login(world.volunteers[0].user)
    response = client.get(reverse("work:calendar", kwargs={"slug": world.organisation.slug}))
    assert response.status_code == 200
    token = CalendarFeed.objects.get(membership=world.volunteers[0]).token
    body = response.content.decode()
    assert f"/calendar/{token}.ics" in body
    assert f"webcal://{settings.SITE_URL.split('://')[1]}/calendar/{token}.ics" in body
    assert "Changer l'adresse" in body
    # Looking again keeps the same address.
    client.get(reverse("work:calendar", kwargs={"slug": world.organisation.slug}))
    assert CalendarFeed.objects.get(membership=world.volunteers[0]).token == token


def test_the_feed_reads_in_a_constant_number_of_queries(client):
    world = collective(places=1)
    sign_up(world, world.volunteers[0])
    url = feed_url(world.volunteers[0])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    for day in range(1, 6):
        period = ShiftPeriodFactory(
            organisation=world.organisation, starts_at=DUTY_DAY + timedelta(days=day)
        )
        services.signup_create(
            period=period, membership=world.volunteers[0], by=world.coordinators[0].user,
            now=BEFORE,
        )  # fmt: skip
    assert WorkPeriod.objects.count() == 6
    assert len(events(client.get(url))) == 6
    assert count() == one


def test_the_feed_keeps_the_last_weeks_and_the_coming_months_only(client):
    world = collective()
    mine = sign_up(world, world.volunteers[0])
    for starts_at in (BEFORE - timedelta(weeks=5), BEFORE + timedelta(weeks=30)):
        period = ShiftPeriodFactory(organisation=world.organisation, starts_at=starts_at)
        WorkPeriod.objects.filter(pk=period.pk).update(taken=1)
        period.signups.create(organisation=world.organisation, membership=world.volunteers[0])
    [event] = events(client.get(feed_url(world.volunteers[0])))
    assert str(event["uid"]) == f"work-{mine.period_id}-{world.volunteers[0].pk}@cabas"
