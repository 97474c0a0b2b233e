"""The organisation's language: pages under /o/<slug>/ read in it unless the person chose a
language themselves (the switcher's cookie, or their profile); e-mails read in the recipient's
language, else the organisation's."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from cabas.accounts.models import User
from cabas.accounts.tests.factories import UserFactory
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs import services
from cabas.orgs.models import Organisation
from cabas.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    body = response.content.decode()
    return body[body.index('<html lang="') + 12 :].split('"', 1)[0]


def test_an_organisation_speaks_the_default_language_unless_told_otherwise():
    assert Organisation._meta.get_field("language").default == settings.LANGUAGE_CODE
    assert OrganisationFactory().language == "fr"


def test_a_visitor_reads_the_public_page_in_the_organisations_language(client):
    english = OrganisationFactory(slug="english-coop", language="en")
    french = OrganisationFactory(slug="cooperative", language="fr")
    url = reverse("site:public", args=[english.slug])

    # The browser's preference does not override the organisation's language...
    assert _lang(client.get(url, headers={"Accept-Language": "fr"})) == "en"
    assert _lang(client.get(reverse("site:public", args=[french.slug]))) == "fr"
    # ...the person's own choice with the language switcher does.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert _lang(client.get(url)) == "fr"


def test_a_members_profile_language_wins_over_the_organisations(client):
    english = OrganisationFactory(slug="english-coop", language="en")
    client.force_login(UserFactory(language="fr"))
    assert _lang(client.get(reverse("site:public", args=[english.slug]))) == "fr"


def test_order_e_mails_read_in_the_recipients_language_else_the_organisations():
    shop = open_shop(organisation=OrganisationFactory(language="en"))
    french, unknown = shop.member(language="fr"), shop.member(language="fr")
    User.objects.filter(pk=unknown.pk).update(language="")  # no language of their own
    unknown.refresh_from_db()
    for member in (french, unknown):
        with TestCase.captureOnCommitCallbacks(execute=True):
            order_services.order_place(
                user=member, sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
                lines=[(shop.products["bread"].pk, 1)],
            )  # fmt: skip
    to_french, to_unknown = mail.outbox
    assert to_french.subject.startswith("Votre commande n° 1 est confirmée")
    assert to_unknown.subject.startswith("Your order n° 2 is confirmed")
    assert "€4.20" in to_unknown.body and "4,20\u00a0€" in to_french.body


def test_an_invitation_is_written_in_the_organisations_language():
    inviter = UserFactory()
    for organisation, email in (
        (OrganisationFactory(name="Green Coop", language="en"), "guest@example.org"),
        (OrganisationFactory(name="Le Cabas", language="fr"), "invitee@example.org"),
    ):
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.invitation_create(
                organisation=organisation, email=email, invited_by=inviter,
                base_url="https://cabas.example.org",
            )  # fmt: skip
    english, french = mail.outbox
    assert english.subject == "Invitation to join Green Coop"
    assert french.subject == "Invitation à rejoindre Le Cabas"


def test_the_settings_form_offers_the_language(client):
    from cabas.orgs.forms import OrganisationForm

    assert "language" in OrganisationForm.Meta.fields
    choices = dict(OrganisationForm().fields["language"].choices)
    assert set(choices) >= {"fr", "en"}
