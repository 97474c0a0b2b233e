"""The coordinators' reports of duties and shifts over a period: exact figures, the period
in the URL, files through core.tables, and query counts that do not grow with the period."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.work import reports, services
from cabas.work.models import ShiftMember, WorkPeriod, WorkSettings
from cabas.work.tests.duty_helpers import duty_at, put_on, shift_on

pytestmark = pytest.mark.django_db
D = Decimal


class Org:
    pass


@pytest.fixture
def org():
    shop = open_shop()
    org = Org()
    org.shop, org.organisation = shop, shop.organisation
    org.coordinator = shop.member(first_name="Coline", last_name="Zérah")
    Membership.objects.filter(user=org.coordinator).update(is_coordinator=True)
    org.start = timezone.localtime(shop.pickup.starts_at).date()

    def person(first_name, last_name="Martin"):
        user = shop.member(first_name=first_name, last_name=last_name)
        return Membership.objects.get(user=user, organisation=shop.organisation)

    org.person = person
    return org


def _week(org, weeks: int):
    """Week ``weeks`` after the shop's pickups: the same pickups' duties, moved."""
    return org.shop.pickup.starts_at + timedelta(weeks=weeks)


def _history(org):
    """Paul: 2 h and 1 h 30 present; Mia: excused, and replaced by Zoé (1 h); Léo absent from
    a 3 h shift; a cancelled duty and one after the period count for nothing."""
    by = org.coordinator
    paul, mia, zoe, leo = (org.person(n) for n in ("Paul", "Mia", "Zoé", "Léo"))
    setup = duty_at(org.shop.pickup, hours=2, places=2)
    welcome = duty_at(org.shop.pickup, hours=1.5, places=2)
    other_point = duty_at(org.shop.open_pickup, hours=1, places=1)
    put_on(setup, paul, by=by, attendance="present")
    put_on(setup, mia, by=by, attendance="excused")
    put_on(welcome, paul, by=by, attendance="present")
    put_on(other_point, mia, by=by, attendance="replaced", substitute=zoe)
    put_on(shift_on(org.organisation, _week(org, 0)), leo, by=by, attendance="absent")
    cancelled = duty_at(org.shop.pickup, hours=5)
    put_on(cancelled, paul, by=by, attendance="present")
    WorkPeriod.objects.filter(pk=cancelled.pk).update(is_cancelled=True)
    put_on(duty_at(org.shop.pickup, start=_week(org, 2)), paul, by=by, attendance="present")
    return {"paul": paul, "mia": mia, "zoe": zoe, "leo": leo}


def _period(org):
    return {"organisation": org.organisation, "start": org.start, "end": org.start}


def test_what_each_person_did_over_the_period(org):
    people = _history(org)

    found = reports.people_history(**_period(org))

    # Most hours first, then by name.
    assert [(p.membership_id, p.done, p.excused, p.absent, p.hours) for p in found] == [
        (people["paul"].pk, 2, 0, 0, D("3.50")),
        (people["zoe"].pk, 1, 0, 0, D("1.00")),
        (people["leo"].pk, 0, 0, 1, D("0.00")),
        (people["mia"].pk, 0, 1, 0, D("0.00")),
    ]
    assert found[0].name == "Paul Martin"


def test_duties_filled_per_pickup_point(org):
    _history(org)

    points = reports.duties_by_point(**_period(org))

    assert [(p.point_name, p.duties, p.unfilled, p.places, p.taken) for p in points] == sorted(
        [
            (org.shop.pickup.pickup_point.name, 2, 1, 4, 3),  # welcome lacks one person
            (org.shop.open_pickup.pickup_point.name, 1, 0, 1, 1),
        ]
    )


def test_the_shifts_attendance_rate_is_done_over_recorded(org):
    by = org.coordinator
    first, second = (
        shift_on(org.organisation, _week(org, 0)),
        shift_on(org.organisation, _week(org, 0)),
    )
    for attendance in ("present", "present", "absent"):
        put_on(first, org.person("A"), by=by, attendance=attendance)
    put_on(second, org.person("B"), by=by, attendance="replaced", substitute=org.person("C"))
    put_on(second, org.person("D"), by=by, attendance="excused")
    put_on(second, org.person("E"), by=by)  # not recorded

    shifts = reports.shift_attendance(**_period(org))

    assert (shifts.recorded, shifts.present, shifts.excused, shifts.absent) == (5, 3, 1, 1)
    assert shifts.rate == D("60.0")


def test_members_in_alert_or_suspended_by_the_one_rule(org):
    WorkSettings.objects.create(organisation=org.organisation, suspended_at=-2, alert_days=28)
    today = date(2026, 12, 2)
    members = [
        ("Alerte", -1, today - timedelta(days=3)),
        ("Trop-bas", -2, today),
        ("Ancien", -1, today - timedelta(days=40)),
        ("Ajour", 0, None),
    ]
    for name, counter, since in members:
        member = ShiftMember.objects.create(
            organisation=org.organisation, membership=org.person(name), starts_on=today
        )
        ShiftMember.objects.filter(pk=member.pk).update(counter=counter, negative_since=since)

    found = reports.members_not_up_to_date(organisation=org.organisation, today=today)

    assert sorted((m.name, m.counter, m.status) for m in found) == [
        ("Alerte Martin", -1, "alert"),
        ("Ancien Martin", -1, "suspended"),
        ("Trop-bas Martin", -2, "suspended"),
    ]


def _url(org, name="work:reports", **kwargs):
    return reverse(name, kwargs={"slug": org.organisation.slug, **kwargs})


def test_the_reports_page_for_a_period_in_the_url(client, org):
    _history(org)
    client.force_login(org.coordinator)

    page = client.get(_url(org), {"from": org.start.isoformat(), "to": org.start.isoformat()})

    body = page.content.decode()
    assert page.status_code == 200
    assert "Paul Martin" in body and "Zoé Martin" in body
    assert org.shop.open_pickup.pickup_point.name in body
    assert f'value="{org.start:%Y-%m-%d}"' in body


def test_the_default_period_is_the_last_four_weeks(client, org):
    client.force_login(org.coordinator)

    body = client.get(_url(org)).content.decode()

    # The test clock: Wednesday 2 December 2026.
    assert 'value="2026-11-05"' in body and 'value="2026-12-02"' in body


@pytest.mark.parametrize(
    "query", [{"from": "2026-13-01"}, {"to": "hier"}, {"from": "2026-12-02", "to": "2026-12-01"}]
)
def test_a_bad_period_is_a_clear_400(client, org, query):
    client.force_login(org.coordinator)

    answer = client.get(_url(org), query)

    assert answer.status_code == 400


def test_the_reports_page_reads_a_long_period_in_as_many_queries_as_a_short_one(client, org):
    client.force_login(org.coordinator)
    by = org.coordinator
    query = {"from": org.start.isoformat()}

    def queries(weeks):
        end = org.start + timedelta(weeks=weeks)
        client.get(_url(org), query)  # the first page of a visit writes the organisation
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(org), {**query, "to": end.isoformat()}).status_code == 200
        return len(captured)

    for week in range(8):
        duty = duty_at(org.shop.pickup, start=_week(org, week), places=3)
        shift = shift_on(org.organisation, _week(org, week))
        for attendance in ("present", "absent"):
            put_on(duty, org.person(f"D{week}"), by=by, attendance=attendance)
            put_on(shift, org.person(f"S{week}"), by=by, attendance=attendance)
    ShiftMember.objects.create(organisation=org.organisation, membership=org.person("X"),
                               starts_on=org.start)  # fmt: skip
    ShiftMember.objects.filter(membership__user__first_name="X").update(counter=-1)

    assert queries(1) == queries(8)


def _csv_rows(answer):
    text = b"".join(answer.streaming_content if answer.streaming else [answer.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))


def test_the_people_file_neutralises_formulas_and_keeps_hours_numbers(client, org):
    by = org.coordinator
    tricky = org.person("=HYPERLINK(1)", last_name="")
    put_on(duty_at(org.shop.pickup, hours=2.5), tricky, by=by, attendance="present")
    client.force_login(org.coordinator)
    period = {"from": org.start.isoformat(), "to": org.start.isoformat()}

    answer = client.get(_url(org, "work:report_file", table="people", file_format="csv"), period)

    rows = _csv_rows(answer)
    assert rows[1] == ["'=HYPERLINK(1)", "1", "0", "0", "2,5"]
    xlsx = client.get(_url(org, "work:report_file", table="duties", file_format="xlsx"), period)
    assert xlsx.status_code == 200
    assert (
        client.get(_url(org, "work:report_file", table="secrets", file_format="csv")).status_code
        == 404
    )
    assert (
        client.get(_url(org, "work:report_file", table="people", file_format="pdf")).status_code
        == 404
    )


def test_the_défraiements_of_the_period_per_person_with_totals(client, org):
    WorkSettings.objects.create(
        organisation=org.organisation,
        compensation="per_hour",
        compensation_amount=D("12.50"),
        compensation_for="everyone",
    )
    by = org.coordinator
    paul, mia = org.person("Paul"), org.person("Mia")
    put_on(duty_at(org.shop.pickup, hours=2.5), paul, by=by, attendance="present")
    put_on(duty_at(org.shop.open_pickup, hours=1.5), mia, by=by, attendance="present")
    put_on(duty_at(org.shop.open_pickup, hours=1), paul, by=by)
    for pickup in (org.shop.pickup, org.shop.open_pickup):
        services.pickup_compensations_credit(pickup=pickup, now=pickup.ends_at)
    client.force_login(org.coordinator)
    period = {"from": org.start.isoformat(), "to": org.start.isoformat()}

    rows = reports.compensations_by_person(**_period(org))
    page = client.get(_url(org, "work:compensations"), period).content.decode()
    answer = client.get(
        _url(org, "work:report_file", table="compensations", file_format="csv"), period
    )

    # Paul 2.5 h + 1 h = 3.5 h × 12.50 = 43.75 over two pickups; Mia 1.5 h = 18.75.
    assert sorted((r.name, r.pickups, r.hours, r.amount) for r in rows) == [
        ("Mia Martin", 1, D("1.50"), D("18.75")),
        ("Paul Martin", 2, D("3.50"), D("43.75")),
    ]
    assert "62,50\u00a0€" in page and "43,75\u00a0€" in page
    assert _csv_rows(answer)[-1] == ["Total", "", "", "5", "62,50"]
