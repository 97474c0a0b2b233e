"""The coordinators' page of the messaging settings and the reminders' words: saved when
valid, nothing changed on an error, the default words shown where none are written."""

import pytest
from django.urls import reverse

from cabas.accounts.tests.factories import UserFactory
from cabas.messaging.models import MessagingSettings, ReminderText
from cabas.orgs.models import Membership
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

VALID = {
    "batch_size": "40",
    "batch_interval_seconds": "90",
    "sale_opened_on": "on",
    "sale_opened_recent_sales": "3",
    "last_call_on": "on",
    "last_call_hours": "12",
    "pickup_reminder_days_before": "2",
    "pickup_reminder_hour": "9",
    # pickup_reminder_on and changes_on unticked
}


@pytest.fixture
def coordinator_client(client):
    organisation = OrganisationFactory()
    user = UserFactory()
    MembershipFactory(
        organisation=organisation, user=user, status=Membership.Status.ACTIVE, is_coordinator=True
    )
    client.force_login(user)
    client.organisation = organisation
    client.url = reverse("messaging:settings", kwargs={"slug": organisation.slug})
    return client


def test_the_page_shows_the_defaults_and_our_words_as_placeholders(coordinator_client):
    response = coordinator_client.get(coordinator_client.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="batch_size"' in html and 'value="50"' in html
    # Our words in each language, as the placeholder of the empty fields.
    assert 'name="sale_opened_en_subject" placeholder="The sale “{sale}” is open"' in html
    assert 'placeholder="Bonjour,\n\nLa vente « {sale} » est ouverte' in html
    assert 'name="pickup_en_text"' in html and 'name="changes_fr_subject"' in html
    assert not MessagingSettings.objects.exists()  # reading creates nothing


def test_saving_the_settings_and_the_words(coordinator_client):
    data = {
        **VALID,
        "sale_opened_fr_subject": "La vente {sale} est ouverte",
        "sale_opened_fr_text": "Bonjour, commandez avant {cutoff} !",
        "pickup_en_text": "See you {pickup} at {point}.",
    }
    response = coordinator_client.post(coordinator_client.url, data)
    assert response.status_code == 302
    settings = MessagingSettings.objects.get(organisation=coordinator_client.organisation)
    assert (settings.batch_size, settings.batch_interval_seconds) == (40, 90)
    assert (settings.sale_opened_on, settings.sale_opened_recent_sales) == (True, 3)
    assert (settings.last_call_on, settings.last_call_hours) == (True, 12)
    assert settings.pickup_reminder_on is False and settings.changes_on is False
    assert (settings.pickup_reminder_days_before, settings.pickup_reminder_hour) == (2, 9)
    assert sorted(ReminderText.objects.values_list("kind", "language", "subject", "text")) == [
        ("pickup", "en", "", "See you {pickup} at {point}."),
        ("sale_opened", "fr", "La vente {sale} est ouverte", "Bonjour, commandez avant {cutoff} !"),
    ]

    # Emptied: our words again.
    data["sale_opened_fr_subject"] = data["sale_opened_fr_text"] = ""
    assert coordinator_client.post(coordinator_client.url, data).status_code == 302
    assert list(ReminderText.objects.values_list("kind", flat=True)) == ["pickup"]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("pickup_reminder_hour", "24", "23"),
        ("batch_size", "0", "1"),
        ("last_call_hours", "douze", ""),
        ("last_call_fr_text", "Vite, {vente} ferme {cutoff}", "{vente}"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(coordinator_client, field, value, error):
    MessagingSettings.objects.create(organisation=coordinator_client.organisation, batch_size=20)
    response = coordinator_client.post(
        coordinator_client.url, {**VALID, "sale_opened_en_text": "Hi {sale}", field: value}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and error in html
    settings = MessagingSettings.objects.get()
    assert (settings.batch_size, settings.last_call_hours, settings.pickup_reminder_on) == (
        20, 24, True,
    )  # fmt: skip
    assert not ReminderText.objects.exists()


def test_the_script_a_coordinator_writes_is_shown_escaped(coordinator_client):
    ReminderText.objects.create(
        organisation=coordinator_client.organisation, kind="changes", language="fr",
        subject="", text="<script>alert(1)</script>",
    )  # fmt: skip
    html = coordinator_client.get(coordinator_client.url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
