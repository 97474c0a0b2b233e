"""A coordinator's duty pages, through the web client."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cabas.accounts.tests.factories import UserFactory
from cabas.notifications.models import OutboxMessage
from cabas.orgs.models import Organisation
from cabas.orgs.tests.factories import MembershipFactory
from cabas.sales.tests.factories import PickupFactory
from cabas.work import services
from cabas.work.models import DutyTemplate, Signup, TaskType, WorkPeriod, WorkSettings
from cabas.work.tests.factories import DutyTemplateFactory, TaskTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.users["coordinator"])
    return client


def _url(world, name, **kwargs):
    return reverse(f"work:{name}", kwargs={"slug": world.org_a.slug, **kwargs})


def _duty(world, places=2, pickup=None, name=None):
    task_type = TaskTypeFactory(organisation=world.org_a, **({"name": name} if name else {}))
    return services.duty_add(
        pickup=pickup or PickupFactory(sale__organisation=world.org_a),
        task_type=task_type,
        places=places,
        during_pickup=True,
    )


def _texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Settings -------------------------------------------------------------------------------


def test_settings_page_groups_and_saves(coordinator, world):
    response = coordinator.get(_url(world, "settings"))
    html = response.content.decode()
    assert 'id="settings-duties"' in html and 'id="settings-compensation"' in html
    assert 'id="settings-shifts"' not in html  # a collective has no shifts

    response = coordinator.post(
        _url(world, "settings"),
        {
            "duties_open_to": "members",
            "withdraw_hours_before": "24",
            "reminder_days_before": "2",
            "gap_alert_days_before": "3",
            "compensation": "per_run",
            "compensation_amount": "12,50",
            "compensation_for": "producers",
        },
    )
    assert response.status_code == 302
    settings = WorkSettings.objects.get(organisation=world.org_a)
    assert (settings.duties_open_to, str(settings.compensation_amount)) == ("members", "12.50")


def test_settings_of_a_cooperative_show_the_shifts_and_refuse_a_tuesday(coordinator, world):
    Organisation.objects.filter(pk=world.org_a.pk).update(kind="cooperative")
    data = {
        "duties_open_to": "volunteers",
        "withdraw_hours_before": "48",
        "reminder_days_before": "1",
        "gap_alert_days_before": "3",
        "cycle_weeks": "4",
        "cycle_starts_on": "2026-01-06",
        "shifts_ahead_weeks": "8",
        "points_done": "1",
        "points_missed": "1",
        "points_unexcused": "2",
        "suspended_at": "-2",
        "alert_days": "28",
        "compensation": "none",
        "compensation_amount": "0",
        "compensation_for": "producers",
    }

    response = coordinator.post(_url(world, "settings"), data)

    assert response.status_code == 200
    assert 'id="settings-shifts"' in response.content.decode()
    assert "Choisissez un lundi" in response.content.decode()
    assert not WorkSettings.objects.exists()
    response = coordinator.post(_url(world, "settings"), {**data, "cycle_starts_on": "2026-01-05"})
    assert response.status_code == 302
    assert WorkSettings.objects.get().cycle_starts_on == date(2026, 1, 5)


# --- Task types -----------------------------------------------------------------------------


def test_task_types_add_edit_and_refused_delete(coordinator, world):
    response = coordinator.post(
        _url(world, "task_type_create"), {"name": "Accueil", "instructions": "<b>Gilet</b>"}
    )
    assert response.status_code == 302
    task_type = TaskType.objects.get(organisation=world.org_a)
    html = coordinator.get(_url(world, "task_types")).content.decode()
    assert "&lt;b&gt;Gilet&lt;/b&gt;" in html

    response = coordinator.post(_url(world, "task_type_create"), {"name": "accueil"})
    assert response.status_code == 200 and "existe déjà" in response.content.decode()

    DutyTemplateFactory(organisation=world.org_a, task_type=task_type)
    response = coordinator.post(
        _url(world, "task_type_delete", task_type_id=task_type.pk), follow=True
    )
    assert TaskType.objects.filter(pk=task_type.pk).exists()
    assert any("Accueil" in text for text in _texts(response))


def test_task_type_of_another_organisation_is_404(coordinator, world):
    other = TaskTypeFactory(organisation=world.org_b)
    assert coordinator.get(_url(world, "task_type_edit", task_type_id=other.pk)).status_code == 404
    response = coordinator.post(_url(world, "task_type_delete", task_type_id=other.pk))
    assert response.status_code == 404
    assert TaskType.objects.filter(pk=other.pk).exists()


# --- Duties at each pickup ------------------------------------------------------------------


def test_adding_a_duty_template_makes_the_coming_pickups_duties(coordinator, world):
    pickup = PickupFactory(sale__organisation=world.org_a)
    task_type = TaskTypeFactory(organisation=world.org_a)

    response = coordinator.post(
        _url(world, "duty_template_create"),
        {
            "pickup_point": "",
            "task_type": task_type.pk,
            "start_time": "14:00",
            "end_time": "16:00",
            "places": "3",
        },
        follow=True,
    )

    template = DutyTemplate.objects.get()
    assert (template.pickup_point, template.places) == (None, 3)
    assert WorkPeriod.objects.get().pickup == pickup
    assert any("1 permanence" in text for text in _texts(response))


def test_duty_template_form_refusals(coordinator, world):
    task_type = TaskTypeFactory(organisation=world.org_a)
    other_task = TaskTypeFactory(organisation=world.org_b)
    for data in (
        {"task_type": task_type.pk, "places": "2"},  # no hours
        {"task_type": task_type.pk, "start_time": "16:00", "end_time": "14:00", "places": "2"},
        {"task_type": other_task.pk, "during_pickup": "on", "places": "2"},
        {"task_type": task_type.pk, "during_pickup": "on", "places": "99"},
    ):
        response = coordinator.post(_url(world, "duty_template_create"), data)
        assert response.status_code == 200
    assert not DutyTemplate.objects.exists()


def test_deactivating_a_template_keeps_its_duties(coordinator, world):
    template = DutyTemplateFactory(organisation=world.org_a)
    pickup = PickupFactory(sale__organisation=world.org_a)
    services.duties_generate_for_pickups(pickup_ids=[pickup.pk])

    coordinator.post(_url(world, "duty_template_active", template_id=template.pk), {"active": "0"})

    assert DutyTemplate.objects.get().is_active is False
    assert WorkPeriod.objects.filter(duty_template=template, is_cancelled=False).count() == 1
    html = coordinator.get(_url(world, "duty_templates")).content.decode()
    assert 'name="active" value="1"' in html


# --- One pickup's duties --------------------------------------------------------------------


def test_pickup_duties_page_makes_missing_duties_and_lists_people(coordinator, world):
    DutyTemplateFactory(organisation=world.org_a)
    pickup = PickupFactory(sale__organisation=world.org_a)

    response = coordinator.get(_url(world, "pickup_duties", pickup_id=pickup.pk))

    duty = WorkPeriod.objects.get(pickup=pickup)
    assert f'id="duty-{duty.pk}"' in response.content.decode()


def test_pickup_duties_add_places_and_cancel(coordinator, world):
    pickup = PickupFactory(sale__organisation=world.org_a)
    task_type = TaskTypeFactory(organisation=world.org_a)
    coordinator.post(
        _url(world, "duty_add", pickup_id=pickup.pk),
        {"task_type": task_type.pk, "start_time": "08:00", "end_time": "09:00", "places": "2"},
    )
    duty = WorkPeriod.objects.get(pickup=pickup)
    services.signup_create(period=duty, membership=world.memberships["volunteer"])
    services.signup_create(period=duty, membership=world.memberships["coordinator"])

    response = coordinator.post(
        _url(world, "duty_places", period_id=duty.pk), {"places": "1"}, follow=True
    )
    assert WorkPeriod.objects.get(pk=duty.pk).places == 2
    assert any("2" in text for text in _texts(response))
    coordinator.post(_url(world, "duty_places", period_id=duty.pk), {"places": "4"})
    assert WorkPeriod.objects.get(pk=duty.pk).places == 4

    coordinator.post(_url(world, "duty_cancel", period_id=duty.pk))
    assert WorkPeriod.objects.get(pk=duty.pk).is_cancelled
    assert OutboxMessage.objects.filter(key__startswith="work:duty-cancelled").count() == 2


def test_a_duty_of_another_organisation_is_404(coordinator, world):
    other = services.duty_add(
        pickup=PickupFactory(sale__organisation=world.org_b),
        task_type=TaskTypeFactory(organisation=world.org_b),
        places=2,
        during_pickup=True,
    )
    for name in ("duty_places", "duty_cancel", "gap_assign", "gap_appeal"):
        response = coordinator.post(_url(world, name, period_id=other.pk), {"places": "3"})
        assert response.status_code == 404
    other.refresh_from_db()
    assert (other.places, other.is_cancelled) == (2, False)


def test_the_sale_page_links_each_pickups_duties(coordinator, world):
    pickup = PickupFactory(sale__organisation=world.org_a)
    response = coordinator.get(
        reverse("sales:sale_detail", kwargs={"slug": world.org_a.slug, "sale_id": pickup.sale_id})
    )
    assert _url(world, "pickup_duties", pickup_id=pickup.pk) in response.content.decode()


# --- Gaps -----------------------------------------------------------------------------------


def test_gaps_are_sorted_marked_and_in_the_menu(coordinator, world):
    later = _duty(world, name="Caisse")
    sooner = _duty(
        world,
        name="Accueil",
        pickup=PickupFactory(
            sale__organisation=world.org_a, starts_at=later.starts_at - timedelta(hours=5)
        ),
    )
    full = _duty(world, places=1, name="Rangement")
    services.signup_create(period=full, membership=world.memberships["volunteer"])

    html = coordinator.get(_url(world, "gaps")).content.decode()

    assert html.index(f'id="gap-{sooner.pk}"') < html.index(f'id="gap-{later.pk}"')
    assert f'id="gap-{full.pk}"' not in html
    assert 'class="gap-missing"' in html and "Manque : 2 personnes" in html
    assert _url(world, "gaps") in html  # the menu's entry
    assert _url(world, "settings") in html


def _gaps_queries(client, world) -> int:
    client.get(
        _url(world, "gaps")
    )  # warm: the first page of a visit writes the organisation into the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_url(world, "gaps")).status_code == 200
    return len(captured)


def test_gaps_page_queries_do_not_grow_with_the_gaps(coordinator, world):
    for _n in range(2):
        services.signup_create(
            period=_duty(world, places=3), membership=world.memberships["volunteer"]
        )
    two = _gaps_queries(coordinator, world)
    for _n in range(4):
        services.signup_create(
            period=_duty(world, places=3), membership=world.memberships["volunteer"]
        )
        MembershipFactory(organisation=world.org_a, is_volunteer=True)
    assert _gaps_queries(coordinator, world) == two


def test_assign_from_the_gaps(coordinator, world):
    duty = _duty(world)
    volunteer = world.memberships["volunteer"]
    html = coordinator.get(_url(world, "gaps")).content.decode()
    assert f'<option value="{volunteer.pk}">' in html
    assert f'<option value="{world.memberships["member"].pk}">' not in html  # not a volunteer

    response = coordinator.post(
        _url(world, "gap_assign", period_id=duty.pk),
        {"membership": volunteer.pk, "back": "gaps"},
    )
    assert response.url == _url(world, "gaps")
    signup = Signup.objects.get(period=duty)
    assert (signup.membership, signup.assigned_by) == (volunteer, world.users["coordinator"])

    # Already on it, or someone of another organisation: refused, nothing changed.
    for membership in (volunteer, world.memberships["outsider"]):
        coordinator.post(
            _url(world, "gap_assign", period_id=duty.pk), {"membership": membership.pk}
        )
    assert Signup.objects.filter(period=duty).count() == 1
    assert WorkPeriod.objects.get(pk=duty.pk).taken == 1


def test_appeal_from_the_gaps_shows_the_count_and_sends_once(coordinator, world):
    duty = _duty(world)
    MembershipFactory(
        organisation=world.org_a, is_volunteer=True, user=UserFactory(email="x@example.org")
    )
    html = coordinator.get(_url(world, "gaps")).content.decode()
    # The volunteer, the coordinator and the new volunteer.
    assert "Écrire aux 3 personnes disponibles" in html
    token = html.split('name="appeal" value="')[1].split('"')[0]

    for _click in range(2):
        coordinator.post(_url(world, "gap_appeal", period_id=duty.pk), {"appeal": token})

    assert OutboxMessage.objects.filter(key__startswith="work:duty-appeal").count() == 3
    response = coordinator.post(_url(world, "gap_appeal", period_id=duty.pk), {}, follow=True)
    assert OutboxMessage.objects.count() == 3
    assert response.status_code == 200


def _queries(client, url) -> int:
    client.get(url)  # warm: the first page of a visit writes the organisation into the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_queries_do_not_grow_with_their_rows(coordinator, world):
    pickup = PickupFactory(sale__organisation=world.org_a)
    urls = [
        _url(world, "pickup_duties", pickup_id=pickup.pk),
        _url(world, "duty_templates"),
        _url(world, "task_types"),
    ]

    def add_rows():
        template = DutyTemplateFactory(organisation=world.org_a)
        services.duties_generate_for_pickups(pickup_ids=[pickup.pk])
        duty = WorkPeriod.objects.get(duty_template=template)
        services.signup_create(period=duty, membership=world.memberships["volunteer"])

    add_rows()
    coordinator.get(urls[0])  # the page makes what was missing once
    one = [_queries(coordinator, url) for url in urls]
    for _n in range(3):
        add_rows()
    coordinator.get(urls[0])
    assert [_queries(coordinator, url) for url in urls] == one
