"""The messages' pages as a coordinator and as members use them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cabas.messaging.models import Audience, Message, MessageRecipient
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs.tests.factories import MembershipFactory

from .factories import draft, sent

pytestmark = pytest.mark.django_db


def _order(shop, user, pickup):
    order_services.order_place(
        user=user, sale=shop.sale, pickup_id=pickup.pk,
        slot_id=pickup.slots.first().pk if pickup.has_slots else None,
        lines=[(shop.products["bread"].pk, Decimal(1))],
    )  # fmt: skip


def _url(shop, name, **kwargs):
    return reverse(f"messaging:{name}", kwargs={"slug": shop.organisation.slug, **kwargs})


def test_a_coordinator_writes_to_a_pickup_points_customers_previews_and_sends(
    client, shop, django_capture_on_commit_callbacks
):
    here = [shop.member(email=f"ici-{n}@example.org") for n in range(2)]
    there = shop.member(email="ailleurs@example.org")
    for user in here:
        _order(shop, user, shop.pickup)
    _order(shop, there, shop.open_pickup)
    client.force_login(shop.coordinator)
    response = client.post(_url(shop, "message_new"), {
        "audience": "point", "pickup_point": shop.pickup.pickup_point_id,
        "subject": "Le point déménage", "body": "Rendez-vous **au parking** <b>vendredi</b>.",
    })  # fmt: skip
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(shop, "message", pk=message.pk)
    page = client.get(response["Location"]).content.decode()
    assert "2 personnes recevront ce message." in page
    assert "<strong>au parking</strong> &lt;b&gt;vendredi&lt;/b&gt;" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(shop, "message_send", pk=message.pk))
    assert sorted(m.to[0] for m in mail.outbox) == ["ici-0@example.org", "ici-1@example.org"]
    page = client.get(_url(shop, "message", pk=message.pk)).content.decode()
    assert "2 envoyés" in page
    assert "ici-0@example.org" in page  # coordinators see the addresses
    assert "ailleurs@example.org" not in page


def test_an_incomplete_audience_or_a_refused_attachment_changes_nothing(client, shop):
    client.force_login(shop.coordinator)
    response = client.post(_url(shop, "message_new"), {
        "audience": "point", "subject": "Sans point", "body": "Texte",
    })  # fmt: skip
    assert response.status_code == 200
    assert "a besoin de son point de retrait" in response.content.decode()
    response = client.post(_url(shop, "message_new"), {
        "audience": "all", "subject": "Pièce jointe", "body": "Texte",
        "attachment_file": SimpleUploadedFile("virus.exe", b"MZ"),
    })  # fmt: skip
    assert response.status_code == 200
    assert "La pièce jointe doit être" in response.content.decode()
    assert not Message.objects.exists()


def test_a_member_reads_the_messages_that_were_for_them_and_sees_nobody_elses_address(client, shop):
    reader = shop.member(email="lectrice@example.org")
    neighbour = shop.member(email="voisine@example.org")
    outsider = shop.member(email="pas-concernee@example.org")
    for user in (reader, neighbour):
        _order(shop, user, shop.pickup)
    message = sent(
        shop.organisation, audience=Audience.SALE, sale=shop.sale, pickup=shop.pickup,
        subject="Votre panier <script>alert(1)</script>",
    )  # fmt: skip
    client.force_login(reader)
    archive = client.get(_url(shop, "archive")).content.decode()
    assert "Votre panier &lt;script&gt;" in archive
    page = client.get(_url(shop, "archive_message", pk=message.pk)).content.decode()
    assert "sur le parking" in page
    assert "voisine@example.org" not in page and "lectrice@example.org" not in page
    assert client.get(_url(shop, "message", pk=message.pk)).status_code == 403
    client.force_login(outsider)
    assert client.get(_url(shop, "archive_message", pk=message.pk)).status_code == 404
    assert "Votre panier" not in client.get(_url(shop, "archive")).content.decode()


def test_the_announcement_shows_on_the_shop_and_home_until_its_date(client, shop, clock):
    member = shop.member(email="membre@example.org")
    until = timezone.now() + timedelta(days=2)
    sent(shop.organisation, announcement="Pas de vente le 25 décembre", announce_until=until)
    client.force_login(member)
    shop_url = reverse("orders:sale_shop", kwargs={"slug": shop.organisation.slug,
                                                    "sale_id": shop.sale.pk})  # fmt: skip
    home_url = reverse("site:member_home", kwargs={"slug": shop.organisation.slug})
    assert "Pas de vente le 25 décembre" in client.get(shop_url).content.decode()
    assert "Pas de vente le 25 décembre" in client.get(home_url).content.decode()
    clock.move_to(until + timedelta(minutes=1))
    assert "Pas de vente le 25 décembre" not in client.get(home_url).content.decode()


def test_the_lists_cost_the_same_queries_for_3_or_30_messages_and_recipients(
    client, shop, django_assert_max_num_queries
):
    client.force_login(shop.coordinator)

    def pages():
        message = Message.objects.filter(state="sent").first()
        return [_url(shop, "messages"), _url(shop, "message", pk=message.pk)]

    for n in range(3):
        shop.member(email=f"a-{n}@example.org")
        sent(shop.organisation, subject=f"Message {n}")
    counts = []
    for url in pages():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts.append(len(few))
    for n in range(27):
        MembershipFactory(organisation=shop.organisation)
        sent(shop.organisation, subject=f"Autre {n}")
    for url, before in zip(pages(), counts, strict=True):
        with django_assert_max_num_queries(before):
            assert client.get(url).status_code == 200
    assert MessageRecipient.objects.count() > 300


def test_a_draft_can_be_edited_and_deleted_but_not_once_sent(client, shop):
    client.force_login(shop.coordinator)
    message = draft(shop.organisation)
    response = client.post(_url(shop, "message_edit", pk=message.pk), {
        "audience": "all", "subject": "Nouveau sujet", "body": "Nouveau texte",
    })  # fmt: skip
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.subject == "Nouveau sujet"
    client.post(_url(shop, "message_delete", pk=message.pk))
    assert not Message.objects.filter(pk=message.pk).exists()


def test_a_pickup_of_another_sale_is_refused_with_its_reason(client, shop):
    other = open_shop(organisation=shop.organisation)
    client.force_login(shop.coordinator)
    response = client.post(_url(shop, "message_new"), {
        "audience": "sale", "sale": shop.sale.pk, "pickup": other.pickup.pk,
        "subject": "Mauvais retrait", "body": "Texte",
    })  # fmt: skip
    assert "Ce retrait ou ce créneau n’est pas dans la vente choisie." in response.content.decode()
    assert not Message.objects.exists()


def test_the_announcement_shows_its_last_day_and_can_be_ended_early(client, shop, clock):
    shop.member(email="membre@example.org")
    client.force_login(shop.coordinator)
    response = client.post(_url(shop, "message_new"), {
        "audience": "all", "subject": "Fermeture", "body": "Texte",
        "announcement": "Pas de vente à Noël", "shown_until": "2026-12-26",
    })  # fmt: skip
    message = Message.objects.get()
    assert "jusqu’au 26 décembre" in client.get(response["Location"]).content.decode()
    edit = client.get(_url(shop, "message_edit", pk=message.pk)).content.decode()
    assert 'value="2026-12-26"' in edit
    client.post(_url(shop, "message_send", pk=message.pk))
    page = client.get(_url(shop, "message", pk=message.pk)).content.decode()
    assert "Affichée jusqu’au samedi 26 décembre (inclus)." in page
    client.post(_url(shop, "message_announcement_end", pk=message.pk))
    message.refresh_from_db()
    assert message.announce_until <= timezone.now()
    home = reverse("site:member_home", kwargs={"slug": shop.organisation.slug})
    assert "Pas de vente à Noël" not in client.get(home).content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "2028-01-01", "2026-02-30", "demain"])
def test_an_announcement_date_too_far_or_not_a_date_is_a_clear_error(client, shop, day):
    client.force_login(shop.coordinator)
    response = client.post(_url(shop, "message_new"), {
        "audience": "all", "subject": "Annonce", "body": "Texte",
        "announcement": "Une annonce", "shown_until": day,
    })  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "au plus un an" in page or "Saisissez une date valide" in page
    assert not Message.objects.exists()
