"""The duties on the pickup's check-in page: who is on duty, and their attendance recorded
by a volunteer (present, excused, absent, replaced by a member)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.orders.tests.factories import distribution_day, open_shop
from cabas.orgs.models import Membership
from cabas.work import services as work_services
from cabas.work.models import Signup
from cabas.work.tests.duty_helpers import duty_at, put_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    day = distribution_day()
    day.coordinator = day.member(first_name="Coline", last_name="Zérah")
    Membership.objects.filter(user=day.coordinator).update(is_coordinator=True)
    return day


def _membership(day, **names):
    return Membership.objects.get(user=day.member(**names), organisation=day.organisation)


def _page(client, day):
    url = reverse("distribution:checkin_pickup", args=[day.organisation.slug, day.pickup.pk])
    return client.get(url).content.decode()


def _attendance_url(day, signup):
    return reverse("distribution:duty_attendance", args=[day.organisation.slug, signup.pk])


def test_the_check_in_page_shows_who_is_on_duty(client, day):
    duty = duty_at(day.pickup, hours=2, places=3)
    put_on(duty, _membership(day, first_name="Paul", last_name="<b>Marty</b>"),
           by=day.coordinator)  # fmt: skip
    wanting = put_on(duty, _membership(day, first_name="Mia", last_name="Roux"), by=day.coordinator)
    work_services.signup_ask_replacement(signup=wanting, now=duty.starts_at - timedelta(days=1))
    client.force_login(day.volunteer)

    page = _page(client, day)

    duties = page[page.index('id="duties"') :]
    assert duty.task_type.name in duties
    assert "Paul &lt;b&gt;Marty&lt;/b&gt;" in duties
    assert "Mia Roux" in duties
    assert "remplaçant recherché" in duties
    assert "1 place restante" in duties
    # Nothing recorded yet: the choice is empty, not "present".
    assert '<option value="" selected>Choisir…</option>' in duties


def test_the_check_in_page_reads_the_duties_in_a_fixed_number_of_queries(client, day):
    client.force_login(day.volunteer)

    def queries():
        _page(
            client, day
        )  # warm: the first page of a visit writes the organisation into the session
        with CaptureQueriesContext(connection) as captured:
            _page(client, day)
        return len(captured)

    duty_at(day.pickup)
    put_on(duty_at(day.pickup), _membership(day), by=day.coordinator)
    few = queries()
    for _ in range(3):
        duty = duty_at(day.pickup, places=3)
        for _ in range(3):
            put_on(duty, _membership(day), by=day.coordinator, attendance="replaced",
                   substitute=_membership(day))  # fmt: skip
    assert queries() == few


def test_a_volunteer_records_who_came(client, day):
    duty = duty_at(day.pickup)
    paul, mia = _membership(day, first_name="Paul"), _membership(day, first_name="Mia")
    Membership.objects.filter(pk=mia.pk).update(is_volunteer=True)  # who may take duties
    signup = put_on(duty, paul, by=day.coordinator)
    client.force_login(day.volunteer)

    answer = client.post(_attendance_url(day, signup), {"attendance": "present"})

    assert answer.status_code == 302
    assert answer["Location"].endswith("#duties")
    assert Signup.objects.get(pk=signup.pk).attendance == "present"
    client.post(_attendance_url(day, signup), {"attendance": "replaced", "substitute": mia.pk})
    signup.refresh_from_db()
    assert (signup.attendance, signup.substitute_id, signup.attendance_by_id) == (
        "replaced", mia.pk, day.volunteer.pk,
    )  # fmt: skip
    assert "Mia" in _page(client, day)


@pytest.mark.parametrize(
    "data", [{"attendance": "maybe"}, {}, {"attendance": "replaced"},
             {"attendance": "replaced", "substitute": "abc"}],
)  # fmt: skip
def test_bad_attendance_changes_nothing_and_says_why(client, day, data):
    signup = put_on(duty_at(day.pickup), _membership(day), by=day.coordinator)
    client.force_login(day.volunteer)

    answer = client.post(_attendance_url(day, signup), data, follow=True)

    assert answer.status_code == 200
    assert b'class="message error"' in answer.content
    assert Signup.objects.get(pk=signup.pk).attendance == ""


def test_another_organisations_signup_or_substitute_is_not_found(client, day):
    other = open_shop()
    stranger = Membership.objects.get(user=other.member(), organisation=other.organisation)
    foreign = put_on(duty_at(other.pickup), stranger, by=day.coordinator)
    own = put_on(duty_at(day.pickup), _membership(day), by=day.coordinator)
    client.force_login(day.volunteer)

    assert client.post(_attendance_url(day, foreign), {"attendance": "present"}).status_code == 404
    forged = {"attendance": "replaced", "substitute": stranger.pk}
    assert client.post(_attendance_url(day, own), forged).status_code == 404
    assert client.get(_attendance_url(day, own)).status_code == 405
    assert Signup.objects.get(pk=foreign.pk).attendance == ""
    assert Signup.objects.get(pk=own.pk).attendance == ""


def test_the_substitutes_are_the_people_who_may_take_duties(client, day):
    """A short list on a phone: volunteers and coordinators (not every member); a member
    without the role posted by hand is refused and nothing changes."""
    signup = put_on(duty_at(day.pickup), _membership(day, first_name="Paul"), by=day.coordinator)
    # Names no generated customer of the page can have (they are listed with their orders).
    plain = _membership(day, first_name="Zébulonne")
    helper = _membership(day, first_name="Inèsandre")
    Membership.objects.filter(pk=helper.pk).update(is_volunteer=True)
    client.force_login(day.volunteer)

    page = _page(client, day)
    refused = client.post(
        _attendance_url(day, signup), {"attendance": "replaced", "substitute": plain.pk}
    )

    assert "Inèsandre" in page and "Zébulonne" not in page
    assert refused.status_code == 404
    assert Signup.objects.get(pk=signup.pk).attendance == ""
