"""The collective's messages in the demo: news to every member with its announcement on the
shop, a call to the volunteers, and a draft "last call" to those who have not ordered yet, so
a coordinator sees the three states and a member their archive. Sent through the messaging
services: the worker of ``make run`` sends them in batches."""

from __future__ import annotations

from datetime import timedelta

from cabas.messaging import services as messaging
from cabas.messaging.models import Audience, Message, MessagingSettings
from cabas.orders import selectors as order_selectors
from cabas.orgs.models import Membership, Organisation

from .base import SeedBase
from .people import COLLECTIVE_DOMAIN

NEWS = """Bonne nouvelle : à partir de ce vendredi, vous pouvez retirer vos paniers à **Salles**,
salle des fêtes, de 17 h à 19 h.

- choisissez « Salles — Salle des fêtes » au moment de commander ;
- les créneaux sont de 15 minutes, comme ailleurs.

Merci à la mairie de Salles pour son accueil !"""

VOLUNTEERS = """Bonjour à toutes et à tous,

Il nous manque **deux personnes** pour préparer les paniers vendredi à Carmaux, de 15 h à 17 h.
Inscrivez-vous dans « Permanences » ou répondez à ce message."""

LAST_CALL = """Il vous reste jusqu'à ce soir pour commander les paniers de vendredi :
fromages, légumes, pain, viande… Bonne commande !"""


class MessagesSeed(SeedBase):
    def collective_messages(self, organisation: Organisation) -> None:
        """Once: two messages sent and a draft, from the coordination."""
        if Message.objects.filter(organisation=organisation).exists():
            return
        coordinator = (
            Membership.objects.filter(
                organisation=organisation, user__email=f"coordination@{COLLECTIVE_DOMAIN}"
            )
            .select_related("user")
            .get()
            .user
        )
        # The demo's worker sends quickly: a real provider's quota would want the defaults.
        MessagingSettings.objects.get_or_create(
            organisation=organisation, defaults={"batch_size": 100, "batch_interval_seconds": 5}
        )
        news = messaging.message_save(
            organisation=organisation, by=coordinator, now=self.now,
            subject="Un nouveau point de retrait à Salles", body=NEWS,
            audience=Audience.ALL_MEMBERS,
            announcement="Nouveau : retrait à Salles, salle des fêtes, le vendredi de 17 h à 19 h.",
            announce_until=self.now + timedelta(days=10),
        )  # fmt: skip
        messaging.message_send(message=news, by=coordinator, now=self.now)
        call = messaging.message_save(
            organisation=organisation, by=coordinator, now=self.now,
            subject="Deux bénévoles pour vendredi ?", body=VOLUNTEERS,
            audience=Audience.VOLUNTEERS,
        )  # fmt: skip
        messaging.message_send(message=call, by=coordinator, now=self.now)
        sale = order_selectors.open_sales(organisation=organisation, now=self.now).first()
        if sale is not None:
            messaging.message_save(
                organisation=organisation, by=coordinator, now=self.now,
                subject="Dernier jour pour commander", body=LAST_CALL,
                audience=Audience.NOT_ORDERED, sale=sale,
            )  # fmt: skip
        self.report.add("messages", 2 if sale is None else 3)
