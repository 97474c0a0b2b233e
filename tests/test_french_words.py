"""Words one English string had to share across apps, each now with its own French.

Django merges the apps' catalogues and the first app wins; these strings now carry a context
where their French differs (see cabas/core/tests/test_translation_conflicts.py for the guard).
"""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cabas.catalog.models import ProducerLink
from cabas.catalog.models_inventory import InventorySession
from cabas.money.models import MembershipPeriod
from cabas.notifications.models import OutboxMessage
from cabas.orders.models import Order
from cabas.orgs.models import Membership, Organisation
from cabas.orgs.services import invitation_revoke
from cabas.orgs.tests.factories import InvitationFactory
from cabas.sales.models import Pickup, Sale
from cabas.supply.models_buying import PurchaseOrder, Reception
from cabas.work.models import Signup, WorkPeriod


def _label(model, name):
    return str(model._meta.get_field(name).verbose_name)


@pytest.mark.parametrize(
    ("shown", "french"),
    [
        # cancelled: an order and an inventory are not a shift
        (lambda: Order.Status.CANCELLED.label, "annulée"),
        (lambda: _label(WorkPeriod, "is_cancelled"), "annulé"),
        (lambda: InventorySession.State.CANCELLED.label, "annulé"),
        # withdrawn: a member off a shift
        (lambda: Signup.State.WITHDRAWN.label, "désinscrit·e"),
        # from / to / until: an e-mail's sender, a date range, a time window
        (lambda: _label(OutboxMessage, "from_email"), "expéditeur"),
        (lambda: _label(MembershipPeriod, "starts_on"), "du"),
        (lambda: _label(MembershipPeriod, "ends_on"), "au"),
        (lambda: _label(Pickup, "starts_at"), "de"),
        (lambda: _label(Pickup, "ends_at"), "à"),
        (lambda: _label(WorkPeriod, "ends_at"), "à"),
        # attendance: a signup's presence (the sheet is « émargement », see distribution)
        (lambda: _label(Signup, "attendance"), "présence"),
        # left / active / closed / sent / validated at
        (lambda: ProducerLink.Status.LEFT.label, "parti"),
        (lambda: Membership.Status.LEFT.label, "terminée"),
        (lambda: Membership.Status.ACTIVE.label, "active"),
        (lambda: _label(Organisation, "is_active"), "active"),
        (lambda: ProducerLink.Status.ACTIVE.label, "actif"),
        (lambda: Sale.Status.CLOSED.label, "fermée"),
        (lambda: PurchaseOrder.Status.SENT.label, "envoyée"),
        (lambda: _label(OutboxMessage, "sent_at"), "envoyé le"),
        (lambda: _label(Reception, "validated_at"), "validée le"),
        (lambda: _label(InventorySession, "validated_at"), "validé le"),
    ],
)
def test_each_word_has_its_french(shown, french):
    with translation.override("fr"):
        assert shown() == french


def test_the_invitation_list_says_withdrawn_and_accepted_in_the_feminine(client, world):
    invitation_revoke(invitation=world.invitation)
    InvitationFactory(organisation=world.org_a, accepted_at=timezone.now())
    client.force_login(world.users["coordinator"])

    page = client.get(
        reverse("orgs:invitations", kwargs={"slug": world.org_a.slug}),
        headers={"accept-language": "fr"},
    ).content.decode()

    assert "<td>retirée</td>" in page
    assert "<td>acceptée</td>" in page
